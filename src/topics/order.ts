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

/**
 * An instant in whole microseconds since the epoch, from an RFC 3339 string
 * (`lastMod` carries microseconds; Date keeps only milliseconds). NaN when
 * the string is not a timestamp.
 */
export function instantMicros(value: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return Number.NaN;
  const fraction = /\.(\d+)/.exec(value)?.[1] ?? '';
  const micros = fraction.length > 3 ? Number(fraction.slice(3, 6).padEnd(3, '0')) : 0;
  return ms * 1000 + micros;
}

/** A document's update instant in microseconds, from its raw lastMod when it parses. */
export function updatedMicros(document: FeedDocument): number {
  const micros = instantMicros(document.lastMod);
  return Number.isNaN(micros) ? document.updatedMs * 1000 : micros;
}

/** Merges newest-first lists into one newest-first list without duplicates (by id). */
export function* mergeNewestFirst(lists: readonly (readonly FeedDocument[])[]): Generator<FeedDocument> {
  const positions = lists.map(() => 0);
  const seen = new Set<string>();
  for (;;) {
    let best = -1;
    for (let i = 0; i < lists.length; i++) {
      const candidate = lists[i]![positions[i]!];
      if (candidate === undefined) continue;
      const current = best < 0 ? undefined : lists[best]![positions[best]!];
      if (current === undefined || compareNewestFirst(candidate, current) < 0) best = i;
    }
    if (best < 0) return;
    const next = lists[best]![positions[best]!]!;
    positions[best]! += 1;
    if (seen.has(next.id)) continue;
    seen.add(next.id);
    yield next;
  }
}
