import type { FeedDocument } from '../content/document.ts';

/**
 * RFC 5005 paging. Page 1 holds the oldest `pageSize` items; only full pages
 * exist, so a page's items never change as newer items arrive. The current
 * feed (at least `pageSize` newest items) covers everything after the newest
 * full page, so walking back from it leaves no gap.
 */
export function archivePageCount(total: number, pageSize: number): number {
  return Math.floor(total / pageSize);
}

/** Items of page `page` (1-based), newest first like every feed; empty when out of range. */
export function archivePageItems(newestFirst: readonly FeedDocument[], pageSize: number, page: number): readonly FeedDocument[] {
  const pages = archivePageCount(newestFirst.length, pageSize);
  if (!Number.isSafeInteger(page) || page < 1 || page > pages) return [];
  const end = newestFirst.length - (page - 1) * pageSize;
  return newestFirst.slice(end - pageSize, end);
}

/** A page with a newer page after it gains no more links: its bytes are final. */
export function isSealedPage(total: number, pageSize: number, page: number): boolean {
  return page < archivePageCount(total, pageSize);
}
