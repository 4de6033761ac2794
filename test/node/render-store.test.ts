/**
 * Warm restarts from the render store, against the real server: a restart
 * with an unchanged content folder fills every fixed route (and the archive
 * pages the last run served) from the store, renders nothing, and answers
 * every request with the same bytes under the same ETags as before, with
 * and without compression; a damaged entry is rendered again; a changed
 * document gives its routes new ETags and new bytes, never the stored ones.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSiteConfig } from '../../src/config/config.ts';
import { loadCatalogFromDir } from '../../src/ingest/load-dir.ts';
import { RenderStore } from '../../src/ingest/render-store.ts';
import { defaultPaths } from '../../src/node/live.ts';
import type { RawResponse } from '../support/corpus.ts';
import { httpRequest, writeCorpus } from '../support/corpus.ts';
import type { RunningServer } from '../support/server-process.ts';
import { startServer, waitFor } from '../support/server-process.ts';

const ENCODINGS = ['', 'gzip', 'br'] as const;
const SITE_URL = 'http://feeds.test';

let root: string;
let contentDir: string;
let cacheDir: string;
let stateDir: string;
let paths: string[];
let archivePath: string;
let changedFile: string;

interface Seen {
  readonly etag: string;
  readonly encoding: string | undefined;
  readonly body: Buffer;
}

type Snapshot = Map<string, Seen>;

async function start(): Promise<RunningServer> {
  return startServer({
    contentDir,
    env: { CACHE_DIR: cacheDir, STATE_DIR: stateDir, STARTUP_REPORT: 'true', WATCH: 'false', FEED_LIMIT: '5', SITE_URL },
  });
}

/** The server's last `name` startup event, waited for: `startServer` returns on the `ready:` line, and a later line may still be in the pipe. */
async function event(server: RunningServer, name: string): Promise<Record<string, number>> {
  const line = await waitFor(`the ${name} event`, async () => server.lines(new RegExp(`^\\{"event":"${name}"`)).at(-1));
  return JSON.parse(line) as Record<string, number>;
}

async function fetchAll(server: RunningServer, which: readonly string[]): Promise<Snapshot> {
  const seen: Snapshot = new Map();
  for (const path of which) {
    for (const encoding of ENCODINGS) {
      const res: RawResponse = await httpRequest(server.port, path, encoding === '' ? {} : { headers: { 'Accept-Encoding': encoding } });
      expect(res.status, `${path} ${encoding}`).toBe(200);
      seen.set(`${path} ${encoding}`, { etag: res.headers.etag ?? '', encoding: res.headers['content-encoding'], body: res.body });
    }
  }
  return seen;
}

