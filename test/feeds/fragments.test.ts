/**
 * Item fragments (src/feeds/fragments.ts): feeds, archive pages and previews
 * assembled from items rendered once must be byte for byte what rendering
 * every item in every feed gives, for every published route of a generated
 * corpus, under several site settings sharing one cache, and with a cache too
 * small to hold them all.
 */
import { describe, expect, it } from 'vitest';
import { generateDocumentText } from '../../scripts/generate-corpus.ts';
import type { SiteConfig } from '../../src/config/config.ts';
import type { FeedDocument } from '../../src/content/document.ts';
import { loadDocuments } from '../../src/content/load.ts';
import { ItemFragmentCache } from '../../src/feeds/fragments.ts';
import { joinParts } from '../../src/feeds/bytes.ts';
import { FEED_PART_RENDERERS, FEED_RENDERERS, renderFeedParts } from '../../src/feeds/render.ts';
import { el, renderXmlDocument, renderXmlDocumentParts, serializeFragment } from '../../src/feeds/xml.ts';
import { LiveCatalog } from '../../src/publish/live-catalog.ts';
import { renderFeedPreview, renderFeedPreviewParts } from '../../src/publish/pages.ts';
import { publishedRoutes, publishedRoutesForReuse } from '../../src/publish/published-routes.ts';
import { makeSite } from '../support/factories.ts';
import { makeView, sampleDocuments } from './fixtures.ts';

const encoder = new TextEncoder();

function corpus(site: SiteConfig, count: number): readonly FeedDocument[] {
  const sources = Array.from({ length: count }, (_, i) => {
    const generated = generateDocumentText(i, { seed: 11, topics: 7, filesPerFolder: 25 });
    return { file: generated.relativePath, contents: generated.text };
  });
  const loaded = loadDocuments(sources, site);
  expect(loaded.documents.length).toBeGreaterThan(count * 0.9);
  return loaded.documents;
}

/** Every published route's bytes, by key. */
function render(catalog: LiveCatalog): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const route of publishedRoutes(catalog)) out.set(route.key, route.representation.body() as Uint8Array);
  return out;
}

/** The same, from each route's parts (what the export writes, uncopied) where it has them. */
function renderParts(catalog: LiveCatalog): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const route of publishedRoutes(catalog)) {
    const parts = route.representation.parts?.();
    out.set(route.key, parts === undefined ? (route.representation.body() as Uint8Array) : joinParts(parts));
  }
  return out;
}

function expectSameRoutes(actual: Map<string, Uint8Array>, expected: Map<string, Uint8Array>): void {
  expect([...actual.keys()]).toEqual([...expected.keys()]);
  for (const [key, bytes] of expected) {
    const got = actual.get(key)!;
    // Compare as text first for a readable diff, then the bytes themselves.
    if (!Buffer.from(got).equals(Buffer.from(bytes))) expect(Buffer.from(got).toString('utf8'), key).toBe(Buffer.from(bytes).toString('utf8'));
  }
}

const SETTINGS: readonly [string, Partial<SiteConfig>][] = [
  ['defaults', {}],
  ['featured image in content, small pages', { featuredImageInContent: true, feedLimit: 7 }],
  ['another site URL', { siteUrl: 'https://elsewhere.example.net/news', feedLimit: 9 }],
];

