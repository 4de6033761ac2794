/**
 * The Node loader: parse on worker threads or inline, sanitize only what a
 * feed window shows, and reuse a disk cache keyed by path, size, mtime and
 * hash. Whatever path a document takes, it must equal the plain eager load.
 */
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseSiteConfig } from '../../src/config/config.ts';
import { loadDocuments } from '../../src/content/load.ts';
import { LiveCatalog } from '../../src/publish/live-catalog.ts';
import { ContentStore } from '../../src/ingest/content-store.ts';
import { loadCatalogFromDir } from '../../src/ingest/load-dir.ts';
import { MediaLibrary } from '../../src/ingest/media.ts';
import { DocumentCache, cacheStamp } from '../../src/ingest/doc-cache.ts';
import { readContentSources } from '../../src/ingest/fs-source.ts';
import { createRunner } from '../../src/ingest/parse-pool.ts';
import { writeCorpus } from '../support/corpus.ts';

const site = parseSiteConfig({ SITE_URL: 'https://feeds.example.org', FEED_LIMIT: '4' });

let root: string;
let content: string;
let cacheDir: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'topic-feeds-store-'));
  content = join(root, 'content');
  cacheDir = join(root, 'cache');
  writeCorpus(content, 24);
  // A broken file and a duplicate id, so problems take the cached path too.
  writeFileSync(join(content, 'broken.md'), '---\ntitle: [unclosed\n---\nbody\n');
  writeFileSync(join(content, 'zz-duplicate.md'), readFileSync(join(content, '0000', readdirFirst(content)), 'utf8'));
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

function readdirFirst(dir: string): string {
  return readdirSync(join(dir, '0000')).filter((name) => name.endsWith('.md')).sort()[0]!;
}

async function eager(): Promise<{ json: string; problems: string }> {
  const scan = await readContentSources(content, site.maxDocumentBytes);
  const loaded = loadDocuments(scan.sources, site);
  // The store measures each image beside its document (every generated one has its file).
  const media = new MediaLibrary(content, site);
  const documents = loaded.documents.map((document) => ({ ...document, ...media.measure(document).fields }));
  const catalog = new LiveCatalog(site, { documents, problems: [...scan.problems, ...loaded.problems] });
  return { json: JSON.stringify(catalog.index.all), problems: JSON.stringify(catalog.problems) };
}

async function openStore(threads = 0, minPathsForStatThread?: number) {
  return ContentStore.open({ site, contentDir: content, cacheDir, threads, ...(minPathsForStatThread === undefined ? {} : { minPathsForStatThread }) });
}

async function open(threads = 0) {
  return openStore(threads);
}

function snapshot(store: ContentStore): { catalog: LiveCatalog; json: string; problems: string } {
  const catalog = new LiveCatalog(site, store.loadResult());
  return { catalog, json: JSON.stringify(catalog.index.all), problems: JSON.stringify(catalog.problems) };
}

