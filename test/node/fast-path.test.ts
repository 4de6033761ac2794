/**
 * The Node fast path answers canonical GET/HEAD from rendered bytes before
 * the router. These tests hold it to the Hono app: for every route the same
 * status, the same headers and the same bytes over real HTTP (no
 * Accept-Encoding), with both servers wired exactly as src/node/main.ts
 * wires them; and precompressed variants that decode to those bytes under
 * their own ETags.
 */
import { createAdaptorServer } from '@hono/node-server';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSiteConfig } from '../../src/config/config.ts';
import { createApp } from '../../src/http/app.ts';
import type { LiveCatalog } from '../../src/publish/live-catalog.ts';
import { publishedRoutes } from '../../src/publish/published-routes.ts';
import { acceptedCodings } from '../../src/node/compress.ts';
import { FastTable, codedTag, installFastPath, resolveRoute } from '../../src/node/fast-path.ts';
import { guardServer } from '../../src/node/http-guards.ts';
import { loadCatalogFromDir } from '../../src/ingest/load-dir.ts';
import { RenderStore } from '../../src/ingest/render-store.ts';
import type { RawResponse } from '../support/corpus.ts';
import { httpRequest } from '../support/corpus.ts';

const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const NAVIGATION = { 'Sec-Fetch-Dest': 'document', 'Sec-Fetch-Mode': 'navigate' };

let catalog: LiveCatalog;
let table: FastTable;
let honoServer: Server;
let fastServer: Server;
let honoPort: number;
let fastPort: number;
/** Requests the fast path passed on to the app. */
let fallthroughs = 0;

