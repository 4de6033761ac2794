/**
 * When an item counts as published. The instant newsletter tools (Mailchimp
 * RSS campaigns, MailerLite, FeedBlitz, Buttondown) compare with their last
 * send is the instant the item first appeared in our feeds; the Node side
 * keeps it in a first-seen ledger (src/ingest/first-seen.ts). This file holds
 * the pure rule for items that were already there when the ledger started
 * (the backfill): never "now", or a first import would mail years of items.
 */

export const DAY_MS = 86_400_000;

/** The two instants a document's front matter gives (see content/normalize.ts `readDates`). */
export interface DocumentDates {
  /** `date`: a day at 00:00 UTC, or an instant when `date` carries a time (or `lastMod` when `date` is missing). */
  readonly publishedMs: number;
  /** `lastMod` (or `date` when `lastMod` is missing). */
  readonly updatedMs: number;
}

const utcDay = (ms: number): number => Math.floor(ms / DAY_MS);

/**
 * A backfilled item keeps its own day: its `lastMod` when that falls on the
 * same UTC day as its `date` (the curation time of that day), else `date`.
 * A `date` that carries its own time of day is already an instant and is kept.
 *
 * `date: 2021-01-13`, `lastMod: 2021-01-13T12:06:42Z` -> 2021-01-13T12:06:42Z;
 * `date: 2021-01-13`, `lastMod: 2021-03-02T09:00:00Z` -> 2021-01-13T00:00:00Z.
 */
export function backfillPublishedMs(dates: DocumentDates): number {
  const { publishedMs, updatedMs } = dates;
  if (!Number.isFinite(updatedMs)) return publishedMs;
  const dateIsDay = publishedMs % DAY_MS === 0;
  if (!dateIsDay) return publishedMs;
  return utcDay(updatedMs) === utcDay(publishedMs) ? updatedMs : publishedMs;
}