/** Stops the server once it has written what it rendered (the render store event) and saved the document cache. */
async function stopAfterSaves(server: RunningServer): Promise<void> {
  for (let i = 0; i < 200 && server.lines(/^\{"event":"renderStored"/).length === 0; i += 1) await new Promise((done) => setTimeout(done, 50));
  await server.stop();
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'render-store-server-'));
  contentDir = join(root, 'content');
  cacheDir = join(root, 'cache');
  stateDir = join(root, 'state');
  writeCorpus(contentDir, 24, 3);
  const catalog = await loadCatalogFromDir(parseSiteConfig({ SITE_URL, FEED_LIMIT: '5' }), contentDir);
  // The newest document: every feed window that shows it (/rss.xml among them) changes with it.
  changedFile = join(contentDir, catalog.index.all[0]!.file);
  paths = defaultPaths(catalog.index);
  archivePath = '/archive/1/rss.xml';
  expect(catalog.archive({ kind: 'all' }, 'rss', 1), 'the corpus has an archive page').toBeDefined();
}, 60_000);

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('warm restart from the render store', () => {
  let before: Snapshot;

  it('a cold start renders every fixed route and saves it, with what it served on demand', async () => {
    const server = await start();
    try {
      const ready = await event(server, 'ready');
      expect(ready.routes).toBe(paths.length);
      expect(ready.rendered).toBe(paths.length);
      expect(ready.fromStore).toBe(0);
      before = await fetchAll(server, paths);
      // An archive page, rendered on demand: its variants are made in the background, then it is saved too.
      await httpRequest(server.port, archivePath);
      await waitFor('the archive page compressed', async () => {
        const res = await httpRequest(server.port, archivePath, { headers: { 'Accept-Encoding': 'br' } });
        return res.headers['content-encoding'] === 'br' ? true : undefined;
      });
      const archive = await fetchAll(server, [archivePath]);
      for (const [key, seen] of archive) before.set(key, seen);
      // Compressed variants were sent for big routes.
      expect([...before.values()].some((seen) => seen.encoding === 'br')).toBe(true);
      expect([...before.values()].some((seen) => seen.encoding === 'gzip')).toBe(true);
      await stopAfterSaves(server);
    } finally {
      await server.stop();
    }
  }, 90_000);

  it('a restart renders nothing and serves the same bytes under the same ETags', async () => {
    const server = await start();
    try {
      const ready = await event(server, 'ready');
      // (A source file of the renderers edited between the two starts would rightly discard the store.)
      const why = server.lines(/^ready|^render store|renderStored/).join('\n');
      expect(ready.rendered, why).toBe(0);
      expect(ready.fromStore, why).toBe(paths.length);
      expect((await event(server, 'compressed')).servedFromStore, why).toBe(1); // the archive page
      const after = await fetchAll(server, [...paths, archivePath]);
      expect([...after.keys()]).toEqual([...before.keys()]);
      for (const [key, seen] of after) {
        const old = before.get(key)!;
        expect(seen.etag, key).toBe(old.etag);
        expect(seen.encoding, key).toBe(old.encoding);
        expect(seen.body.equals(old.body), `${key}: body`).toBe(true);
      }
      expect(server.output()).not.toMatch(/render store: discarded/);
    } finally {
      await server.stop();
    }
  }, 90_000);

  it('a damaged entry is discarded on its first read and its route rendered again, with the same bytes', async () => {
    const damaged = '/rss.xml';
    const store = new RenderStore({ cacheDir, contentDir, maxBytes: Number.MAX_SAFE_INTEGER });
    const file = store.pathOf(before.get(`${damaged} `)!.etag);
    const bytes = readFileSync(file);
    bytes[bytes.length - 100] = bytes[bytes.length - 100]! ^ 0xff;
    writeFileSync(file, bytes);

    const server = await start();
    try {
      // The start only consults the store's index: the damage is found when a request reads the entry.
      const ready = await event(server, 'ready');
      expect(ready.rendered).toBe(0);
      expect(ready.fromStore).toBe(paths.length);
      const first = await httpRequest(server.port, damaged);
      expect(server.output()).toMatch(/render store: discarded \S+: \w+ bytes do not match their hash/);
      expect(first.headers.etag).toBe(before.get(`${damaged} `)!.etag);
      expect(first.body.equals(before.get(`${damaged} `)!.body)).toBe(true);
      // Its compressed variants are made again in the background (identity is sent until then).
      const coded = async (): Promise<boolean> => {
        for (const encoding of ENCODINGS.filter((e) => e !== '')) {
          const res = await httpRequest(server.port, damaged, { headers: { 'Accept-Encoding': encoding } });
          if (res.headers['content-encoding'] !== encoding) return false;
        }
        return true;
      };
      for (let i = 0; i < 400 && !(await coded()); i += 1) await new Promise((done) => setTimeout(done, 25));
      const after = await fetchAll(server, [damaged]);
      for (const [key, seen] of after) {
        expect(seen.etag, key).toBe(before.get(key)!.etag);
        expect(seen.body.equals(before.get(key)!.body), key).toBe(true);
      }
      await stopAfterSaves(server);
    } finally {
      await server.stop();
    }
  }, 90_000);

  it('a changed document gives its routes new ETags and new bytes, never the stored ones', async () => {
    const text = readFileSync(changedFile, 'utf8');
    const edited = text.replace(/^title: .*$/m, 'title: "Render store changed title"');
    expect(edited).not.toBe(text);
    writeFileSync(changedFile, edited);

    const server = await start();
    try {
      const ready = await event(server, 'ready');
      expect(ready.rendered).toBeGreaterThan(0);
      expect(ready.fromStore).toBeGreaterThan(0);
      expect(ready.rendered! + ready.fromStore!).toBe(paths.length);
      const after = await fetchAll(server, paths);
      let changed = 0;
      for (const [key, seen] of after) {
        const old = before.get(key)!;
        if (seen.etag === old.etag) {
          expect(seen.body.equals(old.body), `${key}: same ETag, same bytes`).toBe(true);
        } else {
          changed += 1;
          expect(seen.body.equals(old.body), `${key}: new ETag, new bytes`).toBe(false);
        }
      }
      expect(changed).toBeGreaterThan(0);
      const rss = await httpRequest(server.port, '/rss.xml');
      expect(rss.body.toString('utf8')).toContain('Render store changed title');
    } finally {
      await server.stop();
    }
  }, 90_000);
});
