/**
 * Warm-up by demand, against the real server: over a broad taxonomy with a
 * small WARM_TOPICS budget, a start renders the site-wide routes and only the
 * budgeted topics' routes (the biggest, with nothing else to go by); every
 * other topic is served on its first request, with the same bytes and ETags a
 * fully warmed server sends. After a restart, the topics the last run served
 * are warmed first, from the render store; a route the store holds but the
 * warm-up left out is restored on its first request instead of rendered (and
 * a damaged entry is rendered, never served). A small taxonomy is warmed
 * whole, as before.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSiteConfig } from '../../src/config/config.ts';
import { loadCatalogFromDir } from '../../src/ingest/load-dir.ts';
import { RenderStore } from '../../src/ingest/render-store.ts';
import { defaultPaths } from '../../src/node/live.ts';
import { writeBroadCorpus } from '../support/broad-taxonomy.ts';
import type { RawResponse } from '../support/corpus.ts';
import { httpRequest } from '../support/corpus.ts';
import { parseWithFeedParser } from '../support/feed-parser.ts';
import { assertValidJsonFeed11 } from '../support/json-feed-schema.ts';
import { parsePrometheus } from '../support/prometheus.ts';
import type { RunningServer } from '../support/server-process.ts';
import { REPO_ROOT, startServer, waitFor } from '../support/server-process.ts';

const SITE_URL = 'http://feeds.test';
const DOCUMENTS = 600;
const TOPICS = 200;
const BUDGET = 12;
const FEED_LIMIT = '3';

let root: string;
let contentDir: string;
let stateDir: string;
/** Site-wide routes: pages, topics.json, OPML, the overall feeds, every source page. */
let siteWideRoutes: number;
/** Topic slugs, biggest first (ties by slug): what a start with nothing else to go by warms. */
let bySize: string[];

interface TopicRow {
  readonly slug: string;
  readonly count: number;
}

const routesOf = (slug: string): string[] => [`/topic/${slug}/`, `/topic/${slug}/rss.xml`, `/topic/${slug}/atom.xml`, `/topic/${slug}/feed.json`];

function start(env: Record<string, string>): Promise<RunningServer> {
  return startServer({ contentDir, env: { STATE_DIR: stateDir, STARTUP_REPORT: 'true', WATCH: 'false', FEED_LIMIT, SITE_URL, ...env } });
}

function event(server: RunningServer, name: string): Record<string, number> {
  const line = server.lines(new RegExp(`^\\{"event":"${name}"`)).at(-1);
  expect(line, `${name} event`).toBeDefined();
  return JSON.parse(line!) as Record<string, number>;
}

/** How many routes were filled on a first request, from the store or by rendering (/metrics). */
async function fills(server: RunningServer): Promise<{ store: number; render: number }> {
  const exposition = parsePrometheus((await httpRequest(server.port, '/metrics')).body.toString('utf8'));
  const count = (source: string): number => exposition.value('topic_feeds_first_request_fill_duration_seconds_count', { source }) ?? Number.NaN;
  return { store: count('store'), render: count('render') };
}

async function get(server: RunningServer, path: string, encoding = ''): Promise<RawResponse> {
  const res = await httpRequest(server.port, path, encoding === '' ? {} : { headers: { 'Accept-Encoding': encoding } });
  expect(res.status, `${path} ${encoding}`).toBe(200);
  return res;
}

/** Waits until a route's brotli variant is served: made, and so on its way to the render store. */
async function compressed(server: RunningServer, path: string): Promise<void> {
  await waitFor(`${path} compressed`, async () => ((await get(server, path, 'br')).headers['content-encoding'] === 'br' ? true : undefined));
}

