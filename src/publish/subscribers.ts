/**
 * Subscriber counts reported by feed aggregators in their User-Agent.
 *
 * Hosted readers fetch a feed once for all of their users and say how many
 * users that is, e.g. `Feedly/1.0 (+http://www.feedly.com/fetcher.html; 42 subscribers; )`.
 * This module turns such a header into `{ aggregator, subscribers, feedId? }`
 * and keeps the latest report per (feed path, aggregator, feedId) in a bounded
 * store. Pure: no I/O, no clock (callers pass `nowMs`), no Node built-ins.
 *
 * Trust model: a User-Agent is a claim anyone can make. What this module
 * guarantees is that a hostile client cannot make it use unbounded memory or
 * CPU, cannot invent aggregators (names come from a fixed allowlist; anything
 * else is bucketed under `other`, which counts as ONE aggregator line: the max
 * of its entries, never their sum), cannot report absurd numbers, and can only
 * add a bounded number of lines per aggregator (`maxIdsPerAggregator`). It
 * cannot tell a real Feedly poll from a forged one; that needs the caller to
 * check source IP ranges, if it cares.
 *
 * Which aggregators really report counts, and the exact strings, with sources,
 * are listed in RULES below and in test/fixtures/aggregator-user-agents.ts.
 * Checked and NOT reporting counts (so they parse to undefined): Feedspot
 * (`Feedspot/1.0 (+https://www.feedspot.com/fs/fetcher; like FeedFetcher-Google)`),
 * Superfeedr (`Superfeedr bot/2.0 http://superfeedr.com - Make your feeds realtime:
 * get in touch - feed-id:46271263`, a feed id but no count), Tiny Tiny RSS
 * (`Tiny Tiny RSS/%s (https://github.com/tt-rss/tt-rss)`) and Miniflux
 * (`Mozilla/5.0 (compatible; Miniflux/<version>; +https://miniflux.app)`); the
 * last two are self-hosted, one install per reader.
 */

/** Largest count accepted. Feedly's biggest feeds report a few million; more is a lie. */
export const MAX_SUBSCRIBERS = 10_000_000;
/** User-Agents longer than this are ignored without being scanned. */
export const MAX_USER_AGENT_LENGTH = 1024;
/** Feed paths longer than this are not recorded. */
export const MAX_PATH_LENGTH = 512;
/** The bucket for agents that use the `N subscribers` convention but are not in the allowlist. */
export const OTHER_AGGREGATOR = 'other';

const DAY_MS = 24 * 60 * 60 * 1000;
const FEED_ID = /^[A-Za-z0-9_-]{1,64}$/;

interface AggregatorRule {
  readonly key: string;
  /** Lower-case prefixes the whole User-Agent may start with. */
  readonly prefixes?: readonly string[];
  /** Lower-case markers the User-Agent may contain anywhere. */
  readonly markers?: readonly string[];
  /** Where this aggregator keeps its per-subscription id, when not in `feed-id`. */
  readonly feedId?: RegExp;
}

/*
 * The allowlist. Order matters only where one rule's marker could appear in
 * another's string; prefix rules come first. Sources (stored public copies):
 *   [B]  Buttondown docs, "RSS subscribers" table: https://docs.buttondown.com/rss-subscribers
 *   [FB] feedbin/support subscriber-statistics.md; feedbin/crawler app/jobs/feed_downloader.rb
 *        (`"Feedbin feed-id:#{@feed_id} - #{@subscribers} subscribers"`)
 *   [NB] samuelclay/NewsBlur apps/rss_feeds/models.py, Feed.user_agent
 *        (`"NewsBlur Feed Fetcher - %s subscriber%s - %s %s"` % (count, plural, permalink, fake UA));
 *        older fetchers put it inside a Safari UA: `... Safari/534.48.3 (NewsBlur Feed Fetcher - %s subscriber%s - %s)`
 *   [SL] sethmlarson/sethmlarson.dev app/markdown/2025-08-17/how-many-rss-subscribers-do-i-have.md
 *   [PP] popey/popey.com-blog, "Full text content in Hugo" (2023-09-01): a real access log
 *        with three Feedbin feed-ids for one feed URL, and Feedly
 *   [GA] allinurl/goaccess pull request #1870 "A few feed readers" (Inoreader, The Old Reader)
 *   [IB] omrilotan/isbot tests/spec/test.ts crawler fixtures (Bloglovin, Netvibes, Inoreader)
 *   [LA] lethain/apache-log-parser README.md "User agents successfully parsed for feed subscribers"
 *        (Google Feedfetcher, Netvibes, Bloglines, NewsGator)
 *   [HQ] FeedHQ wiki, https://github.com/feedhq/feedhq/wiki/User-Agent
 *   [FW] socketry/protocol-hpack spec/protocol/hpack/context_spec.rb (a captured header table)
 *   [PF] Pete Freitag, "Finding Feed subscribers from the User Agent",
 *        http://www.petefreitag.com/item/418.cfm (Bloglines, NewsGator, LiveJournal `readers`)
 *   [GR] devongovett/reader issue #10, quoting Google's Feedfetcher help page
 */