async function start(server: Server): Promise<number> {
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

beforeAll(async () => {
  // A WebSub hub, so feed responses carry a Link header too; a small window, so there are archive pages.
  const site = parseSiteConfig({ SITE_URL: 'https://feeds.example.org', WEBSUB_HUB: 'https://hub.example.org/', FEED_LIMIT: '5' });
  catalog = await loadCatalogFromDir(site, 'content');
  table = new FastTable(catalog);
  const app = createApp({ catalog: () => catalog });
  honoServer = createAdaptorServer({ fetch: app.fetch }) as Server;
  guardServer(honoServer);
  fastServer = createAdaptorServer({ fetch: app.fetch }) as Server;
  guardServer(fastServer);
  fastServer.on('request', () => {
    fallthroughs += 1;
  });
  installFastPath(fastServer, () => table);
  honoPort = await start(honoServer);
  fastPort = await start(fastServer);
});

afterAll(async () => {
  await Promise.all([honoServer, fastServer].map((server) => new Promise((closed) => server?.close(closed))));
});

interface Case {
  readonly path: string;
  readonly method?: string;
  readonly headers?: Record<string, string>;
  /** Whether the fast path must answer it itself. */
  readonly fast: boolean;
}

async function compare(testCase: Case): Promise<RawResponse> {
  const init = { method: testCase.method ?? 'GET', headers: testCase.headers ?? {} };
  const before = fallthroughs;
  const viaFast = await httpRequest(fastPort, testCase.path, init);
  const passed = fallthroughs - before;
  const viaHono = await httpRequest(honoPort, testCase.path, init);
  const what = `${init.method} ${testCase.path} ${JSON.stringify(init.headers)}`;
  expect(viaFast.status, what).toBe(viaHono.status);
  expect(viaFast.headers, what).toEqual(viaHono.headers);
  expect(viaFast.body.equals(viaHono.body), `${what}: body`).toBe(true);
  expect(passed, `${what}: ${testCase.fast ? 'answered by the fast path' : 'passed to the app'}`).toBe(testCase.fast ? 0 : 1);
  return viaFast;
}

function fixedPaths(): string[] {
  return [...new Set([...publishedRoutes(catalog)].filter((route) => route.variant === undefined).map((route) => route.path))];
}

describe('fast path == Hono app, over HTTP', () => {
  it('covers every fixed route: pages, topics.json, OPML, feeds and archive pages', () => {
    const paths = fixedPaths();
    expect(paths.length).toBeGreaterThan(60);
    expect(paths.some((path) => path.includes('/archive/'))).toBe(true);
    for (const path of paths) expect(resolveRoute(catalog, path), path).toBeDefined();
  });

  it('GET and HEAD of every fixed route: same status, headers and bytes', async () => {
    for (const path of fixedPaths()) {
      const get = await compare({ path, fast: true });
      expect(get.status).toBe(200);
      const head = await compare({ path, method: 'HEAD', fast: true });
      // What a GET would send (RFC 9110 §9.3.2), so a link checker or an enclosure check learns the size.
      expect(head.headers['content-length'], path).toBe(String(get.body.length));
    }
  });

  it('conditional GETs: 304 from If-None-Match (strong, weak, lists, *, a coded tag) and If-Modified-Since', async () => {
    for (const path of ['/', '/rss.xml', '/topics.json', '/opml.xml', ...fixedPaths().filter((p) => p.startsWith('/topic/')).slice(0, 12)]) {
      const slot = table.lookup(path)!;
      const etag = slot.etag;
      for (const ifNoneMatch of [etag, `W/${etag}`, `"nope", ${etag}`, '*', codedTag(etag, 'gzip')]) {
        const res = await compare({ path, headers: { 'If-None-Match': ifNoneMatch }, fast: true });
        expect(res.status, ifNoneMatch).toBe(304);
        expect(res.body.length).toBe(0);
      }
      await compare({ path, method: 'HEAD', headers: { 'If-None-Match': etag }, fast: true });
      expect((await compare({ path, headers: { 'If-None-Match': '"stale"' }, fast: true })).status).toBe(200);
      expect((await compare({ path, headers: { 'If-Modified-Since': slot.lastModified }, fast: true })).status).toBe(304);
      expect((await compare({ path, headers: { 'If-Modified-Since': 'Thu, 01 Jan 1970 00:00:00 GMT' }, fast: true })).status).toBe(200);
      // If-None-Match wins over If-Modified-Since.
      expect((await compare({ path, headers: { 'If-None-Match': '"stale"', 'If-Modified-Since': slot.lastModified }, fast: true })).status).toBe(200);
    }
  });

  it('leaves to the app what only it decides, with the same answers', async () => {
    const [topic] = catalog.index.topics.keys();
    const feedPaths = ['/rss.xml', '/atom.xml', '/feed.json', `/topic/${topic}/rss.xml`];
    for (const path of feedPaths) {
      await compare({ path, headers: { Accept: BROWSER, ...NAVIGATION }, fast: false }); // HTML preview
      await compare({ path, headers: { Accept: BROWSER }, fast: true }); // a fetcher dressed as a browser: the feed
      await compare({ path: `${path}?limit=3`, fast: false });
      await compare({ path: `${path}?view=html`, fast: false });
      await compare({ path, method: 'POST', fast: false });
    }
    // Feed readers' Accept headers still get the fast path; pages ignore Accept.
    await compare({ path: '/rss.xml', headers: { Accept: 'application/rss+xml, */*;q=0.1' }, fast: true });
    await compare({ path: '/', headers: { Accept: BROWSER }, fast: true });
    await compare({ path: `/topic/${topic!.toUpperCase()}/rss.xml`, fast: false }); // redirect
    await compare({ path: '/topic/no-such-topic/rss.xml', fast: false });
    await compare({ path: '/topic/no-such-topic/', fast: false });
    await compare({ path: '/archive/999999/rss.xml', fast: false });
    await compare({ path: '/archive/01/rss.xml', fast: false });
    await compare({ path: '/healthz', fast: false });
    await compare({ path: '/rss.xml/', fast: false });
    await compare({ path: '//rss.xml', fast: false });
    await compare({ path: '/opml.xml?format=atom', fast: false });
    await compare({ path: '/rss.xml', headers: { Host: 'a b' }, fast: false }); // the adapter's 400
    await compare({ path: '/rss.xml', method: 'OPTIONS', fast: false });
  });
});

describe('precompressed variants', () => {
  const path = '/rss.xml';

  it('negotiates Accept-Encoding (q-values, *, x-gzip; brotli wins ties)', () => {
    expect(acceptedCodings(undefined)).toEqual([]);
    expect(acceptedCodings('gzip, deflate, br')).toEqual(['br', 'gzip']);
    expect(acceptedCodings('gzip')).toEqual(['gzip']);
    expect(acceptedCodings('x-gzip')).toEqual(['gzip']);
    expect(acceptedCodings('br;q=0.5, gzip;q=0.8')).toEqual(['gzip', 'br']);
    expect(acceptedCodings('br;q=0, gzip;q=0')).toEqual([]);
    expect(acceptedCodings('*')).toEqual(['br', 'gzip']);
    expect(acceptedCodings('*;q=0, gzip')).toEqual(['gzip']);
    expect(acceptedCodings('identity')).toEqual([]);
  });

  it('are made once per render, have their own ETags and decode to the identity bytes', async () => {
    const slot = table.lookup(path)!;
    await Promise.all([slot.compress('gzip'), slot.compress('br')]);
    const identity = await httpRequest(fastPort, path);
    for (const [coding, decode, tag] of [
      ['gzip', gunzipSync, 'gz'],
      ['br', brotliDecompressSync, 'br'],
    ] as const) {
      const res = await httpRequest(fastPort, path, { headers: { 'Accept-Encoding': coding } });
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding']).toBe(coding);
      expect(res.headers.etag).toBe(`${identity.headers.etag!.slice(0, -1)}-${tag}"`);
      expect(res.headers.vary).toContain('Accept-Encoding');
      expect(Number(res.headers['content-length'])).toBe(res.body.length);
      expect(res.body.length).toBeLessThan(identity.body.length);
      expect(decode(res.body).equals(identity.body)).toBe(true);
      const { etag: _e, 'content-encoding': _c, 'content-length': _l, ...rest } = res.headers;
      const { etag: _ie, 'content-length': _il, ...identityRest } = identity.headers;
      expect(rest).toEqual(identityRest);

      const head = await httpRequest(fastPort, path, { method: 'HEAD', headers: { 'Accept-Encoding': coding } });
      expect(head.headers['content-encoding']).toBe(coding);
      expect(head.headers['content-length']).toBe(String(res.body.length));
      expect(head.body.length).toBe(0);

      // Revalidation of a coded variant, and of the identity tag while asking for the coding: 304 with the variant's tag.
      for (const ifNoneMatch of [res.headers.etag!, identity.headers.etag!]) {
        const notModified = await httpRequest(fastPort, path, { headers: { 'Accept-Encoding': coding, 'If-None-Match': ifNoneMatch } });
        expect(notModified.status).toBe(304);
        expect(notModified.headers.etag).toBe(res.headers.etag);
        expect(notModified.headers['content-type']).toBeUndefined();
      }
    }
  });

  it('sends identity until a variant is ready, and for clients that refuse both codings', async () => {
    const fresh = new FastTable(catalog);
    const slot = fresh.lookup(path)!;
    expect(slot.variantFor(['gzip']).etag).toBe(slot.etag); // compression only just started
    await slot.compress('gzip');
    expect(slot.variantFor(['gzip']).etag).toBe(codedTag(slot.etag, 'gzip'));
    expect(slot.variantFor([]).etag).toBe(slot.etag);
    const res = await httpRequest(fastPort, path, { headers: { 'Accept-Encoding': 'gzip;q=0, br;q=0' } });
    expect(res.headers['content-encoding']).toBeUndefined();
  });
});

describe('conditional requests for routes not rendered yet', () => {
  it('answer 304 from the validators alone, with the headers a rendered slot sends, and render only for a 200', async () => {
    const original = table;
    try {
      const rendered = new FastTable(catalog);
      const paths = ['/rss.xml', '/topics.json', ...fixedPaths().filter((p) => p.startsWith('/topic/')).slice(0, 8)];
      for (const path of paths) {
        const slot = rendered.lookup(path)!;
        slot.render(false);
        await Promise.all([slot.compress('br'), slot.compress('gzip')]);
      }
      const fresh = new FastTable(catalog);
      for (const path of paths) {
        const etag = fresh.lookup(path)!.etag;
        const lastModified = fresh.lookup(path)!.lastModified;
        const coded = rendered.lookup(path)!.variantFor(['gzip']).etag;
        const cases: Record<string, string>[] = [
          { 'If-None-Match': etag },
          { 'If-None-Match': `W/${etag}` },
          { 'If-None-Match': `"nope", ${etag}` },
          { 'If-None-Match': coded, 'Accept-Encoding': 'gzip' },
          { 'If-Modified-Since': lastModified },
        ];
        for (const headers of cases) {
          table = fresh;
          const cold = await httpRequest(fastPort, path, { headers });
          expect(fresh.lookup(path)!.rendered, `${path} ${JSON.stringify(headers)}: no render for a 304`).toBe(false);
          table = rendered;
          const warm = await httpRequest(fastPort, path, { headers });
          expect(cold.status, path).toBe(304);
          expect(cold.headers, `${path} ${JSON.stringify(headers)}`).toEqual(warm.headers);
          expect(cold.body.length).toBe(0);
        }
        table = fresh;
        const changed = await httpRequest(fastPort, path, { headers: { 'If-None-Match': '"stale"' } });
        expect(changed.status).toBe(200);
        expect(fresh.lookup(path)!.rendered).toBe(true);
      }
    } finally {
      table = original;
    }
  });
});

describe('slots restored from the render store', () => {
  it('answer exactly as rendered slots do: same status, headers and bytes, compressed variants included', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'fast-path-store-'));
    const original = table;
    try {
      const store = new RenderStore({ cacheDir, contentDir: 'content', maxBytes: Number.MAX_SAFE_INTEGER });
      const paths = fixedPaths();
      // A table whose slots save to the store once rendered and compressed.
      const rendered = new FastTable(catalog, undefined, store);
      for (const path of paths) {
        const slot = rendered.lookup(path)!;
        slot.render(false);
        await Promise.all([slot.compress('br'), slot.compress('gzip')]);
      }
      await store.idle();
      // A fresh table (as after a restart), every slot filled from the store: nothing rendered.
      const restored = new FastTable(catalog);
      for (const path of paths) {
        const slot = restored.lookup(path)!;
        const stored = await store.get(slot.etag);
        expect(stored, path).toBeDefined();
        expect(slot.restore(stored!), path).toBe(true);
        expect(slot.compressed, path).toBe(true);
      }
      table = restored;
      for (const path of paths) {
        await compare({ path, fast: true });
        await compare({ path, method: 'HEAD', fast: true });
        await compare({ path, headers: { 'If-None-Match': restored.lookup(path)!.etag }, fast: true });
      }
      // Compressed answers: the same as the rendered table's.
      for (const path of paths) {
        const cases: Record<string, string>[] = [{ 'Accept-Encoding': 'gzip' }, { 'Accept-Encoding': 'br' }, { 'Accept-Encoding': 'br', 'If-None-Match': codedTag(restored.lookup(path)!.etag, 'br') }];
        for (const headers of cases) {
          table = restored;
          const fromStore = await httpRequest(fastPort, path, { headers });
          table = rendered;
          const fromRender = await httpRequest(fastPort, path, { headers });
          expect(fromStore.status, path).toBe(fromRender.status);
          expect(fromStore.headers, `${path} ${JSON.stringify(headers)}`).toEqual(fromRender.headers);
          expect(fromStore.body.equals(fromRender.body), `${path}: body`).toBe(true);
        }
      }
      expect(restored.lookup('/rss.xml')!.variantFor(['br']).etag).toBe(codedTag(restored.lookup('/rss.xml')!.etag, 'br'));
    } finally {
      table = original;
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});
