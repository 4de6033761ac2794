import type { FeedDocument } from '../content/document.ts';

/** Newest first: published, then updated (raw lastMod breaks sub-ms ties), then id. */
export function compareNewestFirst(a: FeedDocument, b: FeedDocument): number {
  return (
    b.publishedMs - a.publishedMs ||
    b.updatedMs - a.updatedMs ||
    compareStrings(b.lastMod, a.lastMod) ||
    compareStrings(a.id, b.id)
  );
}

/** Later of two documents by lastMod, the instant validators are keyed on. */
export function isUpdatedAfter(a: FeedDocument, b: FeedDocument): boolean {
  return a.updatedMs > b.updatedMs || (a.updatedMs === b.updatedMs && a.lastMod > b.lastMod);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