describe('ContentStore', () => {
  it('gives the documents and problems of the eager load, sanitizing lazily', async () => {
    const expected = await eager();
    const { store, report, runner } = await open();
    await runner.close();
    expect(report.parsed).toBe(26);
    const { catalog, json, problems } = snapshot(store);
    expect(problems).toBe(expected.problems);
    expect(JSON.parse(problems).some((p: { reason: string }) => p.reason.includes('is also used by'))).toBe(true);
    // JSON reads every document's content: lazy documents must equal eager ones byte for byte.
    expect(json).toBe(expected.json);
    expect(catalog.index.all.length).toBe(24);
  });

  it('parses on worker threads exactly as inline', async () => {
    const expected = await eager();
    const { store, report, runner } = await ContentStore.open({ site, contentDir: content, threads: 2, minFilesForThreads: 1 });
    try {
      expect(report.threads).toBe(2);
      const catalog = new LiveCatalog(site, store.loadResult());
      await store.pinWindows(catalog.index, site.feedLimit, runner);
      expect(JSON.stringify(catalog.problems)).toBe(expected.problems);
      expect(JSON.stringify(catalog.index.all)).toBe(expected.json);
    } finally {
      await runner.close();
    }
  });

  it('keeps content only for documents in a feed window', async () => {
    const { store, runner } = await open();
    const { catalog } = snapshot(store);
    await store.pinWindows(catalog.index, site.feedLimit, runner);
    const pinned = new Set([...catalog.index.all.slice(0, 4), ...[...catalog.index.topics.values()].flatMap((t) => t.documents.slice(0, 4))].map((d) => d.file));
    const withContent = store.cacheEntries().filter((entry) => entry.content !== undefined).map((entry) => entry.file);
    expect(new Set(withContent)).toEqual(pinned);
    expect(pinned.size).toBeLessThan(24);
  });

  it('restarts from the cache without parsing, with identical documents', async () => {
    const first = await open();
    const before = snapshot(first.store);
    await first.store.pinWindows(before.catalog.index, site.feedLimit, first.runner);
    await first.store.saveCache();

    const second = await open();
    expect(second.report.cache).toBe('loaded');
    expect(second.report.parsed).toBe(0);
    expect(second.report.fromCache).toBe(26);
    const after = snapshot(second.store);
    expect(after.json).toBe(before.json);
    expect(after.problems).toBe(before.problems);
  });

  it('re-parses exactly the files whose bytes changed (a touched file is checked by hash, not parsed)', async () => {
    const first = await open();
    await first.store.saveCache();
    const file = join(content, '0001', readdirSyncSorted(join(content, '0001'))[0]!);
    appendFileSync(file, '<p>More.</p>\n');
    const touched = join(content, '0002', readdirSyncSorted(join(content, '0002'))[0]!);
    utimesSync(touched, new Date(), new Date(Date.now() + 5000)); // same bytes, new mtime: still a hit
    const second = await open();
    expect(second.report.parsed).toBe(1);
    expect(second.report.fromCache).toBe(25);
    // Hits, but only once read and hashed again: the touched file, and those written too recently for a stat
    // to prove (how many depends on how long the first load took: not asserted).
    expect(second.report.reread).toBeGreaterThanOrEqual(1);
    expect(second.report.reread).toBeLessThanOrEqual(25);
    expect(snapshot(second.store).json).toBe((await eager()).json);
  });

  it('a build that read files again only to prove them saves the cache, and the next load proves them by stat', async () => {
    await loadCatalogFromDir(site, content, { cacheDir, saveAfterParsed: 20 });
    // Same bytes, mtimes an hour old (a copy that did not keep them): every stamp is off.
    const hourAgo = new Date(Date.now() - 3600_000);
    for (const file of allFiles(content)) utimesSync(file, hourAgo, hourAgo);
    // 26 read again, none parsed: over the 20 that make a build save.
    await loadCatalogFromDir(site, content, { cacheDir, saveAfterParsed: 20 });
    const third = await open();
    expect(third.report).toMatchObject({ parsed: 0, fromCache: 26, reread: 0 });
    expect(third.report.work.read).toBe(0);
  });

  it.each([
    ['on this thread', undefined],
    ['with the stats taken on another thread', 0],
  ])('proves files older than the racy margin unchanged by stat alone, and still sees an edit (%s)', async (_how, minPathsForStatThread) => {
    const hourAgo = new Date(Date.now() - 3600_000);
    for (const file of allFiles(content)) utimesSync(file, hourAgo, hourAgo);
    const open = (threads = 0) => openStore(threads, minPathsForStatThread);
    const first = await open();
    await first.store.saveCache();
    const second = await open();
    expect(second.report.fromCache).toBe(26);
    expect(second.report.reread).toBe(0);
    // Nothing was read or hashed: every stamp was proven by size and mtime.
    expect(second.report.work.read).toBe(0);
    expect(second.report.work.hash).toBe(0);
    expect(snapshot(second.store).json).toBe((await eager()).json);

    const file = join(content, '0001', readdirSyncSorted(join(content, '0001'))[0]!);
    appendFileSync(file, '<p>More.</p>\n');
    const third = await open();
    expect(third.report.parsed).toBe(1);
    expect(snapshot(third.store).json).toBe((await eager()).json);
  });

  it('reads a racy file again: edited in place with the same size and mtime soon after its check', async () => {
    // A whole-second mtime (restorable exactly) a minute ahead: every check, however slow the
    // machine, falls within the racy margin of it, so the verdict does not depend on timing.
    const file = join(content, '0001', readdirSyncSorted(join(content, '0001'))[0]!);
    const now = Math.floor(Date.now() / 1000) + 60;
    utimesSync(file, now, now);
    const first = await open();
    await first.store.saveCache();
    const before = statSync(file);
    const text = readFileSync(file, 'utf8');
    const author = /^ {2}- (.+)$/m.exec(text)![1]!;
    const shouted = author.toUpperCase();
    const edited = text.replace(`  - ${author}`, `  - ${shouted}`);
    expect(edited).not.toBe(text);
    expect(edited.length).toBe(text.length);
    writeFileSync(file, edited);
    utimesSync(file, now, now);
    expect(statSync(file).mtimeMs).toBe(before.mtimeMs);
    const second = await open();
    expect(second.report.parsed).toBe(1);
    expect(snapshot(second.store).json).toContain(shouted);
    expect(snapshot(second.store).json).toBe((await eager()).json);
  });

  const corruptions: [string, (text: string) => string][] = [
    ['truncated', (text) => text.slice(0, text.length - 40)],
    ['a flipped byte', (text) => text.replace('healthcare', 'hea1thcare')],
    ['a line dropped', (text) => text.split('\n').filter((_line, i) => i !== 3).join('\n')],
    ['not JSON at all', () => 'garbage\n'],
    ['empty', () => ''],
  ];
  // Read here, or read on the scan thread and parsed here while the thread hashes it (a flipped byte then parses, and the checksum drops it).
  it.each(corruptions.flatMap(([name, corrupt]) => [[name, 'this thread', corrupt, undefined] as const, [name, 'the scan thread', corrupt, 1] as const]))(
    'discards a corrupt cache (%s, read on %s) and parses everything',
    async (_name, _where, corrupt, minPathsForStatThread) => {
    const first = await open();
    await first.store.saveCache();
    const cache = new DocumentCache(cacheDir, cacheStamp(site), content);
    writeFileSync(cache.path, corrupt(readFileSync(cache.path, 'utf8')));
    const second = await openStore(0, minPathsForStatThread);
    expect(['corrupt', 'empty']).toContain(second.report.cache);
    expect(existsSync(cache.path)).toBe(false);
    expect(second.report.parsed).toBe(26);
    expect(snapshot(second.store).json).toBe((await eager()).json);
  });

  it('reads the cache on the scan thread to the same documents, and hits', async () => {
    const first = await open();
    await first.store.saveCache();
    const second = await openStore(0, 1);
    expect(second.report.cache).toBe('loaded');
    expect(second.report.fromCache).toBe(26);
    expect(snapshot(second.store).json).toBe((await eager()).json);
  });

  it('ignores a cache written with other settings', async () => {
    const first = await open();
    await first.store.saveCache();
    const other = parseSiteConfig({ SITE_URL: 'https://elsewhere.example.org', FEED_LIMIT: '4' });
    const { report } = await ContentStore.open({ site: other, contentDir: content, cacheDir, threads: 0 });
    expect(report.cache).toBe('stale');
    expect(report.parsed).toBe(26);
  });

  it('runs inline below the worker threshold', async () => {
    const runner = createRunner(site, 10, 2);
    expect(runner.threads).toBe(0);
    await runner.close();
  });
});

function readdirSyncSorted(dir: string): string[] {
  return readdirSync(dir).sort();
}

function allFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? allFiles(join(dir, entry.name)) : [join(dir, entry.name)]));
}
