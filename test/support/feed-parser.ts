/**
 * @rowanmanning/feed-parser as a second, lenient, reader-like opinion on our
 * RSS/Atom output. It decodes HTML entities in text once more after XML
 * parsing and trims values, as many real readers do; exact round trips belong
 * to the strict parser (test/support/xml.ts), this one checks that a typical
 * reader finds the fields where we meant them.
 */
import { parseFeed } from '@rowanmanning/feed-parser';

export type ParsedFeed = ReturnType<ReturnType<typeof parseFeed>['toJSON']>;
export type ParsedItem = ParsedFeed['items'][number];

/** Parses and returns the plain JSON view (dates as ISO strings). Throws on an unreadable feed. */
export function parseWithFeedParser(xml: string): ParsedFeed {
  return parseFeed(xml).toJSON();
}