const RULES: readonly AggregatorRule[] = [
  // `Feedly/1.0 (+http://www.feedly.com/fetcher.html; 462 subscribers; )` [B][PP];
  // `Feedly/1.0 (poller; 131 subscribers;)` [SL]. No per-subscription id.
  { key: 'feedly', prefixes: ['feedly/'], markers: ['(compatible; feedly/'] },
  // `Feedbin feed-id:1697787 - 102 subscribers` [B][FB]; older `Feedbin - 12 subscribers` [FB].
  { key: 'feedbin', prefixes: ['feedbin '] },
  // `NewsBlur Feed Fetcher - 27 subscribers - https://www.newsblur.com/site/7704055/... ("Mozilla/5.0 ...")` [B][NB].
  // The number after /site/ is NewsBlur's feed id: two NewsBlur feeds can point at one URL.
  { key: 'newsblur', prefixes: ['newsblur feed fetcher'], markers: ['(newsblur feed fetcher'], feedId: /newsblur\.com\/site\/(\d{1,12})(?!\d)/ },
  // `FeedHQ/X.Y.Z (https://github.org/feedhq/feedhq; 1 subscriber; https://github.com/feedhq/feedhq/wiki/User-Agent; like FeedFetcher-Google)` [HQ].
  { key: 'feedhq', prefixes: ['feedhq/'] },
  // `Feed Wrangler/1.0 (1 subscriber; feed-id=479901; http://feedwrangler.net; Allow like Gecko)` [FW].
  { key: 'feedwrangler', prefixes: ['feed wrangler/'] },
  // `Netvibes (http://www.netvibes.com/; 5 subscribers; feedId: 5404723)` [LA][IB].
  { key: 'netvibes', prefixes: ['netvibes ('] },
  // `Bloglovin/1.0 (http://www.bloglovin.com; 1 subscribers)` [IB].
  { key: 'bloglovin', prefixes: ['bloglovin/'] },
  // `Feedfetcher-Google; (+http://www.google.com/feedfetcher.html; 4 subscribers; feed-id=1794595805790851116)` [GR][LA].
  // Google Reader closed in 2013; kept so old logs replay correctly.
  { key: 'google', prefixes: ['feedfetcher-google'] },
  // `Bloglines/3.1 (http://www.bloglines.com; 1 subscriber)` [LA][PF].
  { key: 'bloglines', prefixes: ['bloglines/'] },
  // `NewsGatorOnline/2.0 (http://www.newsgator.com; 39 subscribers)` [LA][PF].
  { key: 'newsgator', prefixes: ['newsgatoronline/'] },
  // `LiveJournal.com (webmaster@livejournal.com; for http://www.livejournal.com/users/NAME/; 1 readers)` [PF];
  // the syndication account NAME tells several accounts for one URL apart.
  { key: 'livejournal', prefixes: ['livejournal.com ('], feedId: /\/users\/([A-Za-z0-9_-]{1,64})\//i },
  // `Dreamwidth Studios (webmaster@dreamwidth.org; for https://www.dreamwidth.org/users/NAME/; 2 readers)` [B].
  { key: 'dreamwidth', prefixes: ['dreamwidth studios ('], feedId: /\/users\/([A-Za-z0-9_-]{1,64})\//i },
  // `Mozilla/5.0 (compatible; inoreader.com; 114 subscribers)` [B][GA][IB].
  { key: 'inoreader', markers: ['(compatible; inoreader'] },
  // `Mozilla/5.0 (compatible; theoldreader.com; 1 subscribers; feed-id=cead6c3a837650eeefd8fe4a)` [B][GA].
  { key: 'theoldreader', markers: ['(compatible; theoldreader.com'] },
  // `Mozilla/5.0 (compatible; BazQux/2.4; +https://bazqux.com/fetcher; 1 subscribers)` [B].
  { key: 'bazqux', markers: ['(compatible; bazqux/'] },
];

/** Every aggregator key `parseSubscriberAgent` can return, `other` last. */
export const AGGREGATORS: readonly string[] = Object.freeze([...RULES.map((rule) => rule.key), OTHER_AGGREGATOR]);
const AGGREGATOR_SET: ReadonlySet<string> = new Set(AGGREGATORS);

export interface SubscriberAgent {
  /** A key from AGGREGATORS. */
  readonly aggregator: string;
  /** 0 .. MAX_SUBSCRIBERS. */
  readonly subscribers: number;
  /** Tells apart several subscriptions of one aggregator to one feed URL ([A-Za-z0-9_-]{1,64}). */
  readonly feedId?: string;
}

/*
 * No nested or adjacent unbounded quantifiers: every attempt does a bounded
 * amount of work, so a scan is linear in the (already capped) input.
 * The count must stand alone: preceded by start, whitespace, `(` or `;` and
 * followed by a space, so `-5`, `1e9`, `1.5`, `1,204`, `0x10` never match.
 */
const COUNT = /(?:^|[\s(;])(\d{1,9})[ \t]{1,3}(subscribers?|readers?)(?![A-Za-z])/gi;
const GENERIC_FEED_ID = /(?:^|[\s(;])feed-?id[ \t]{0,2}[:=][ \t]{0,2}([A-Za-z0-9_-]{1,64})(?![A-Za-z0-9_-])/i;

function identify(lower: string): AggregatorRule | undefined {
  for (const rule of RULES) {
    if (rule.prefixes?.some((prefix) => lower.startsWith(prefix))) return rule;
    if (rule.markers?.some((marker) => lower.includes(marker))) return rule;
  }
  return undefined;
}

function readCount(userAgent: string): number | undefined {
  COUNT.lastIndex = 0;
  let found: string | undefined;
  for (let match = COUNT.exec(userAgent); match !== null; match = COUNT.exec(userAgent)) {
    if (found !== undefined) return undefined; // two counts: ambiguous, trust neither
    found = match[1];
  }
  if (found === undefined) return undefined;
  if (found.length > 1 && found.startsWith('0')) return undefined; // `007 subscribers` is not how anyone counts
  const value = Number(found);
  return Number.isSafeInteger(value) && value >= 0 && value <= MAX_SUBSCRIBERS ? value : undefined;
}

/** 32-bit FNV-1a, base 36: a short, stable, non-reversible label for an unknown agent's shape. */
function shapeHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(36);
}

/**
 * Reads an aggregator's subscriber report from a User-Agent header.
 * Returns undefined for anything that is not a single, plain decimal
 * `N subscribers` / `N readers` claim of at most MAX_SUBSCRIBERS, and for
 * headers longer than MAX_USER_AGENT_LENGTH. Never throws.
 *
 * Unknown agents get aggregator `other` and a feedId `ua-<hash>` of their
 * header with the count removed, so two unknown agents are two entries of the
 * `other` bucket (whose total is their max) rather than overwriting each other.
 */
export function parseSubscriberAgent(userAgent: string): SubscriberAgent | undefined {
  if (typeof userAgent !== 'string' || userAgent.length === 0 || userAgent.length > MAX_USER_AGENT_LENGTH) return undefined;
  const subscribers = readCount(userAgent);
  if (subscribers === undefined) return undefined;

  const rule = identify(userAgent.toLowerCase());
  if (rule === undefined) {
    COUNT.lastIndex = 0;
    return { aggregator: OTHER_AGGREGATOR, subscribers, feedId: `ua-${shapeHash(userAgent.replace(COUNT, ' #'))}` };
  }
  const feedId = (rule.feedId ?? GENERIC_FEED_ID).exec(userAgent)?.[1];
  return feedId === undefined ? { aggregator: rule.key, subscribers } : { aggregator: rule.key, subscribers, feedId };
}

export interface SubscriberCountsOptions {
  /** Feed paths kept; the least recently reported path goes first. Default 10,000. */
  readonly maxFeeds?: number;
  /** (aggregator, feedId) entries kept per feed path. Default 64. */
  readonly maxEntriesPerFeed?: number;
  /** Entries one aggregator (or the `other` bucket) may hold per feed path. Default 8. */
  readonly maxIdsPerAggregator?: number;
  /** `prune` drops reports older than this. Default 7 days: aggregators poll at least daily. */
  readonly maxAgeMs?: number;
}

export interface SubscriberCountEntry {
  readonly feed: string;
  readonly aggregator: string;
  readonly count: number;
}

interface StoredEntry {
  readonly aggregator: string;
  readonly feedId: string | undefined;
  readonly subscribers: number;
  readonly seenAt: number;
}

interface SerializedEntry {
  readonly aggregator: string;
  readonly feedId?: string;
  readonly subscribers: number;
  readonly seenAt: number;
}

export interface SubscriberCountsJSON {
  readonly version: 1;
  /** Least recently reported feed first. */
  readonly feeds: readonly { readonly path: string; readonly entries: readonly SerializedEntry[] }[];
}

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${String(value)}`);
  return value;
}

function validPath(path: unknown): path is string {
  return typeof path === 'string' && path.length > 0 && path.length <= MAX_PATH_LENGTH;
}

function validAgent(value: unknown): value is SubscriberAgent {
  if (typeof value !== 'object' || value === null) return false;
  const { aggregator, subscribers, feedId } = value as Record<string, unknown>;
  return (
    typeof aggregator === 'string' &&
    AGGREGATOR_SET.has(aggregator) &&
    typeof subscribers === 'number' &&
    Number.isSafeInteger(subscribers) &&
    subscribers >= 0 &&
    subscribers <= MAX_SUBSCRIBERS &&
    (feedId === undefined || (typeof feedId === 'string' && FEED_ID.test(feedId)))
  );
}

function validTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

const entryKey = (aggregator: string, feedId: string | undefined): string => `${aggregator}|${feedId ?? ''}`;

/**
 * The latest count per (feed path, aggregator, feedId), bounded in every
 * dimension. A path's total sums each allowlisted aggregator's entries (one
 * per feedId) and adds the `other` bucket once, as the max of its entries.
 */
export class SubscriberCounts {
  readonly #maxFeeds: number;
  readonly #maxEntriesPerFeed: number;
  readonly #maxIdsPerAggregator: number;
  readonly #maxAgeMs: number;
  /** Map order is recency of the last accepted report: the first path is evicted first. */
  readonly #feeds = new Map<string, Map<string, StoredEntry>>();
  #size = 0;

  constructor(options: SubscriberCountsOptions = {}) {
    this.#maxFeeds = positiveInteger(options.maxFeeds, 10_000, 'maxFeeds');
    this.#maxEntriesPerFeed = positiveInteger(options.maxEntriesPerFeed, 64, 'maxEntriesPerFeed');
    this.#maxIdsPerAggregator = positiveInteger(options.maxIdsPerAggregator, 8, 'maxIdsPerAggregator');
    this.#maxAgeMs = positiveInteger(options.maxAgeMs, 7 * DAY_MS, 'maxAgeMs');
  }

  /** Stored (feed path, aggregator, feedId) entries, across all paths. */
  get size(): number {
    return this.#size;
  }

  /** Feed paths with at least one entry. */
  get feedCount(): number {
    return this.#feeds.size;
  }

  /**
   * Keeps `parsed` as the latest report for its (path, aggregator, feedId).
   * A report older than the stored one is ignored (logs can be replayed out of
   * order). Returns whether it was stored. Invalid input is ignored, not thrown.
   */
  record(path: string, parsed: SubscriberAgent, nowMs: number): boolean {
    if (!validPath(path) || !validAgent(parsed) || !validTime(nowMs)) return false;
    const key = entryKey(parsed.aggregator, parsed.feedId);
    let entries = this.#feeds.get(path);
    const previous = entries?.get(key);
    if (previous !== undefined && previous.seenAt > nowMs) return false;

    if (entries === undefined) {
      if (this.#feeds.size >= this.#maxFeeds) this.#evictOldestFeed();
      entries = new Map();
    } else {
      this.#feeds.delete(path); // re-inserted below: most recent last
    }
    this.#feeds.set(path, entries);

    if (previous === undefined) {
      this.#makeRoom(entries, parsed.aggregator);
      this.#size++;
    } else {
      entries.delete(key); // keep insertion order meaningful too
    }
    entries.set(key, { aggregator: parsed.aggregator, feedId: parsed.feedId, subscribers: parsed.subscribers, seenAt: nowMs });
    return true;
  }

  /** Sum of each aggregator's latest counts for `path`, `other` counted once (its max). 0 if unknown. */
  total(path: string): number {
    let sum = 0;
    for (const count of Object.values(this.byAggregator(path))) sum += count;
    return sum;
  }

  /** Per-aggregator counts for `path`: the sum over feedIds, or the max for `other`. */
  byAggregator(path: string): Record<string, number> {
    const result: Record<string, number> = {};
    const entries = this.#feeds.get(path);
    if (entries === undefined) return result;
    for (const entry of entries.values()) {
      const current = result[entry.aggregator] ?? 0;
      result[entry.aggregator] = entry.aggregator === OTHER_AGGREGATOR ? Math.max(current, entry.subscribers) : current + entry.subscribers;
    }
    return result;
  }

  /** One line per (feed, aggregator), sorted, for a gauge such as `feed_subscribers{feed,aggregator}`. */
  entries(): SubscriberCountEntry[] {
    const lines: SubscriberCountEntry[] = [];
    for (const feed of [...this.#feeds.keys()].sort()) {
      const counts = this.byAggregator(feed);
      for (const aggregator of Object.keys(counts).sort()) lines.push({ feed, aggregator, count: counts[aggregator] ?? 0 });
    }
    return lines;
  }

  /** Drops reports older than maxAgeMs before `nowMs`, and paths left empty. Returns how many entries went. */
  prune(nowMs: number): number {
    if (!validTime(nowMs)) return 0;
    const cutoff = nowMs - this.#maxAgeMs;
    let removed = 0;
    for (const [path, entries] of this.#feeds) {
      for (const [key, entry] of entries) {
        if (entry.seenAt < cutoff) {
          entries.delete(key);
          removed++;
        }
      }
      if (entries.size === 0) this.#feeds.delete(path);
    }
    this.#size -= removed;
    return removed;
  }

  toJSON(): SubscriberCountsJSON {
    return {
      version: 1,
      feeds: [...this.#feeds].map(([path, entries]) => ({
        path,
        entries: [...entries.values()].map(({ aggregator, feedId, subscribers, seenAt }) =>
          feedId === undefined ? { aggregator, subscribers, seenAt } : { aggregator, feedId, subscribers, seenAt },
        ),
      })),
    };
  }

  /**
   * Restores a store written by toJSON. Anything malformed (wrong version,
   * unknown aggregator, bad count, bad id, bad time, bad path, wrong shape)
   * gives an empty store; this never throws. The bounds of `options` apply, so
   * data written with larger bounds keeps its most recent entries.
   */
  static fromJSON(value: unknown, options: SubscriberCountsOptions = {}): SubscriberCounts {
    const store = new SubscriberCounts(options);
    try {
      if (typeof value !== 'object' || value === null) return store;
      const { version, feeds } = value as Record<string, unknown>;
      if (version !== 1 || !Array.isArray(feeds)) return store;
      const accepted: { path: string; entries: StoredEntry[] }[] = [];
      for (const feed of feeds as unknown[]) {
        if (typeof feed !== 'object' || feed === null) return store;
        const { path, entries } = feed as Record<string, unknown>;
        if (!validPath(path) || !Array.isArray(entries)) return store;
        const kept: StoredEntry[] = [];
        for (const entry of entries as unknown[]) {
          if (!validAgent(entry)) return store;
          const { seenAt } = entry as unknown as Record<string, unknown>;
          if (!validTime(seenAt)) return store;
          kept.push({ aggregator: entry.aggregator, feedId: entry.feedId, subscribers: entry.subscribers, seenAt });
        }
        accepted.push({ path, entries: kept.sort((a, b) => a.seenAt - b.seenAt) });
      }
      for (const { path, entries } of accepted) {
        for (const { aggregator, feedId, subscribers, seenAt } of entries) {
          store.record(path, feedId === undefined ? { aggregator, subscribers } : { aggregator, feedId, subscribers }, seenAt);
        }
      }
      return store;
    } catch {
      return new SubscriberCounts(options);
    }
  }

  #evictOldestFeed(): void {
    const oldest = this.#feeds.keys().next();
    if (oldest.done === true) return;
    this.#size -= this.#feeds.get(oldest.value)?.size ?? 0;
    this.#feeds.delete(oldest.value);
  }

  /**
   * Before a new entry for `aggregator` goes into `entries`: if that
   * aggregator already holds maxIdsPerAggregator entries, its oldest goes;
   * else if the path is full, the oldest entry of the aggregator holding the
   * most entries goes, so a flood of one name evicts only that name.
   */
  #makeRoom(entries: Map<string, StoredEntry>, aggregator: string): void {
    const groups = new Map<string, { count: number; oldestKey: string; oldestAt: number }>();
    for (const [key, entry] of entries) {
      const group = groups.get(entry.aggregator);
      if (group === undefined) groups.set(entry.aggregator, { count: 1, oldestKey: key, oldestAt: entry.seenAt });
      else {
        group.count++;
        if (entry.seenAt < group.oldestAt) {
          group.oldestKey = key;
          group.oldestAt = entry.seenAt;
        }
      }
    }
    let victim: string | undefined;
    const own = groups.get(aggregator);
    if (own !== undefined && own.count >= this.#maxIdsPerAggregator) victim = own.oldestKey;
    else if (entries.size >= this.#maxEntriesPerFeed) {
      let largest: { count: number; oldestKey: string; oldestAt: number } | undefined;
      for (const group of groups.values()) {
        if (largest === undefined || group.count > largest.count || (group.count === largest.count && group.oldestAt < largest.oldestAt)) largest = group;
      }
      victim = largest?.oldestKey;
    }
    if (victim !== undefined && entries.delete(victim)) this.#size--;
  }
}

/**
 * Per-topic subscriber totals at one moment, as the index and topics.json
 * show them. Immutable: a catalog holds one, and it is part of those two
 * representations' validators, so one ETag always names one body. The Node
 * shell takes a new one at most every SUBSCRIBERS_REFRESH_MS, and only swaps
 * it in when a total changed.
 */
export interface SubscriberTotals {
  /** Topic slug -> sum of the totals of its feeds (RSS, Atom, JSON Feed); only topics with a report above 0. */
  readonly byTopic: ReadonlyMap<string, number>;
  /** When the totals were taken (ms since the epoch); 0 for none. Part of Last-Modified when there are totals. */
  readonly asOfMs: number;
}

export const NO_SUBSCRIBER_TOTALS: SubscriberTotals = Object.freeze({ byTopic: new Map<string, number>(), asOfMs: 0 });

/** The totals per topic slug, from the feed paths each topic has (`feedPaths(slug)`). */
export function topicSubscriberTotals(
  counts: SubscriberCounts,
  slugs: Iterable<string>,
  feedPaths: (slug: string) => readonly string[],
  nowMs: number,
): SubscriberTotals {
  const byTopic = new Map<string, number>();
  for (const slug of slugs) {
    let total = 0;
    for (const path of feedPaths(slug)) total += counts.total(path);
    if (total > 0) byTopic.set(slug, total);
  }
  return byTopic.size === 0 ? NO_SUBSCRIBER_TOTALS : { byTopic, asOfMs: nowMs };
}

/** Same numbers for the same topics (the time taken does not matter). */
export function sameSubscriberTotals(a: SubscriberTotals, b: SubscriberTotals): boolean {
  if (a.byTopic.size !== b.byTopic.size) return false;
  for (const [slug, total] of a.byTopic) if (b.byTopic.get(slug) !== total) return false;
  return true;
}

/** What the totals add to a validator: sorted `slug=total` pairs and the time taken (empty for none). */
export function subscriberFingerprint(totals: SubscriberTotals): string[] {
  if (totals.byTopic.size === 0) return [];
  const parts = ['subscribers', String(totals.asOfMs)];
  for (const slug of [...totals.byTopic.keys()].sort()) parts.push(slug, String(totals.byTopic.get(slug)));
  return parts;
}
