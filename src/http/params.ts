import type { SiteConfig } from '../config/config.ts';
import { FEED_FORMATS } from '../feeds/model.ts';
import type { FeedFormat } from '../feeds/model.ts';
import type { SinceInstant } from '../publish/catalog.ts';
import { instantMicros } from '../topics/order.ts';
import { isSlug } from '../content/topic-slug.ts';
import { MAX_FILTER_LENGTH } from '../topics/sources.ts';

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = (reason: string): Parsed<never> => ({ ok: false, reason });

/** The single value of a query parameter; a repeated parameter is an error, not a guess. */
function single(name: string, values: readonly string[] | undefined): Parsed<string | undefined> {
  if (values === undefined || values.length === 0) return ok(undefined);
  if (values.length > 1) return bad(`${name} may be given once`);
  return ok(values[0]);
}

/** `?limit=N`: one whole number from 1 to the configured maximum. */
export function parseLimit(values: readonly string[] | undefined, site: SiteConfig): Parsed<number> {
  const raw = single('limit', values);
  if (!raw.ok) return raw;
  if (raw.value === undefined) return ok(site.feedLimit);
  const reason = `limit must be a whole number from 1 to ${site.maxFeedLimit}`;
  if (!/^[0-9]{1,4}$/.test(raw.value)) return bad(reason);
  const limit = Number(raw.value);
  return limit >= 1 && limit <= site.maxFeedLimit ? ok(limit) : bad(reason);
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

/** `?since=<RFC 3339 timestamp>`, with the calendar checked (no 2021-02-30). */
export function parseSince(values: readonly string[] | undefined): Parsed<SinceInstant | undefined> {
  const raw = single('since', values);
  if (!raw.ok) return raw;
  if (raw.value === undefined) return ok(undefined);
  const reason = 'since must be an RFC 3339 timestamp such as 2026-01-31T09:00:00Z';
  const match = RFC3339.exec(raw.value);
  if (!match) return bad(reason);
  const [, year, month, day, hour, minute, second] = match.map(Number) as number[];
  const calendar = new Date(Date.UTC(year!, month! - 1, day!));
  if (calendar.getUTCMonth() !== month! - 1 || calendar.getUTCDate() !== day! || hour! > 23 || minute! > 59 || second! > 60) {
    return bad(reason);
  }
  const micros = instantMicros(raw.value.replace(/[Tt]/, 'T').replace(/z$/, 'Z'));
  return Number.isNaN(micros) ? bad(reason) : ok({ raw: raw.value, micros });
}

/** `?view=html` forces the browser preview, `?view=feed` the feed. */
export function parseView(values: readonly string[] | undefined): Parsed<'html' | 'feed' | undefined> {
  const raw = single('view', values);
  if (!raw.ok) return raw;
  if (raw.value === undefined || raw.value === 'html' || raw.value === 'feed') return ok(raw.value);
  return bad('view must be html or feed');
}

/** `?format=` of /opml.xml: which feed URL each outline carries. */
export function parseFormat(values: readonly string[] | undefined): Parsed<FeedFormat> {
  const raw = single('format', values);
  if (!raw.ok) return raw;
  if (raw.value === undefined) return ok('rss');
  return (FEED_FORMATS as readonly string[]).includes(raw.value)
    ? ok(raw.value as FeedFormat)
    : bad(`format must be one of ${FEED_FORMATS.join(', ')}`);
}

/** `?topics=a,b,c` of /opml.xml: distinct, well-formed slugs. */
export function parseTopicList(values: readonly string[] | undefined, max: number): Parsed<readonly string[] | undefined> {
  const raw = single('topics', values);
  if (!raw.ok) return raw;
  if (raw.value === undefined) return ok(undefined);
  const slugs = [...new Set(raw.value.split(',').map((slug) => slug.trim().toLowerCase()).filter((slug) => slug !== ''))];
  if (slugs.length === 0) return bad('topics must list at least one topic slug');
  if (slugs.length > max) return bad(`topics may list at most ${max} slugs`);
  const malformed = slugs.find((slug) => !isSlug(slug));
  return malformed === undefined ? ok(slugs.sort()) : bad(`${JSON.stringify(malformed.slice(0, 80))} is not a topic slug`);
}

/**
 * `?q=` of the index: the topic filter, whitespace runs as one space, trimmed;
 * blank is no filter. At most MAX_FILTER_LENGTH characters as sent.
 */
export function parseFilter(values: readonly string[] | undefined): Parsed<string | undefined> {
  const raw = single('q', values);
  if (!raw.ok) return raw;
  if (raw.value === undefined) return ok(undefined);
  if (raw.value.length > MAX_FILTER_LENGTH && [...raw.value].length > MAX_FILTER_LENGTH) {
    return bad(`q (the topic filter) may be at most ${MAX_FILTER_LENGTH} characters`);
  }
  const query = raw.value.replace(/\s+/g, ' ').trim();
  return ok(query === '' ? undefined : query);
}

/** `/archive/<page>/`: a page number without sign, leading zeros or exponent. */
export function parsePage(raw: string): number | undefined {
  return /^[1-9][0-9]{0,8}$/.test(raw) ? Number(raw) : undefined;
}
