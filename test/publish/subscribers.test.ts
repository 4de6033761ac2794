/**
 * Subscriber counts from aggregator User-Agents: the real strings parse to the
 * right (aggregator, count, feedId); everything else is undefined; a hostile
 * client can neither grow memory nor inflate the total beyond one `other`
 * line; persistence round-trips and refuses garbage without throwing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AGGREGATORS,
  MAX_PATH_LENGTH,
  MAX_SUBSCRIBERS,
  MAX_USER_AGENT_LENGTH,
  OTHER_AGGREGATOR,
  parseSubscriberAgent,
  SubscriberCounts,
  type SubscriberAgent,
} from '../../src/publish/subscribers.ts';
import { COUNTING_AGENTS, NON_COUNTING_AGENTS } from '../fixtures/aggregator-user-agents.ts';

const DAY = 24 * 60 * 60 * 1000;
const T0 = Date.UTC(2026, 0, 1);
const FEED = '/feeds/all.xml';
const FEED_ID = /^[A-Za-z0-9_-]{1,64}$/;

function parsed(ua: string): SubscriberAgent {
  const result = parseSubscriberAgent(ua);
  if (result === undefined) throw new Error(`expected a count in ${ua}`);
  return result;
}

describe('parseSubscriberAgent: real aggregator strings', () => {
  it.each(COUNTING_AGENTS.map((agent) => [agent.aggregator, agent.subscribers, agent.source, agent]))('%s reports %i (%s)', (_a, _n, _s, agent) => {
    const result = parseSubscriberAgent(agent.ua);
    expect(result?.aggregator).toBe(agent.aggregator);
    expect(result?.subscribers).toBe(agent.subscribers);
    if (agent.aggregator === OTHER_AGGREGATOR) expect(result?.feedId).toMatch(/^ua-[0-9a-z]+$/);
    else expect(result?.feedId).toBe(agent.feedId);
  });

  it('covers every allowlisted aggregator with at least one real string', () => {
    const seen = new Set(COUNTING_AGENTS.map((agent) => agent.aggregator));
    expect(AGGREGATORS.filter((key) => !seen.has(key))).toEqual([]);
  });

  it.each(NON_COUNTING_AGENTS.map((agent) => [agent.source, agent.ua]))('no count from %s', (_source, ua) => {
    expect(parseSubscriberAgent(ua)).toBeUndefined();
  });

  it('keys an unknown agent by its shape, not its count, and never by a name it chose', () => {
    const a = parsed('LionReader/1.0 (+https://lionreader.example; 5 subscribers)');
    const b = parsed('LionReader/1.0 (+https://lionreader.example; 9 subscribers)');
    const c = parsed('OtherReader/2.0 (5 subscribers)');
    expect([a.aggregator, b.aggregator, c.aggregator]).toEqual(['other', 'other', 'other']);
    expect(a.feedId).toBe(b.feedId);
    expect(a.feedId).not.toBe(c.feedId);
  });
});

describe('parseSubscriberAgent: hostile input', () => {
  const feedly = (count: string): string => `Feedly/1.0 (+http://www.feedly.com/fetcher.html; ${count} subscribers; )`;

  it('accepts the cap and rejects anything above it', () => {
    expect(parsed(feedly(String(MAX_SUBSCRIBERS))).subscribers).toBe(MAX_SUBSCRIBERS);
    expect(parseSubscriberAgent(feedly(String(MAX_SUBSCRIBERS + 1)))).toBeUndefined();
    expect(parseSubscriberAgent(feedly('999999999'))).toBeUndefined();
    expect(parseSubscriberAgent(feedly('99999999999999999999999'))).toBeUndefined();
  });

  it.each(['-5', '1e9', '1E3', '1.5', '1,204', '0x10', '+5', '007', 'NaN', 'Infinity', '１２', '٣', '5abc'])('rejects a count of %s', (count) => {
    expect(parseSubscriberAgent(feedly(count))).toBeUndefined();
    expect(parseSubscriberAgent(`Feedbin feed-id:1 - ${count} subscribers`)).toBeUndefined();
  });

  it('rejects two counts in one header rather than picking one', () => {
    expect(parseSubscriberAgent('Feedly/1.0 (5 subscribers; 5000 subscribers)')).toBeUndefined();
    expect(parseSubscriberAgent('x (3 readers; 4 subscribers)')).toBeUndefined();
  });

  it('needs the word itself: "subscribersX", "subscribe", "users 2" are not counts', () => {
    expect(parseSubscriberAgent('Feedly/1.0 (5 subscribersX)')).toBeUndefined();
    expect(parseSubscriberAgent('Feedly/1.0 (5 subscribe)')).toBeUndefined();
    expect(parseSubscriberAgent('Feedly/1.0 (users 2)')).toBeUndefined();
    expect(parseSubscriberAgent('Feedly/1.0 (5subscribers)')).toBeUndefined();
  });

  it('drops a feed id that is too long or not [A-Za-z0-9_-] but keeps the count', () => {
    expect(parseSubscriberAgent(`Feedbin feed-id:${'a'.repeat(65)} - 3 subscribers`)).toEqual({ aggregator: 'feedbin', subscribers: 3 });
    expect(parseSubscriberAgent(`Feedbin feed-id:${'a'.repeat(64)} - 3 subscribers`)).toEqual({ aggregator: 'feedbin', subscribers: 3, feedId: 'a'.repeat(64) });
    expect(parseSubscriberAgent('Feedbin feed-id:é1 - 3 subscribers')).toEqual({ aggregator: 'feedbin', subscribers: 3 });
  });

  it('ignores headers over 1 KiB without reading them, and handles exactly 1 KiB', () => {
    const valid = feedly('42');
    const padded = valid + ' '.repeat(MAX_USER_AGENT_LENGTH - valid.length);
    expect(padded).toHaveLength(MAX_USER_AGENT_LENGTH);
    expect(parsed(padded)).toEqual({ aggregator: 'feedly', subscribers: 42 });
    expect(parseSubscriberAgent(`${padded} `)).toBeUndefined();
  });

  it.each([
    ['digits', '9'.repeat(100_000)],
    ['space-digit runs', ' 1'.repeat(50_000)],
    ['almost-counts', '1 subscriber'.repeat(9_000)],
    ['feed-id spam', 'feed-id:'.repeat(12_500)],
    ['a real UA buried in padding', `${feedly('42')}${'('.repeat(100_000)}`],
    ['separators', '(; '.repeat(33_334)],
  ])('returns undefined for a 100 KB hostile header (%s)', (_name, ua) => {
    expect(ua.length).toBeGreaterThanOrEqual(100_000);
    expect(parseSubscriberAgent(ua)).toBeUndefined();
  });

  it('scans worst-case 1 KiB headers and still gets them right', () => {
    expect(parseSubscriberAgent(' 1'.repeat(512))).toBeUndefined();
    expect(parseSubscriberAgent('9'.repeat(1024))).toBeUndefined();
    expect(parseSubscriberAgent(`${'1 '.repeat(500)}subscribers`)).toMatchObject({ aggregator: 'other', subscribers: 1 });
    expect(parseSubscriberAgent(`${'feed-id:1 '.repeat(100)} 3 subscribers`)).toMatchObject({ aggregator: 'other', subscribers: 3 });
  });

  it('returns undefined for non-strings that slip through untyped callers', () => {
    for (const value of [undefined, null, 42, {}, ['5 subscribers']]) {
      expect(parseSubscriberAgent(value as unknown as string)).toBeUndefined();
    }
  });
});

describe('SubscriberCounts', () => {
  it('sums Feedbin feed ids for one URL instead of overwriting (a real log)', () => {
    const store = new SubscriberCounts();
    for (const ua of ['Feedbin feed-id:1306543 - 3 subscribers', 'Feedbin feed-id:2000935 - 13 subscribers', 'Feedbin feed-id:9428 - 7 subscribers', 'Feedly/1.0 (+http://www.feedly.com/fetcher.html; 134 subscribers; )']) {
      expect(store.record(FEED, parsed(ua), T0)).toBe(true);
    }
    expect(store.byAggregator(FEED)).toEqual({ feedbin: 23, feedly: 134 });
    expect(store.total(FEED)).toBe(157);
    expect(store.size).toBe(4);
  });

  it('keeps the latest value per (aggregator, feedId) and ignores an older report', () => {
    const store = new SubscriberCounts();
    store.record(FEED, parsed('Feedly/1.0 (poller; 10 subscribers;)'), T0);
    store.record(FEED, parsed('Feedly/1.0 (poller; 12 subscribers;)'), T0 + 1000);
    expect(store.total(FEED)).toBe(12);
    expect(store.record(FEED, parsed('Feedly/1.0 (poller; 99 subscribers;)'), T0)).toBe(false);
    expect(store.total(FEED)).toBe(12);
    store.record(FEED, parsed('Feedly/1.0 (poller; 8 subscribers;)'), T0 + 2000);
    expect(store.total(FEED)).toBe(8);
    expect(store.size).toBe(1);
  });

  it('keeps feeds apart', () => {
    const store = new SubscriberCounts();
    store.record('/a.xml', parsed('Mozilla/5.0 (compatible; inoreader.com; 5 subscribers)'), T0);
    store.record('/b.xml', parsed('Mozilla/5.0 (compatible; inoreader.com; 7 subscribers)'), T0);
    expect([store.total('/a.xml'), store.total('/b.xml'), store.total('/c.xml')]).toEqual([5, 7, 0]);
    expect(store.byAggregator('/c.xml')).toEqual({});
  });

  it('counts the `other` bucket once, as its largest entry', () => {
    const store = new SubscriberCounts();
    store.record(FEED, parsed('ReaderA/1.0 (5 subscribers)'), T0);
    store.record(FEED, parsed('ReaderB/1.0 (50 subscribers)'), T0);
    store.record(FEED, parsed('ReaderC/1.0 (7 readers)'), T0);
    expect(store.byAggregator(FEED)).toEqual({ other: 50 });
    expect(store.total(FEED)).toBe(50);
  });

  it('bounds thousands of fake aggregator names: memory stays flat and they add one `other` line at most', () => {
    const store = new SubscriberCounts();
    const real = ['Feedbin feed-id:1306543 - 3 subscribers', 'Feedbin feed-id:9428 - 7 subscribers', 'Feedly/1.0 (+http://www.feedly.com/fetcher.html; 134 subscribers; )', 'Mozilla/5.0 (compatible; inoreader.com; 9 subscribers)'];
    for (const ua of real) store.record(FEED, parsed(ua), T0);
    const realTotal = store.total(FEED);
    for (let i = 0; i < 5000; i++) {
      store.record(FEED, parsed(`Fake${i}Reader/1.0 (+https://fake${i}.example; ${MAX_SUBSCRIBERS - i} subscribers)`), T0 + i);
    }
    expect(store.size).toBe(real.length + 8);
    const counts = store.byAggregator(FEED);
    expect(Object.keys(counts).sort()).toEqual(['feedbin', 'feedly', 'inoreader', 'other']);
    expect(counts.other).toBeLessThanOrEqual(MAX_SUBSCRIBERS);
    expect(store.total(FEED)).toBe(realTotal + (counts.other ?? 0));
    expect(store.entries().filter((line) => line.feed === FEED)).toHaveLength(4);
  });

  it('bounds forged feed ids of a real aggregator to maxIdsPerAggregator, evicting only that aggregator', () => {
    const store = new SubscriberCounts();
    store.record(FEED, parsed('Feedly/1.0 (poller; 100 subscribers;)'), T0);
    for (let i = 0; i < 1000; i++) store.record(FEED, parsed(`Feedbin feed-id:${i} - ${MAX_SUBSCRIBERS} subscribers`), T0 + i);
    expect(store.size).toBe(1 + 8);
    expect(store.byAggregator(FEED)).toEqual({ feedly: 100, feedbin: 8 * MAX_SUBSCRIBERS });
  });

  it('evicts from the largest aggregator when a feed path is full', () => {
    const store = new SubscriberCounts({ maxEntriesPerFeed: 4, maxIdsPerAggregator: 3 });
    store.record(FEED, parsed('Feedly/1.0 (poller; 1 subscribers;)'), T0);
    store.record(FEED, parsed('Feedbin feed-id:1 - 10 subscribers'), T0 + 1);
    store.record(FEED, parsed('Feedbin feed-id:2 - 20 subscribers'), T0 + 2);
    store.record(FEED, parsed('Feedbin feed-id:3 - 30 subscribers'), T0 + 3);
    store.record(FEED, parsed('Mozilla/5.0 (compatible; inoreader.com; 5 subscribers)'), T0 + 4);
    expect(store.size).toBe(4);
    expect(store.byAggregator(FEED)).toEqual({ feedly: 1, feedbin: 50, inoreader: 5 });
  });

  it('keeps at most maxFeeds paths, dropping the least recently reported', () => {
    const store = new SubscriberCounts({ maxFeeds: 3 });
    const inoreader = parsed('Mozilla/5.0 (compatible; inoreader.com; 1 subscribers)');
    for (const [i, path] of ['/a', '/b', '/c'].entries()) store.record(path, inoreader, T0 + i);
    store.record('/a', inoreader, T0 + 10); // /a is fresh again
    store.record('/d', inoreader, T0 + 11);
    expect(store.feedCount).toBe(3);
    expect(store.entries().map((line) => line.feed)).toEqual(['/a', '/c', '/d']);
    expect(store.size).toBe(3);
  });

  it('holds at most 10,000 feed paths by default', () => {
    const store = new SubscriberCounts();
    const agent = parsed('Feedly/1.0 (poller; 1 subscribers;)');
    for (let i = 0; i < 12_000; i++) store.record(`/feeds/${i}.xml`, agent, T0 + i);
    expect(store.feedCount).toBe(10_000);
    expect(store.size).toBe(10_000);
    expect(store.total('/feeds/0.xml')).toBe(0);
    expect(store.total('/feeds/11999.xml')).toBe(1);
  });

  it('prunes reports older than 7 days and the paths they leave empty', () => {
    const store = new SubscriberCounts();
    store.record('/old', parsed('Feedly/1.0 (poller; 5 subscribers;)'), T0);
    store.record(FEED, parsed('Feedly/1.0 (poller; 6 subscribers;)'), T0);
    store.record(FEED, parsed('Mozilla/5.0 (compatible; inoreader.com; 7 subscribers)'), T0 + 6 * DAY);
    expect(store.prune(T0 + 7 * DAY)).toBe(0);
    expect(store.prune(T0 + 7 * DAY + 1)).toBe(2);
    expect(store.feedCount).toBe(1);
    expect(store.size).toBe(1);
    expect(store.byAggregator(FEED)).toEqual({ inoreader: 7 });
  });

  it.each<[string, string, unknown, number]>([
    ['unknown aggregator', FEED, { aggregator: 'evil', subscribers: 1 }, T0],
    ['prototype key', FEED, { aggregator: '__proto__', subscribers: 1 }, T0],
    ['count over the cap', FEED, { aggregator: 'feedly', subscribers: MAX_SUBSCRIBERS + 1 }, T0],
    ['negative count', FEED, { aggregator: 'feedly', subscribers: -1 }, T0],
    ['fractional count', FEED, { aggregator: 'feedly', subscribers: 1.5 }, T0],
    ['NaN count', FEED, { aggregator: 'feedly', subscribers: Number.NaN }, T0],
    ['bad feed id', FEED, { aggregator: 'feedbin', subscribers: 1, feedId: '../x' }, T0],
    ['empty path', '', { aggregator: 'feedly', subscribers: 1 }, T0],
    ['huge path', `/${'p'.repeat(MAX_PATH_LENGTH)}`, { aggregator: 'feedly', subscribers: 1 }, T0],
    ['NaN time', FEED, { aggregator: 'feedly', subscribers: 1 }, Number.NaN],
    ['not an object', FEED, null, T0],
  ])('refuses to record a hand-built report with %s', (_name, path, agent, now) => {
    const store = new SubscriberCounts();
    expect(store.record(path, agent as SubscriberAgent, now)).toBe(false);
    expect(store.size).toBe(0);
  });

  it('lists one sorted gauge line per (feed, aggregator)', () => {
    const store = new SubscriberCounts();
    store.record('/b.xml', parsed('Feedly/1.0 (poller; 4 subscribers;)'), T0);
    store.record('/a.xml', parsed('Feedbin feed-id:1 - 2 subscribers'), T0);
    store.record('/a.xml', parsed('Feedbin feed-id:2 - 3 subscribers'), T0);
    store.record('/a.xml', parsed('X/1 (9 subscribers)'), T0);
    store.record('/a.xml', parsed('Y/1 (4 subscribers)'), T0);
    expect(store.entries()).toEqual([
      { feed: '/a.xml', aggregator: 'feedbin', count: 5 },
      { feed: '/a.xml', aggregator: 'other', count: 9 },
      { feed: '/b.xml', aggregator: 'feedly', count: 4 },
    ]);
  });

  it('rejects bad options loudly (a programming error, not data)', () => {
    expect(() => new SubscriberCounts({ maxFeeds: 0 })).toThrow(RangeError);
    expect(() => new SubscriberCounts({ maxEntriesPerFeed: 1.5 })).toThrow(RangeError);
  });
});

describe('SubscriberCounts persistence', () => {
  function sample(): SubscriberCounts {
    const store = new SubscriberCounts();
    COUNTING_AGENTS.forEach((agent, i) => store.record(i % 2 === 0 ? '/feeds/all.xml' : '/topics/ai.xml', parsed(agent.ua), T0 + i));
    return store;
  }

  it('round-trips through JSON text', () => {
    const store = sample();
    const restored = SubscriberCounts.fromJSON(JSON.parse(JSON.stringify(store)));
    expect(restored.toJSON()).toEqual(store.toJSON());
    expect(restored.entries()).toEqual(store.entries());
    expect(restored.total('/feeds/all.xml')).toBe(store.total('/feeds/all.xml'));
    expect(restored.size).toBe(store.size);
  });

  it('keeps recency across a restart: the path reported least recently is evicted first', () => {
    const store = new SubscriberCounts({ maxFeeds: 2 });
    const agent = parsed('Feedly/1.0 (poller; 1 subscribers;)');
    store.record('/a', agent, T0 + 5);
    store.record('/b', agent, T0 + 1);
    store.record('/a', agent, T0 + 6);
    const restored = SubscriberCounts.fromJSON(JSON.parse(JSON.stringify(store)), { maxFeeds: 2 });
    restored.record('/c', agent, T0 + 7);
    expect(restored.entries().map((line) => line.feed)).toEqual(['/a', '/c']);
  });

  it('applies smaller bounds on load, keeping the most recent entries', () => {
    const store = new SubscriberCounts();
    for (let i = 0; i < 8; i++) store.record(FEED, parsed(`Feedbin feed-id:${i} - ${i + 1} subscribers`), T0 + i);
    const restored = SubscriberCounts.fromJSON(store.toJSON(), { maxIdsPerAggregator: 2 });
    expect(restored.size).toBe(2);
    expect(restored.total(FEED)).toBe(7 + 8);
  });

  it('stores parsed fields only, never a raw User-Agent', () => {
    const store = new SubscriberCounts();
    store.record(FEED, parsed('Mozilla/5.0 (compatible; SecretReader/1.0; +https://secret.example; 3 subscribers)'), T0);
    const text = JSON.stringify(store);
    expect(text).not.toMatch(/Mozilla|SecretReader|secret\.example/);
  });

  const good = { aggregator: 'feedly', subscribers: 1, seenAt: T0 };
  const throwing = {
    version: 1,
    get feeds(): never {
      throw new Error('boom');
    },
  };
  const proxy = new Proxy({}, {
    get() {
      throw new Error('boom');
    },
  });
  it.each<[string, unknown]>([
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
    ['a string', '{"version":1}'],
    ['an array', []],
    ['an empty object', {}],
    ['a future version', { version: 2, feeds: [] }],
    ['feeds as an object', { version: 1, feeds: { '/x': [good] } }],
    ['a feed that is null', { version: 1, feeds: [null] }],
    ['a numeric path', { version: 1, feeds: [{ path: 7, entries: [good] }] }],
    ['an empty path', { version: 1, feeds: [{ path: '', entries: [good] }] }],
    ['a huge path', { version: 1, feeds: [{ path: 'p'.repeat(MAX_PATH_LENGTH + 1), entries: [good] }] }],
    ['entries missing', { version: 1, feeds: [{ path: '/x' }] }],
    ['an unknown aggregator', { version: 1, feeds: [{ path: '/x', entries: [good, { ...good, aggregator: 'evil' }] }] }],
    ['a __proto__ aggregator', JSON.parse('{"version":1,"feeds":[{"path":"/x","entries":[{"aggregator":"__proto__","subscribers":1,"seenAt":1}]}]}') as unknown],
    ['a count as a string', { version: 1, feeds: [{ path: '/x', entries: [{ ...good, subscribers: '5' }] }] }],
    ['a count over the cap', { version: 1, feeds: [{ path: '/x', entries: [{ ...good, subscribers: 1e9 }] }] }],
    ['a negative count', { version: 1, feeds: [{ path: '/x', entries: [{ ...good, subscribers: -3 }] }] }],
    ['a bad feed id', { version: 1, feeds: [{ path: '/x', entries: [{ ...good, feedId: '<script>' }] }] }],
    ['a missing time', { version: 1, feeds: [{ path: '/x', entries: [{ aggregator: 'feedly', subscribers: 1 }] }] }],
    ['a NaN time', { version: 1, feeds: [{ path: '/x', entries: [{ ...good, seenAt: Number.NaN }] }] }],
    ['a throwing getter', throwing],
    ['a throwing proxy', proxy],
  ])('gives an empty store for %s, without throwing', (_name, value) => {
    const store = SubscriberCounts.fromJSON(value);
    expect(store.size).toBe(0);
    expect(store.feedCount).toBe(0);
    expect(store.entries()).toEqual([]);
  });

  it('accepts a well-formed document', () => {
    const store = SubscriberCounts.fromJSON({ version: 1, feeds: [{ path: '/x', entries: [good, { aggregator: 'feedbin', feedId: '12', subscribers: 4, seenAt: T0 }] }] });
    expect(store.byAggregator('/x')).toEqual({ feedly: 1, feedbin: 4 });
  });
});

describe('properties', () => {
  const fragments = fc.constantFrom(
    ' ', ';', '(', ')', '-', ':', '=', '/', '\t', '\n', '\0', '\uFEFF', '\uD800',
    'subscribers', 'subscriber', 'readers', 'Reader', 'SUBSCRIBERS', 'feed-id', 'feedId', 'feedid=', '/site/', '/users/',
    'Feedly/1.0 (', 'Feedbin ', 'NewsBlur Feed Fetcher', '(compatible; inoreader.com; ', '(compatible; theoldreader.com; ',
    'Netvibes (', 'LiveJournal.com (', 'Dreamwidth Studios (', 'newsblur.com/site/12/', 'Feedfetcher-Google',
    '0', '1', '9', '10000000', '10000001', '999999999', '-1', '1e9', '１', '007', '4294967296',
  );
  const userAgent = fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.string({ unit: 'binary', maxLength: 300 }),
    fc.array(fragments, { maxLength: 40 }).map((parts) => parts.join('')),
    fc.array(fc.oneof(fragments, fc.string({ maxLength: 5 })), { maxLength: 40 }).map((parts) => parts.join('')),
    fc.constantFrom(...COUNTING_AGENTS.map((agent) => agent.ua), ...NON_COUNTING_AGENTS.map((agent) => agent.ua)),
  );

  it('parse never throws and any result is in bounds', () => {
    fc.assert(
      fc.property(userAgent, (ua) => {
        const result = parseSubscriberAgent(ua);
        if (result === undefined) return;
        expect(AGGREGATORS).toContain(result.aggregator);
        expect(Number.isSafeInteger(result.subscribers)).toBe(true);
        expect(result.subscribers).toBeGreaterThanOrEqual(0);
        expect(result.subscribers).toBeLessThanOrEqual(MAX_SUBSCRIBERS);
        if (result.feedId !== undefined) expect(result.feedId).toMatch(FEED_ID);
      }),
      { numRuns: 3000 },
    );
  });

  it('the store stays within its bounds and its totals stay consistent, whatever is recorded', () => {
    const options = { maxFeeds: 5, maxEntriesPerFeed: 12, maxIdsPerAggregator: 3 };
    const paths = ['/a', '/b', '/c', '/d', '/e', '/f', '/g'];
    const report = fc.record({ path: fc.constantFrom(...paths), ua: userAgent, at: fc.integer({ min: 0, max: 30 * DAY }) });
    fc.assert(
      fc.property(fc.array(report, { maxLength: 200 }), fc.integer({ min: 0, max: 40 * DAY }), (reports, pruneAt) => {
        const store = new SubscriberCounts(options);
        for (const { path, ua, at } of reports) {
          const agent = parseSubscriberAgent(ua);
          if (agent !== undefined) store.record(path, agent, T0 + at);
        }
        const check = (): void => {
          expect(store.feedCount).toBeLessThanOrEqual(options.maxFeeds);
          expect(store.size).toBeLessThanOrEqual(options.maxFeeds * options.maxEntriesPerFeed);
          for (const path of paths) {
            const counts = store.byAggregator(path);
            const known = Object.entries(counts).filter(([aggregator]) => aggregator !== OTHER_AGGREGATOR);
            for (const [, count] of known) expect(count).toBeLessThanOrEqual(options.maxIdsPerAggregator * MAX_SUBSCRIBERS);
            expect(counts.other ?? 0).toBeLessThanOrEqual(MAX_SUBSCRIBERS);
            expect(store.total(path)).toBe(Object.values(counts).reduce((sum, n) => sum + n, 0));
          }
          const restored = SubscriberCounts.fromJSON(JSON.parse(JSON.stringify(store)), options);
          expect(restored.entries()).toEqual(store.entries());
        };
        check();
        store.prune(T0 + pruneAt);
        check();
      }),
      { numRuns: 300 },
    );
  });
});