/** Stops the server once the warm-up's renders are saved (the shutdown waits for saves still running). */
async function stopAfterSaves(server: RunningServer): Promise<void> {
  await waitFor('renderStored', async () => (server.lines(/^\{"event":"renderStored"/).length > 0 ? true : undefined), 30_000, 50);
  await server.stop();
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'warm-by-demand-'));
  contentDir = join(root, 'content');
  stateDir = join(root, 'state');
  mkdirSync(contentDir);
  writeBroadCorpus(contentDir, DOCUMENTS, TOPICS);
  const catalog = await loadCatalogFromDir(parseSiteConfig({ SITE_URL, FEED_LIMIT }), contentDir);
  siteWideRoutes = 6 + catalog.sources().length;
  const rows: TopicRow[] = catalog.index.topicList.map(({ slug, count }) => ({ slug, count }));
  bySize = [...rows].sort((a, b) => b.count - a.count || (a.slug < b.slug ? -1 : 1)).map((row) => row.slug);
  expect(catalog.index.topics.size).toBe(TOPICS);
  expect(catalog.archivePages({ kind: 'topic', slug: bySize[BUDGET + 5]! }), 'a cold topic with archive pages').toBeGreaterThan(0);
}, 60_000);

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('warm-up by demand over a broad taxonomy', () => {
  /** What a fully warmed server sends for some cold topics' routes and an archive page, by path. */
  const full = new Map<string, RawResponse>();
  let coldPaths: string[];

  it('a fully warmed server (WARM_TOPICS=all) renders every fixed route', async () => {
    // A cold topic with archive pages, the smallest topic, and one from the middle.
    const cold = [bySize[BUDGET + 5]!, bySize.at(-1)!, bySize[Math.floor(TOPICS / 2)]!];
    coldPaths = [...cold.flatMap(routesOf), `/topic/${cold[0]}/archive/1/rss.xml`];
    const server = await start({ WARM_TOPICS: 'all' });
    try {
      const ready = event(server, 'ready');
      expect(ready).toMatchObject({ topics: TOPICS, coldTopics: 0, routes: siteWideRoutes + 4 * TOPICS, rendered: siteWideRoutes + 4 * TOPICS });
      for (const path of coldPaths) full.set(path, await get(server, path));
    } finally {
      await server.stop();
    }
  }, 90_000);

  it('with a small budget, a start renders only the site-wide routes and the biggest topics’ routes', async () => {
    const server = await start({ WARM_TOPICS: String(BUDGET) });
    try {
      const ready = event(server, 'ready');
      expect(ready).toMatchObject({ topics: BUDGET, coldTopics: TOPICS - BUDGET, routes: siteWideRoutes + 4 * BUDGET, rendered: siteWideRoutes + 4 * BUDGET });
      expect(server.output()).toMatch(new RegExp(`^ready: ${siteWideRoutes + 4 * BUDGET} routes servable .*\\(${BUDGET} of ${TOPICS} topics warmed, the others render on first request`, 'm'));
      // The biggest topics are in memory: no first-request fill.
      for (const slug of bySize.slice(0, BUDGET)) await get(server, `/topic/${slug}/rss.xml`);
      expect(await fills(server)).toEqual({ store: 0, render: 0 });
      // Every other topic is rendered on its first request, and only then.
      await get(server, `/topic/${bySize[BUDGET]}/rss.xml`);
      await get(server, `/topic/${bySize[BUDGET]}/rss.xml`);
      expect(await fills(server)).toEqual({ store: 0, render: 1 });
    } finally {
      await server.stop();
    }
  }, 90_000);

  it('serves a cold topic’s feeds, page and archive with the bytes and ETags of a fully warmed server', async () => {
    const server = await start({ WARM_TOPICS: String(BUDGET) });
    try {
      for (const path of coldPaths) {
        const res = await get(server, path);
        const expected = full.get(path)!;
        expect(res.headers.etag, path).toBe(expected.headers.etag);
        expect(res.headers['content-type'], path).toBe(expected.headers['content-type']);
        expect(res.body.equals(expected.body), `${path}: body`).toBe(true);
        const text = res.body.toString('utf8');
        if (path.endsWith('.json')) assertValidJsonFeed11(JSON.parse(text));
        else if (path.endsWith('.xml')) expect(parseWithFeedParser(text).items.length, path).toBeGreaterThan(0);
      }
      expect((await fills(server)).render).toBe(coldPaths.length);
      // A conditional request for the now-rendered route: 304.
      const etag = full.get(coldPaths[1]!)!.headers.etag!;
      expect((await httpRequest(server.port, coldPaths[1]!, { headers: { 'If-None-Match': etag } })).status).toBe(304);
      // Its compressed variant follows, with the same content.
      await compressed(server, coldPaths[1]!);
      expect(gunzipSync((await get(server, coldPaths[1]!, 'gzip')).body).equals(full.get(coldPaths[1]!)!.body)).toBe(true);
    } finally {
      await server.stop();
    }
  }, 90_000);
});

