import { createAdaptorServer } from '@hono/node-server';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import type { Server } from 'node:http';
import { dirname } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseSiteConfig } from '../../src/config/config.ts';
import { createApp } from '../../src/http/app.ts';
import type { LiveCatalog } from '../../src/publish/live-catalog.ts';
import { FastTable, installFastPath } from '../../src/node/fast-path.ts';
import { guardServer } from '../../src/node/http-guards.ts';
import { loadCatalogFromDir } from '../../src/ingest/load-dir.ts';

const builds = inject('workerBuilds');
const COMPARED_HEADERS = ['link', 'content-type', 'etag', 'last-modified', 'cache-control', 'vary', 'location', 'allow', 'access-control-allow-origin', 'content-security-policy', 'x-content-type-options'];

function startWorker(mode: 'documents' | 'assets'): Miniflare {
  const build = builds[mode];
  return new Miniflare({
    modules: true,
    scriptPath: build.script,
    modulesRoot: dirname(build.script),
    cf: false,
    compatibilityDate: '2026-05-01',
    assets: {
      directory: build.assets,
      binding: 'ASSETS',
      routerConfig: { invoke_user_worker_ahead_of_assets: true, has_user_worker: true },
      assetConfig: { html_handling: 'none', not_found_handling: 'none' },
    },
  });
}

let catalog: LiveCatalog;
let node: ReturnType<typeof createApp>;
/** The Node server as src/node/main.ts runs it: fast path in front of the same app, over real HTTP. */
let server: Server;
let port: number;

beforeAll(async () => {
  catalog = await loadCatalogFromDir(parseSiteConfig(builds.env), builds.env.CONTENT_DIR ?? './content', { stateDir: builds.stateDir });
  node = createApp({ catalog: () => catalog });
  server = createAdaptorServer({ fetch: node.fetch }) as Server;
  guardServer(server);
  const table = new FastTable(catalog);
  installFastPath(server, () => table);
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  port = (server.address() as { port: number }).port;
});

afterAll(() => new Promise<void>((closed) => server.close(() => closed())));

/** A request over HTTP with no Accept-Encoding, so the fast path sends identity bytes. */
function overHttp(path: string, init: RequestInit = {}): Promise<{ status: number; headers: Headers; body: Buffer }> {
  const headers = Object.fromEntries(new Headers(init.headers).entries());
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port, path, method: init.method ?? 'GET', headers: { ...headers, host: 'feeds.example.org' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const received = new Headers();
        for (let i = 0; i < res.rawHeaders.length; i += 2) received.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
        done({ status: res.statusCode ?? 0, headers: received, body: Buffer.concat(chunks) });
      });
    });
    req.on('error', fail);
    req.end();
  });
}

interface Case {
  readonly name: string;
  readonly path: string;
  readonly init?: RequestInit;
  /** Needs rendering at request time: the static-assets Worker answers 400 instead. */
  readonly dynamic?: boolean;
}

/**
 * The preview, asked for by query: Miniflare's dispatchFetch goes through
 * undici, which sets its own Sec-Fetch-Mode (cors), so a browser navigation
 * cannot be replayed into workerd. Who gets the preview is the shared app's
 * decision, tested with real clients' headers in test/node/negotiation.test.ts.
 */
