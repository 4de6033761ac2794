/**
 * /metrics, subscriber counts and access logs on the real server
 * (src/node/main.ts as a child process): Prometheus text read by a strict
 * parser, a Feedly request's subscribers counted (fast path and app), the
 * totals on the index and in topics.json behind honest ETags, hostile
 * User-Agents bounded, counts kept across a restart.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.ts';
import type { Catalog } from '../../src/publish/catalog.ts';
import { MAX_SUBSCRIBERS } from '../../src/publish/subscribers.ts';
import { parsePrometheus } from '../support/prometheus.ts';
import type { RunningServer } from '../support/server-process.ts';
import { startServer, waitFor } from '../support/server-process.ts';
import { documentSource, goodFields } from '../support/source-text.ts';

const TOKEN = 'metrics-test-token';
const FEEDLY = (n: number): string => `Feedly/1.0 (+http://www.feedly.com/fetcher.html; ${n} subscribers; )`;
const TOPIC_FEED = '/topic/example-wire-safety/rss.xml';

function docText(n: number): string {
  return documentSource(goodFields(n), `<p>Body of ${n}.</p>`);
}

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

describe('/metrics and subscriber counts on the real server', () => {
  let root: string;
  let stateDir: string;
  let server: RunningServer;
  const env = (): Record<string, string> => ({ METRICS_TOKEN: TOKEN, SUBSCRIBERS_REFRESH_MS: '200', STATE_DIR: stateDir, ACCESS_LOG: 'json' });

  const get = (path: string, headers: Record<string, string> = {}): Promise<Response> => fetch(`${server.origin}${path}`, { headers });
  async function metrics() {
    const response = await get('/metrics', { Authorization: `Bearer ${TOKEN}` });
    expect(response.status).toBe(200);
    return parsePrometheus(await response.text());
  }
  interface TopicsJson {
    readonly topics: readonly { readonly slug: string; readonly subscribers?: number }[];
  }
  const topicsJson = async (): Promise<TopicsJson> => (await (await get('/topics.json')).json()) as TopicsJson;
  const subscribersOf = async (slug: string): Promise<number | undefined> => (await topicsJson()).topics.find((topic) => topic.slug === slug)?.subscribers;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'topic-feeds-metrics-'));
    stateDir = mkdtempSync(join(tmpdir(), 'topic-feeds-metrics-state-'));
    for (let n = 1; n <= 10; n += 1) writeFileSync(join(root, `doc-${n}.md`), docText(n));
    server = await startServer({ contentDir: root, env: env() });
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('needs the bearer token, is never cached, and is Prometheus text', async () => {
    expect((await get('/metrics')).status).toBe(401);
    const wrong = await get('/metrics', { Authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const response = await get('/metrics', { Authorization: `Bearer ${TOKEN}` });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('etag')).toBeNull();
    const exposition = parsePrometheus(await response.text());
    expect(exposition.types.get('topic_feeds_http_requests_total')).toBe('counter');
    expect(exposition.types.get('topic_feeds_render_duration_seconds')).toBe('histogram');
    expect(exposition.types.get('topic_feeds_reload_duration_seconds')).toBe('histogram');
    expect(exposition.types.get('topic_feeds_feed_subscribers')).toBe('gauge');
    expect(exposition.value('topic_feeds_documents')).toBe(10);
    expect(exposition.value('topic_feeds_topics')).toBe(1);
    expect(exposition.value('topic_feeds_problems')).toBe(0);
    expect(exposition.value('topic_feeds_ready')).toBe(1);
    expect(exposition.value('topic_feeds_snapshot_age_seconds')).toBeGreaterThanOrEqual(0);
    expect(exposition.value('topic_feeds_render_duration_seconds_count')).toBeGreaterThan(0);
    for (const outcome of ['sent', 'attempt-failed', 'gave-up']) expect(exposition.value('topic_feeds_websub_pings_total', { outcome })).toBe(0);
    // The strict parser does reject what is not the format.
    expect(() => parsePrometheus('# TYPE a counter\na{b=c} 1\n')).toThrow();
    expect(() => parsePrometheus('x 1\n')).toThrow();
  });

  it('counts requests by route kind, format and status, on the fast path and in the app', async () => {
    const before = await metrics();
    const count = (m: typeof before, labels: Record<string, string>): number =>
      m.find('topic_feeds_http_requests_total', labels).reduce((sum, sample) => sum + sample.value, 0);
    const first = await get('/rss.xml');
    const etag = first.headers.get('etag') ?? '';
    await first.arrayBuffer();
    expect((await get('/rss.xml', { 'If-None-Match': etag })).status).toBe(304);
    expect((await get('/feed.json?limit=3')).status).toBe(200);
    expect((await get('/no/such/thing')).status).toBe(404);
    const after = await metrics();
    const delta = (labels: Record<string, string>): number => count(after, labels) - count(before, labels);
    expect(delta({ route: 'feed', format: 'rss', status: '200', served_by: 'fast' })).toBe(1);
    expect(delta({ route: 'feed', format: 'rss', status: '304', served_by: 'fast' })).toBe(1);
    expect(delta({ route: 'feed', format: 'json', status: '200', served_by: 'app' })).toBe(1);
    expect(delta({ route: 'other', status: '404' })).toBe(1);
    expect(after.value('topic_feeds_app_request_duration_seconds_count', { route: 'feed' })).toBeGreaterThan(0);
  });

  it("counts a Feedly request's subscribers, in /metrics and (after a refresh) in topics.json and on the index", async () => {
    const feedTag = (await get(TOPIC_FEED)).headers.get('etag');
    const beforeJson = await get('/topics.json');
    const beforeTag = beforeJson.headers.get('etag') ?? '';
    expect(((await beforeJson.json()) as TopicsJson).topics[0]?.subscribers).toBeUndefined();

    const response = await get(TOPIC_FEED, { 'User-Agent': FEEDLY(42) });
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    expect((await metrics()).value('topic_feeds_feed_subscribers', { feed: TOPIC_FEED, aggregator: 'feedly' })).toBe(42);

    await waitFor('42 in topics.json', async () => ((await subscribersOf('example-wire-safety')) === 42 ? true : undefined));
    const page = await (await get('/')).text();
    expect(page).toContain('42 subscribers');
    // topics.json changed, so its old ETag is no longer current; the feed's did not change.
    const stale = await get('/topics.json', { 'If-None-Match': beforeTag });
    expect(stale.status).toBe(200);
    expect(stale.headers.get('etag')).not.toBe(beforeTag);
    expect((await get(TOPIC_FEED)).headers.get('etag')).toBe(feedTag);
    // An app-path request (a query) counts too.
    await (await get(`${TOPIC_FEED.replace('rss.xml', 'atom.xml')}?limit=5`, { 'User-Agent': FEEDLY(7) })).arrayBuffer();
    expect((await metrics()).value('topic_feeds_feed_subscribers', { feed: TOPIC_FEED.replace('rss.xml', 'atom.xml'), aggregator: 'feedly' })).toBe(7);
    await waitFor('49 in topics.json', async () => ((await subscribersOf('example-wire-safety')) === 49 ? true : undefined));
  });

  it('an ETag of topics.json or the index never names two bodies while the totals change', async () => {
    const bodies = new Map<string, string>();
    const check = async (path: string): Promise<void> => {
      const response = await get(path);
      const etag = `${path} ${response.headers.get('etag')}`;
      const body = sha(await response.text());
      const known = bodies.get(etag);
      if (known !== undefined) expect(body, `${etag} names one body`).toBe(known);
      else bodies.set(etag, body);
      // The current tag validates.
      expect((await get(path, { 'If-None-Match': response.headers.get('etag') ?? '' })).status).toBeOneOf([200, 304]);
    };
    for (let n = 100; n < 110; n += 1) {
      await (await get(TOPIC_FEED, { 'User-Agent': FEEDLY(n) })).arrayBuffer();
      for (let i = 0; i < 5; i += 1) await Promise.all([check('/topics.json'), check('/')]);
    }
    await waitFor('the last total', async () => ((await subscribersOf('example-wire-safety')) === 109 + 7 ? true : undefined));
    for (let i = 0; i < 3; i += 1) await Promise.all([check('/topics.json'), check('/')]);
    expect(new Set([...bodies.keys()].filter((key) => key.startsWith('/topics.json'))).size).toBeGreaterThan(1);
  });

  it('keeps hostile User-Agents bounded', async () => {
    const agents: string[] = [];
    for (let i = 0; i < 1500; i += 1) agents.push(`Mozilla/5.0 (compatible; Fake${i}/1.0; ${i + 1} subscribers)`);
    for (let i = 0; i < 300; i += 1) agents.push(`Feedbin feed-id:${i} - 1000 subscribers`);
    agents.push('Feedly/1.0 (+http://www.feedly.com/fetcher.html; 99999999999 subscribers; )');
    agents.push(`Feedly/1.0 (${'x'.repeat(5000)}; 5 subscribers; )`);
    agents.push('Feedly/1.0 (1e9 subscribers)', 'Feedly/1.0 (5 subscribers; 12 subscribers)', 'Feedly/1.0 (-5 subscribers)');
    for (let i = 0; i < agents.length; i += 50) {
      await Promise.all(agents.slice(i, i + 50).map(async (agent) => (await get(TOPIC_FEED, { 'User-Agent': agent })).arrayBuffer()));
    }
    const exposition = await metrics();
    const lines = exposition.find('topic_feeds_feed_subscribers');
    // One line per (feed, aggregator): feedly, feedbin and `other` for this feed, feedly for the Atom one.
    expect(lines.length).toBeLessThanOrEqual(4);
    for (const line of lines) expect(line.value).toBeLessThanOrEqual(8 * MAX_SUBSCRIBERS);
    expect(exposition.value('topic_feeds_feed_subscribers', { feed: TOPIC_FEED, aggregator: 'feedly' })).toBe(109);
    // `other` is one line: the largest claim, not the sum of 1500 forgeries.
    expect(exposition.value('topic_feeds_feed_subscribers', { feed: TOPIC_FEED, aggregator: 'other' })).toBeLessThanOrEqual(1500);
    // At most 8 feed ids per aggregator per feed.
    expect(exposition.value('topic_feeds_feed_subscribers', { feed: TOPIC_FEED, aggregator: 'feedbin' })).toBe(8 * 1000);
    expect(exposition.value('topic_feeds_subscriber_entries')).toBeLessThanOrEqual(64);
    expect(server.child.exitCode).toBeNull();
  }, 120_000);

  it('writes one JSON access-log line per request', async () => {
    const ua = `Agent/${'y'.repeat(600)}`;
    await (await get('/opml.xml?format=atom', { 'User-Agent': ua })).arrayBuffer();
    const line = await waitFor('the access line', async () =>
      server
        .output()
        .split('\n')
        .find((text) => text.startsWith('{') && text.includes('"path":"/opml.xml?format=atom"')),
    );
    const record = JSON.parse(line) as Record<string, unknown>;
    expect(record).toMatchObject({ method: 'GET', path: '/opml.xml?format=atom', status: 200, remote: expect.stringMatching(/127\.0\.0\.1/) });
    expect(typeof record.time === 'string' && !Number.isNaN(Date.parse(record.time))).toBe(true);
    expect(record.bytes).toBeGreaterThan(100);
    expect(Number.isFinite(record.durationMs) && (record.durationMs as number) >= 0).toBe(true);
    expect((record.ua as string).length).toBeLessThanOrEqual(257);
  });

  it('keeps the counts across a restart (STATE_DIR, written atomically on shutdown)', async () => {
    await server.stop();
    expect(await server.exited).toBe(0);
    const files = readdirSync(stateDir).filter((name) => /^subscribers-[0-9a-f]+\.json$/.test(name));
    expect(files).toHaveLength(1);
    expect(readdirSync(stateDir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    const saved = JSON.parse(readFileSync(join(stateDir, files[0]!), 'utf8')) as { version: number };
    expect(saved.version).toBe(1);
    server = await startServer({ contentDir: root, env: env() });
    expect((await metrics()).value('topic_feeds_feed_subscribers', { feed: TOPIC_FEED, aggregator: 'feedly' })).toBe(109);
    expect(await subscribersOf('example-wire-safety')).toBeGreaterThanOrEqual(109);
  }, 120_000);
});

describe('the app without a metrics handler (the Worker)', () => {
  it('answers /metrics with 404, and delegates when given one', async () => {
    const catalog = (() => {
      throw new Error('not used');
    }) as unknown as () => Catalog;
    expect((await createApp({ catalog }).request('/metrics')).status).toBe(404);
    const app = createApp({ catalog, metrics: () => new Response('m 1\n', { status: 200 }) });
    expect(await (await app.request('/metrics')).text()).toBe('m 1\n');
  });
});