describe('item fragments', () => {
  it('give every feed, archive page and preview the bytes of the plain renderers, under several settings sharing one cache', () => {
    const shared = new ItemFragmentCache();
    const tiny = new ItemFragmentCache(64 * 1024);
    let compared = 0;
    // The same document objects under every setting: a fragment made under one must never serve another.
    const documents = corpus(makeSite(), 240);
    for (const [, overrides] of SETTINGS) {
      const site = makeSite(overrides);
      const plain = render(new LiveCatalog(site, { documents, problems: [] }, { fragments: false, retain: false }));
      expect([...plain.keys()].some((key) => key.includes('/archive/'))).toBe(true);
      expect([...plain.keys()].some((key) => key.endsWith('#preview'))).toBe(true);
      // Twice with the shared cache: the second pass is all hits.
      expectSameRoutes(render(new LiveCatalog(site, { documents, problems: [] }, { fragments: shared, retain: false })), plain);
      expectSameRoutes(render(new LiveCatalog(site, { documents, problems: [] }, { fragments: shared, retain: false })), plain);
      // A cache that holds a few items only: evictions all along.
      expectSameRoutes(render(new LiveCatalog(site, { documents, problems: [] }, { fragments: tiny, retain: false })), plain);
      // As parts (the export's writev), from the warm cache and from the tiny one.
      expectSameRoutes(renderParts(new LiveCatalog(site, { documents, problems: [] }, { fragments: shared, retain: false })), plain);
      expectSameRoutes(renderParts(new LiveCatalog(site, { documents, problems: [] }, { fragments: tiny, retain: false })), plain);
      compared += plain.size;
    }
    expect(compared).toBeGreaterThan(100);
    expect(shared.stats().hits).toBeGreaterThan(shared.stats().misses);
    expect(tiny.stats().size).toBeLessThanOrEqual(64 * 1024);
  });

  it('the export order gives the same routes with the same bytes, archives newest first, and needs fewer renders from a small cache', () => {
    const site = makeSite({ feedLimit: 5 });
    const documents = corpus(site, 240);
    const plain = render(new LiveCatalog(site, { documents, problems: [] }, { fragments: false, retain: false }));
    const budget = 96 * 1024;
    const inOrder = new ItemFragmentCache(budget);
    const forReuse = new ItemFragmentCache(budget);
    render(new LiveCatalog(site, { documents, problems: [] }, { fragments: inOrder, retain: false }));
    const catalog = new LiveCatalog(site, { documents, problems: [] }, { fragments: forReuse, retain: false });
    const routes = [...publishedRoutesForReuse(catalog)];
    const reordered = new Map(routes.map((route) => [route.key, route.representation.body() as Uint8Array]));
    expect(routes.length).toBe(plain.size);
    expect(new Set(reordered.keys())).toEqual(new Set(plain.keys()));
    for (const [key, bytes] of plain) expect(Buffer.from(reordered.get(key)!).equals(Buffer.from(bytes)), key).toBe(true);
    // Archive pages after every other route, from the newest items back.
    const firstArchive = routes.findIndex((route) => route.key.includes('/archive/'));
    expect(firstArchive).toBeGreaterThan(0);
    expect(routes.slice(firstArchive).every((route) => route.key.includes('/archive/'))).toBe(true);
    const newest = routes.slice(firstArchive).map((route) => {
      const [, slug, page] = /^(?:\/topic\/([^/]+))?\/archive\/(\d+)\//.exec(route.key)!;
      return catalog.archiveItems(slug === undefined ? { kind: 'all' } : { kind: 'topic', slug }, Number(page))[0]!.publishedMs;
    });
    expect(newest).toEqual([...newest].sort((a, b) => b - a));
    expect(forReuse.stats().misses).toBeLessThan(inOrder.stats().misses);
    // Only the scopes asked for.
    const one = [...catalog.index.topics.keys()][0]!;
    const only = [...publishedRoutesForReuse(catalog, (topic) => topic === one)];
    expect(only.length).toBeGreaterThan(0);
    expect(only.every((route) => route.topic === one)).toBe(true);
  });

  it('part renderers, joined, equal the encoded string renderers, with and without a cache, for hostile sample documents', () => {
    const cache = new ItemFragmentCache();
    for (const featuredImageInContent of [false, true]) {
      const plainView = makeView(sampleDocuments(), undefined, undefined, { featuredImageInContent });
      for (const view of [plainView, { ...plainView, fragments: cache }, { ...plainView, fragments: cache }, { ...plainView, items: [], fragments: cache }]) {
        for (const format of ['rss', 'atom', 'json'] as const) {
          expect(Buffer.from(joinParts(renderFeedParts(format, view))).toString('utf8')).toBe(FEED_RENDERERS[format](view));
          const site = makeSite();
          expect(Buffer.from(joinParts(renderFeedPreviewParts(site, view, format))).toString('utf8')).toBe(renderFeedPreview(site, view, format));
        }
      }
    }
    expect(cache.stats().hits).toBeGreaterThan(0);
  });

  it('as parts, two feeds showing one item hold that item’s cached bytes themselves, not copies', () => {
    const site = makeSite();
    const documents = corpus(site, 60);
    const catalog = new LiveCatalog(site, { documents, problems: [] }, { fragments: new ItemFragmentCache(), retain: false });
    const doc = documents[0]!;
    const slug = doc.topics[0]!.slug;
    for (const format of ['rss', 'atom', 'json'] as const) {
      const overall = catalog.feed({ kind: 'all' }, format)!.parts!();
      const topic = catalog.feed({ kind: 'topic', slug }, format)!.parts!();
      const shared = overall.parts.filter((part) => topic.parts.some((other) => other.buffer === part.buffer && other.byteOffset === part.byteOffset));
      expect(shared.length, format).toBeGreaterThan(0);
      expect(overall.byteLength).toBe(overall.parts.reduce((sum, part) => sum + part.byteLength, 0));
    }
  });

  it('keys a fragment on the document: an edited document (new object or new lastMod) is rendered again', () => {
    const cache = new ItemFragmentCache();
    const [first] = sampleDocuments();
    const view = makeView([first!], undefined, undefined, { fragments: cache });
    const before = joinParts(FEED_PART_RENDERERS.rss(view));
    const edited = { ...first!, title: 'Edited title', lastMod: '2031-01-01T00:00:00Z' };
    const after = joinParts(FEED_PART_RENDERERS.rss({ ...view, items: [edited] }));
    expect(Buffer.from(after).toString('utf8')).toContain('Edited title');
    expect(Buffer.from(after).toString('utf8')).toBe(FEED_RENDERERS.rss({ ...view, items: [edited] }));
    expect(Buffer.from(before).toString('utf8')).not.toContain('Edited title');
  });

  it('an XML fragment prints exactly as the element would, and only at the depth it was made for', () => {
    const item = el('item', { a: 'x & "y"' }, [el('title', {}, 'A < B'), el('empty')]);
    const tree = el('rss', {}, [el('channel', {}, [el('title', {}, 't'), item])]);
    const laid = el('rss', {}, [el('channel', {}, [el('title', {}, 't'), serializeFragment(item, 2)])]);
    expect(Buffer.from(joinParts(renderXmlDocumentParts(laid))).toString('utf8')).toBe(renderXmlDocument(tree));
    expect(renderXmlDocument(laid)).toBe(renderXmlDocument(tree));
    expect(encoder.encode(renderXmlDocument(tree))).toEqual(joinParts(renderXmlDocumentParts(tree)));
    const misplaced = el('rss', {}, [serializeFragment(item, 2)]);
    expect(() => renderXmlDocumentParts(misplaced)).toThrow(/depth/);
  });
});