const PREVIEW = '?view=html';
const FETCHER_DRESSED_AS_BROWSER = { headers: { Accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' } };

function cases(): Case[] {
  const list: Case[] = [
    { name: 'index', path: '/' },
    { name: 'overall rss', path: '/rss.xml' },
    { name: 'overall atom', path: '/atom.xml' },
    { name: 'overall json', path: '/feed.json' },
    { name: 'topics.json', path: '/topics.json' },
    { name: 'unknown topic', path: '/topic/no-such-topic/rss.xml' },
    { name: 'unknown path', path: '/nothing-here' },
    { name: 'bad limit', path: '/rss.xml?limit=0' },
    { name: 'method', path: '/rss.xml', init: { method: 'POST' } },
    { name: 'HEAD', path: '/atom.xml', init: { method: 'HEAD' } },
    { name: 'opml', path: '/opml.xml' },
    { name: 'opml atom', path: '/opml.xml?format=atom' },
    { name: 'opml json', path: '/opml.xml?format=json' },
    { name: 'browser preview', path: `/rss.xml${PREVIEW}` },
    { name: 'browser Accept without Fetch Metadata', path: '/rss.xml', init: FETCHER_DRESSED_AS_BROWSER },
    { name: 'forced preview', path: '/feed.json?view=html' },
    { name: 'bad view', path: '/feed.json?view=pdf' },
    { name: 'archive page 1', path: '/archive/1/atom.xml' },
    { name: 'no such archive page', path: '/archive/999/atom.xml' },
    { name: 'custom limit', path: '/rss.xml?limit=2', dynamic: true },
    { name: 'since', path: '/feed.json?since=2024-01-01T00:00:00Z', dynamic: true },
    { name: 'opml subset', path: '/opml.xml?topics=klas-security', dynamic: true },
    { name: 'topic filter', path: '/?q=cyber', dynamic: true },
    { name: 'topic filter, hostile', path: `/?q=${encodeURIComponent('<script>"x"</script>')}`, dynamic: true },
    { name: 'blank topic filter', path: '/?q=' },
    { name: 'over-long topic filter', path: `/?q=${'x'.repeat(101)}` },
    { name: 'unknown source', path: '/sources/no-such-source/' },
  ];
  for (const source of catalog.sources()) {
    list.push({ name: `source page ${source.slug}`, path: `/sources/${source.slug}/` });
    list.push({ name: `source page ${source.slug} without slash`, path: `/sources/${source.slug}` });
  }
  for (const slug of catalog.index.topics.keys()) {
    list.push({ name: `topic page ${slug}`, path: `/topic/${slug}/` });
    for (const file of ['rss.xml', 'atom.xml', 'feed.json']) {
      list.push({ name: `${slug} ${file}`, path: `/topic/${slug}/${file}` });
      list.push({ name: `${slug} ${file} preview`, path: `/topic/${slug}/${file}${PREVIEW}` });
      for (let page = 1; page <= catalog.archivePages({ kind: 'topic', slug }); page++) {
        list.push({ name: `${slug} archive ${page} ${file}`, path: `/topic/${slug}/archive/${page}/${file}` });
      }
    }
  }
  const slugs = [...catalog.index.topics.keys()];
  if (slugs.length >= 2) list.push({ name: 'combined', path: `/topics/${slugs[0]}+${slugs[1]}/rss.xml`, dynamic: true });
  const [first] = catalog.index.topics.keys();
  if (first) list.push({ name: 'mixed-case redirect', path: `/topic/${first.toUpperCase()}/rss.xml` });
  // Static files: the icon, and the images beside the bundled documents (copied into the assets by build:content).
  list.push({ name: 'favicon', path: '/favicon.ico' }, { name: 'apple-touch-icon', path: '/apple-touch-icon.png' }, { name: 'HEAD favicon', path: '/favicon.ico', init: { method: 'HEAD' } });
  const images = catalog.index.all.flatMap((document) => (document.image?.file === undefined ? [] : [new URL(document.image.url).pathname]));
  expect(images.length).toBeGreaterThan(0);
  for (const path of images.slice(0, 3)) list.push({ name: `image ${path}`, path });
  const png = images.find((path) => path.endsWith('.png'));
  if (png) list.push({ name: `image ${png}`, path: png });
  list.push(
    { name: 'image not shown by any document', path: '/media/nothing-here.jpeg' },
    { name: 'image traversal', path: '/media/%2e%2e/package.json' },
    { name: 'image encoded slash', path: `/media/2021%2f${images[0]?.split('/').at(-1) ?? 'x.jpeg'}` },
    { name: 'image that is markdown', path: '/media/2021/894b4fca-458f-5f44-bb7a-9a9690020ed9.md' },
  );
  return list;
}

async function compare(worker: Miniflare, testCase: Case): Promise<void> {
  const url = `https://feeds.example.org${testCase.path}`;
  const fromNode = await node.request(url, testCase.init);
  // dispatchFetch follows redirects unless told not to; app.request never does.
  const fromWorker = await worker.dispatchFetch(url, { ...testCase.init, redirect: 'manual' } as never);
  expect(fromWorker.status, testCase.name).toBe(fromNode.status);
  for (const header of COMPARED_HEADERS) {
    expect(fromWorker.headers.get(header), `${testCase.name}: ${header}`).toBe(fromNode.headers.get(header));
  }
  const nodeBytes = Buffer.from(await fromNode.arrayBuffer());
  const workerBytes = Buffer.from(await fromWorker.arrayBuffer());
  expect(workerBytes.equals(nodeBytes), `${testCase.name}: body bytes`).toBe(true);
  // The Node server answers from its fast path where it can: the same again.
  const fromServer = await overHttp(testCase.path, testCase.init);
  expect(fromServer.status, `${testCase.name} (node server)`).toBe(fromNode.status);
  for (const header of COMPARED_HEADERS) {
    expect(fromServer.headers.get(header), `${testCase.name} (node server): ${header}`).toBe(fromNode.headers.get(header));
  }
  expect(fromServer.body.equals(nodeBytes), `${testCase.name} (node server): body bytes`).toBe(true);
}

describe.each(['documents', 'assets'] as const)('Worker in %s mode', (mode) => {
  let worker: Miniflare;
  beforeAll(async () => {
    worker = startWorker(mode);
    await worker.ready;
  });
  afterAll(async () => {
    await worker?.dispose();
  });

  it('serves every route with the status, headers and bytes of the Node app', async () => {
    const all = cases().filter((testCase) => mode === 'documents' || !testCase.dynamic);
    expect(all.length).toBeGreaterThan(100);
    for (const testCase of all) await compare(worker, testCase);
  });

  if (mode === 'assets') {
    it('answers request-time variants with a 400 that says why', async () => {
      for (const testCase of cases().filter((c) => c.dynamic)) {
        const res = await worker.dispatchFetch(`https://feeds.example.org${testCase.path}`, { redirect: 'manual' });
        expect(res.status, testCase.name).toBe(400);
        expect(await res.text()).toContain('static deployment');
      }
    });
  }

  it('gives CDNs s-maxage from wrangler.toml', async () => {
    const res = await worker.dispatchFetch('https://feeds.example.org/rss.xml');
    expect(res.headers.get('cache-control')).toContain('s-maxage=300');
    await res.arrayBuffer();
  });

  it('answers conditional GETs with the same 304', async () => {
    const image = catalog.index.all.find((document) => document.image?.file !== undefined)?.image;
    for (const path of ['/rss.xml', `/topic/${[...catalog.index.topics.keys()][0]}/feed.json`, '/', '/favicon.ico', new URL(image!.url).pathname]) {
      const etag = (await node.request(`https://feeds.example.org${path}`)).headers.get('etag')!;
      await compare(worker, { name: `304 ${path}`, path, init: { headers: { 'If-None-Match': etag } } });
      const res = await worker.dispatchFetch(`https://feeds.example.org${path}`, { headers: { 'If-None-Match': `W/${etag}` } });
      expect(res.status).toBe(304);
    }
  });
});

describe('Worker bundle', () => {
  it('has no node: imports left for run time', () => {
    for (const mode of ['documents', 'assets'] as const) {
      const source = readFileSync(builds[mode].script, 'utf8');
      expect(source).not.toMatch(/from\s*["']node:|require\(["']node:|import\(["']node:/);
      expect(source).not.toMatch(/gray-matter|sanitize-html|js-yaml/);
    }
  });

  it('stays under 100 KiB gzip in static-assets mode', () => {
    const gzipped = gzipSync(readFileSync(builds.assets.script)).length;
    expect(gzipped).toBeLessThan(100 * 1024);
  });
});
