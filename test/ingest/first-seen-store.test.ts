/**
 * The ledger wired into loading: ContentStore gives documents their
 * first-seen instant before the index is built (so feeds are ordered by it),
 * the disk cache keeps the front matter's dates, and the build commands
 * (build:content, export) read and update the same ledger, so the Worker's
 * bundled documents and the static files carry the same published times.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildContent } from '../../src/cli/build-content.ts';
import { exportSite } from '../../src/cli/export.ts';
import { parseSiteConfig } from '../../src/config/config.ts';
import type { FeedDocument } from '../../src/content/document.ts';
import { backfillPublishedMs } from '../../src/content/published.ts';
import type { ContentBundle } from '../../src/publish/bundle.ts';
import { LiveCatalog } from '../../src/publish/live-catalog.ts';
import { compareNewestFirst } from '../../src/topics/order.ts';
import { ContentStore } from '../../src/ingest/content-store.ts';
import { FirstSeenLedger } from '../../src/ingest/first-seen.ts';
import { loadCatalogFromDir } from '../../src/ingest/load-dir.ts';
import { windowValidators } from '../../src/topics/validators.ts';
import { writeCorpus } from '../support/corpus.ts';
import { makeDocument } from '../support/factories.ts';
import { documentSource, goodFields } from '../support/source-text.ts';

const env = { SITE_URL: 'https://feeds.example.org', FEED_LIMIT: '4' };
const site = parseSiteConfig(env);

let root: string;
let content: string;
let stateDir: string;
let clock: number;
const NOW = Date.parse('2026-12-01T10:00:00.000Z');

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'topic-feeds-dates-'));
  content = join(root, 'content');
  stateDir = join(root, 'state');
  clock = NOW;
  writeCorpus(content, 30);
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

const ledger = (): FirstSeenLedger => FirstSeenLedger.open({ stateDir, contentDir: content, now: () => clock, warn: () => {} });

async function storeWith(opened: FirstSeenLedger | undefined, cacheDir?: string): Promise<{ store: ContentStore; catalog: LiveCatalog }> {
  const { store, runner } = await ContentStore.open({ site, contentDir: content, threads: 0, ...(opened ? { ledger: opened } : {}), ...(cacheDir ? { cacheDir } : {}) });
  await runner.close();
  return { store, catalog: new LiveCatalog(site, store.loadResult()) };
}

const byId = (documents: readonly FeedDocument[]): Map<string, FeedDocument> => new Map(documents.map((d) => [d.id, d]));

describe('ContentStore with a first-seen ledger', () => {
  it('backfills a first load (own day, never now) and orders the index by it', async () => {
    const plain = byId((await storeWith(undefined)).catalog.index.all);
    const opened = ledger();
    const { catalog } = await storeWith(opened);
    opened.close();
    expect(catalog.index.all).toHaveLength(30);
    let sameDay = 0;
    for (const document of catalog.index.all) {
      const front = plain.get(document.id)!;
      expect(document.publishedMs).toBe(backfillPublishedMs(front));
      expect(document.publishedMs).toBeLessThan(NOW);
      expect(document.updatedMs).toBe(front.updatedMs);
      if (document.publishedMs !== front.publishedMs) sameDay += 1;
    }
    // The corpus has both kinds: lastMod on the day of date (taken), and later edits (date kept).
    expect(sameDay).toBeGreaterThan(0);
    expect(sameDay).toBeLessThan(30);
    const sorted = [...catalog.index.all].sort(compareNewestFirst);
    expect(catalog.index.all.map((d) => d.id)).toEqual(sorted.map((d) => d.id));
    // The document JSON (what the Worker bundle and export threads receive) carries it too.
    const first = catalog.index.all[0]!;
    expect((JSON.parse(JSON.stringify(first)) as FeedDocument).publishedMs).toBe(first.publishedMs);
  });

  it('dates a document added between two loads when it is first loaded, and keeps the others', async () => {
    const first = ledger();
    const before = byId((await storeWith(first)).catalog.index.all);
    first.close();
    writeFileSync(join(content, 'arrived.md'), documentSource(goodFields(1, { id: 'arrived', slug: 'arrived', date: '2021-01-13', lastMod: '2021-01-13T12:06:42Z' }), '<p>New</p>'));
    clock = NOW + 60_000;
    const second = ledger();
    const { catalog } = await storeWith(second);
    second.close();
    expect(catalog.index.all[0]!.id).toBe('arrived');
    expect(catalog.index.all[0]!.publishedMs).toBe(NOW + 60_000);
    for (const document of catalog.index.all.slice(1)) expect(document.publishedMs).toBe(before.get(document.id)!.publishedMs);
  });

  it('keeps the front matter dates in the disk cache (a lost ledger backfills from them, not from "now")', async () => {
    const cacheDir = join(root, 'cache');
    writeFileSync(join(content, 'arrived.md'), documentSource(goodFields(1, { id: 'arrived', slug: 'arrived', date: '2021-01-13', lastMod: '2021-01-13T12:06:42Z' }), '<p>New</p>'));
    const existing = ledger();
    existing.assign([{ id: 'some-earlier-item', backfillMs: 0 }]);
    const { store } = await storeWith(existing, cacheDir);
    existing.close();
    expect(store.loadResult().documents.find((d) => d.id === 'arrived')!.publishedMs).toBe(NOW);
    await store.saveCache();
    rmSync(stateDir, { recursive: true, force: true });
    const fresh = ledger();
    const { catalog } = await storeWith(fresh, cacheDir);
    fresh.close();
    expect(catalog.index.all.find((d) => d.id === 'arrived')!.publishedMs).toBe(Date.parse('2021-01-13T12:06:42Z'));
  });

  it('changes feed ETags when only a published instant differs (same ids and lastMods)', async () => {
    const plain = (await storeWith(undefined)).catalog;
    const opened = ledger();
    const dated = (await storeWith(opened)).catalog;
    opened.close();
    const rss = (catalog: LiveCatalog) => catalog.feed({ kind: 'all' }, 'rss', { limit: 500 })!.etag;
    expect(dated.index.all.map((d) => d.lastMod).sort()).toEqual(plain.index.all.map((d) => d.lastMod).sort());
    expect(rss(dated)).not.toBe(rss(plain));
    // The tag itself covers the instant: one document, two published times, two tags.
    const document = makeDocument();
    const moved = makeDocument({ publishedMs: document.publishedMs + 3_600_000 });
    expect(windowValidators('/rss.xml', 'stamp', [moved]).etag).not.toBe(windowValidators('/rss.xml', 'stamp', [document]).etag);
  });
});

describe('build:content and export read and update the same ledger', () => {
  beforeEach(() => {
    rmSync(content, { recursive: true, force: true });
    cpSync('test/fixtures/seed-shaped', content, { recursive: true });
  });

  function bundledDocuments(out: string): FeedDocument[] {
    const source = readFileSync(join(out, 'content.js'), 'utf8');
    const literal = /^export default JSON\.parse\((.*)\);\n$/s.exec(source)![1]!;
    const bundle = JSON.parse(JSON.parse(literal) as string) as ContentBundle;
    if (bundle.mode !== 'documents') throw new Error('expected documents mode');
    return [...bundle.documents];
  }

  it('bundles the first-seen instant: backfilled on the first build, "now" for what arrived since, stable on rebuild', async () => {
    const out = join(root, 'generated');
    await buildContent({ contentDir: content, outDir: out, env, threshold: 1000, stateDir });
    const [seed] = bundledDocuments(out);
    // date: 2021-01-13, lastMod: 2021-01-13T12:06:42.641959Z -> its own day, at its curation time.
    expect(new Date(seed!.publishedMs).toISOString()).toBe('2021-01-13T12:06:42.641Z');

    writeFileSync(join(content, 'arrived.md'), documentSource(goodFields(1, { id: 'arrived', slug: 'arrived', date: '2021-01-13', lastMod: '2021-01-13T13:00:00Z' }), '<p>New</p>'));
    const before = Date.now();
    await buildContent({ contentDir: content, outDir: out, env, threshold: 1000, stateDir });
    const after = Date.now();
    const second = byId(bundledDocuments(out));
    expect(second.get(seed!.id)!.publishedMs).toBe(seed!.publishedMs);
    const arrived = second.get('arrived')!.publishedMs;
    expect(arrived).toBeGreaterThanOrEqual(before);
    expect(arrived).toBeLessThanOrEqual(after);

    await buildContent({ contentDir: content, outDir: out, env, threshold: 1000, stateDir });
    expect(byId(bundledDocuments(out)).get('arrived')!.publishedMs).toBe(arrived);

    // The static export shares the ledger: the same instants in its JSON Feed.
    const exported = join(root, 'site');
    await exportSite({ contentDir: content, outDir: exported, env, threads: 0, stateDir });
    const feed = JSON.parse(readFileSync(join(exported, 'feed.json'), 'utf8')) as { items: { id: string; date_published: string }[] };
    const published = new Map(feed.items.map((item) => [item.id, Date.parse(item.date_published)]));
    expect([...published.values()]).toContain(arrived);
    expect([...published.values()]).toContain(seed!.publishedMs);
  });

  it('loadCatalogFromDir without a state folder keeps the front matter dates', async () => {
    const catalog = await loadCatalogFromDir(site, content);
    expect(new Date(catalog.index.all[0]!.publishedMs).toISOString()).toBe('2021-01-13T00:00:00.000Z');
  });
});