describe('warm-up by demand across restarts (render store)', () => {
  let cacheDir: string;
  /** A cold topic the first run serves. */
  let served: string;
  const before = new Map<string, RawResponse>();

  beforeAll(() => {
    cacheDir = join(root, 'cache');
    served = bySize[TOPICS - 10]!;
  });

  it('run 1: a cold topic is served on demand and saved', async () => {
    const server = await start({ WARM_TOPICS: String(BUDGET), CACHE_DIR: cacheDir });
    try {
      for (const path of routesOf(served)) {
        before.set(path, await get(server, path));
        await compressed(server, path);
      }
      expect(await fills(server)).toEqual({ store: 0, render: 4 });
      await stopAfterSaves(server);
    } finally {
      await server.stop();
    }
  }, 90_000);

  it('run 2: the topic the last run served is warmed first, from the store: read on first request, nothing rendered', async () => {
    const server = await start({ WARM_TOPICS: String(BUDGET), CACHE_DIR: cacheDir });
    try {
      const ready = event(server, 'ready');
      const why = server.lines(/^ready|^render store/).join('\n');
      expect(ready, why).toMatchObject({ topics: BUDGET, routes: siteWideRoutes + 4 * BUDGET, rendered: 0, fromStore: siteWideRoutes + 4 * BUDGET });
      // Left on disk until asked for: each first request reads its entry, the same bytes under the same ETags.
      for (const path of routesOf(served)) {
        const res = await get(server, path);
        expect(res.headers.etag, path).toBe(before.get(path)!.headers.etag);
        expect(res.body.equals(before.get(path)!.body), path).toBe(true);
      }
      expect(await fills(server)).toEqual({ store: routesOf(served).length, render: 0 });
    } finally {
      await server.stop();
    }
  }, 90_000);

  it('run 3 (WARM_TOPICS=0): a first request is restored from the store, not rendered; a damaged entry is rendered, never served', async () => {
    const store = new RenderStore({ cacheDir, contentDir, maxBytes: Number.MAX_SAFE_INTEGER });
    const damaged = `/topic/${served}/atom.xml`;
    const file = store.pathOf(before.get(damaged)!.headers.etag!);
    const bytes = readFileSync(file);
    bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 0xff;
    writeFileSync(file, bytes);

    const server = await start({ WARM_TOPICS: '0', CACHE_DIR: cacheDir });
    try {
      expect(event(server, 'ready')).toMatchObject({ topics: 0, coldTopics: TOPICS, routes: siteWideRoutes, rendered: 0 });
      for (const path of routesOf(served)) {
        // The damaged route is rendered: its br variant is made a moment later.
        for (const encoding of path === damaged ? [''] : ['', 'br']) {
          const res = await get(server, path, encoding);
          expect(res.headers.etag, path).toBe(encoding === '' ? before.get(path)!.headers.etag : before.get(path)!.headers.etag!.replace(/"$/, '-br"'));
          if (encoding === '') expect(res.body.equals(before.get(path)!.body), `${path}: body`).toBe(true);
          else expect(res.headers['content-encoding']).toBe('br');
        }
      }
      // Three restored, the damaged one rendered again.
      expect(await fills(server)).toEqual({ store: 3, render: 1 });
      expect(server.output()).toMatch(/render store: discarded \S+: \w+ bytes do not match their hash/);
      // A topic neither warmed nor stored is rendered.
      await get(server, `/topic/${bySize[TOPICS - 20]}/rss.xml`);
      expect(await fills(server)).toEqual({ store: 3, render: 2 });
    } finally {
      await server.stop();
    }
  }, 90_000);
});

describe('a small taxonomy', () => {
  it('is warmed whole at start with the default budget, exactly as before (the bundled content/)', async () => {
    const bundled = join(REPO_ROOT, 'content');
    const catalog = await loadCatalogFromDir(parseSiteConfig({ SITE_URL }), bundled);
    const paths = defaultPaths(catalog.index);
    const server = await startServer({ contentDir: bundled, env: { STARTUP_REPORT: 'true', WATCH: 'false', SITE_URL } });
    try {
      const ready = event(server, 'ready');
      const topics = catalog.index.topics.size;
      expect(ready).toMatchObject({ topics, coldTopics: 0, routes: paths.length, rendered: paths.length });
      for (const path of paths) await get(server, path);
      expect(await fills(server)).toEqual({ store: 0, render: 0 });
    } finally {
      await server.stop();
    }
  }, 90_000);
});
