import { describe, expect, it } from 'vitest';
import { assertValidJsonFeed11 } from '../support/json-feed-schema.ts';
import type { XmlNode } from '../support/xml.ts';
import { childrenNamed, elementChildren, onlyChild, parseXmlStrict, textOf } from '../support/xml.ts';
import { appFor, dailyDocuments, makeSite } from '../support/feature-app.ts';

const ATOM = 'http://www.w3.org/2005/Atom';
const FH = 'http://purl.org/syndication/history/1.0';
const TOTAL = 23;
const PAGE = 5;

function setup() {
  return appFor(dailyDocuments(TOTAL), makeSite({ feedLimit: PAGE })).app;
}

function atomLinks(node: XmlNode): Record<string, string> {
  const links: Record<string, string> = {};
  for (const link of childrenNamed(node, ATOM, 'link')) links[link.attrs['rel'] ?? ''] = link.attrs['href'] ?? '';
  return links;
}

interface Page {
  readonly ids: string[];
  readonly prev?: string;
  readonly isArchive: boolean;
  readonly current?: string;
}

function readRssPage(xml: string): Page {
  const channel = onlyChild(parseXmlStrict(xml), '', 'channel');
  const links = atomLinks(channel);
  return {
    ids: childrenNamed(channel, '', 'item').map((item) => textOf(onlyChild(item, '', 'guid'))),
    prev: links['prev-archive'],
    current: links['current'],
    isArchive: childrenNamed(channel, FH, 'archive').length === 1,
  };
}

function readAtomPage(xml: string): Page {
  const feed = parseXmlStrict(xml);
  const links = atomLinks(feed);
  return {
    ids: childrenNamed(feed, ATOM, 'entry').map((entry) => textOf(onlyChild(entry, ATOM, 'id'))),
    prev: links['prev-archive'],
    current: links['current'],
    isArchive: childrenNamed(feed, FH, 'archive').length === 1,
  };
}

function readJsonPage(json: string): Page {
  const feed = JSON.parse(json) as { items: { id: string }[]; next_url?: string };
  assertValidJsonFeed11(feed);
  return { ids: feed.items.map((item) => item.id), prev: feed.next_url, isArchive: false };
}

async function walk(start: string, read: (body: string) => Page) {
  const app = setup();
  const pages: Page[] = [];
  const responses: Response[] = [];
  let url: string | undefined = start;
  while (url !== undefined) {
    const res = await app.request(url);
    expect(res.status, url).toBe(200);
    responses.push(res);
    const page = read(await res.text());
    pages.push(page);
    url = page.prev?.replace('https://feeds.example.org', '');
    expect(pages.length).toBeLessThan(20);
  }
  return { pages, responses };
}

const ALL_IDS = Array.from({ length: TOTAL }, (_, i) => `https://feeds.example.org/news/daily-${i + 1}/`);

describe('RFC 5005 archived feeds', () => {
  it.each([
    ['RSS', '/rss.xml', readRssPage],
    ['Atom', '/atom.xml', readAtomPage],
    ['JSON Feed (next_url)', '/feed.json', readJsonPage],
  ] as const)('walking back from the current %s feed reaches the oldest item with no gap or duplicate', async (_f, path, read) => {
    const { pages } = await walk(path, read);
    const [current, ...archives] = pages;
    expect(current?.ids).toHaveLength(PAGE);
    expect(archives).toHaveLength(Math.floor(TOTAL / PAGE));
    const archived = archives.flatMap((page) => page.ids);
    expect(new Set(archived).size).toBe(archived.length);
    expect(new Set([...(current?.ids ?? []), ...archived])).toEqual(new Set(ALL_IDS));
    // The oldest page holds the oldest items.
    expect(archives.at(-1)?.ids).toEqual(ALL_IDS.slice(0, PAGE).reverse());
  });

  it('marks archive pages with fh:archive and a link to the current feed', async () => {
    const { pages } = await walk('/topic/cybersecurity/atom.xml', readAtomPage);
    expect(pages[0]?.isArchive).toBe(false);
    for (const page of pages.slice(1)) {
      expect(page.isArchive).toBe(true);
      expect(page.current).toBe('https://feeds.example.org/topic/cybersecurity/atom.xml');
    }
    const rss = await walk('/rss.xml', readRssPage);
    expect(rss.pages.slice(1).every((page) => page.isArchive && page.current === 'https://feeds.example.org/rss.xml')).toBe(true);
  });

  it('serves full, sealed pages as immutable and the newest page with the normal policy', async () => {
    const app = setup();
    const sealed = await app.request('/archive/1/rss.xml');
    expect(sealed.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const newest = await app.request(`/archive/${Math.floor(TOTAL / PAGE)}/rss.xml`);
    expect(newest.headers.get('cache-control')).toBe('public, max-age=300, stale-while-revalidate=86400');
    const etag = sealed.headers.get('etag')!;
    expect((await app.request('/archive/1/rss.xml', { headers: { 'If-None-Match': etag } })).status).toBe(304);
  });

  it('keeps a sealed page byte-identical when newer items arrive', async () => {
    const before = await (await appFor(dailyDocuments(TOTAL), makeSite({ feedLimit: PAGE })).app.request('/archive/2/atom.xml')).text();
    const after = await (await appFor(dailyDocuments(TOTAL + 7), makeSite({ feedLimit: PAGE })).app.request('/archive/2/atom.xml')).text();
    expect(after).toBe(before);
  });

  it('tags each archive page by its own items in every format: an edit on page 2 changes page 2 alone, and a poller revalidates', async () => {
    const tags = async (documents: ReturnType<typeof dailyDocuments>) => {
      const { app } = appFor(documents, makeSite({ feedLimit: PAGE }));
      const out: Record<string, string> = {};
      // Pages and formats interleaved, as crawlers ask for them: the formats of a page share one digest of its items.
      for (const path of ['/archive/1/rss.xml', '/archive/2/rss.xml', '/archive/1/atom.xml', '/archive/2/atom.xml', '/archive/2/feed.json', '/archive/1/feed.json']) {
        out[path] = (await app.request(path)).headers.get('etag')!;
      }
      return { app, out };
    };
    const before = await tags(dailyDocuments(TOTAL));
    expect(new Set(Object.values(before.out)).size).toBe(6);
    // Page 2 holds items 6-10 (oldest first): edit item 7 there.
    const edited = dailyDocuments(TOTAL).map((document) => (document.id === 'd7' ? { ...document, lastMod: '2024-01-07T01:00:00.999Z' } : document));
    const after = await tags(edited);
    for (const path of Object.keys(before.out)) {
      if (path.startsWith('/archive/1/')) expect(after.out[path], path).toBe(before.out[path]);
      else expect(after.out[path], path).not.toBe(before.out[path]);
    }
    // A reader holding the old tag of page 2 gets the new bytes; page 1's tag still answers 304.
    expect((await after.app.request('/archive/2/rss.xml', { headers: { 'If-None-Match': before.out['/archive/2/rss.xml']! } })).status).toBe(200);
    expect((await after.app.request('/archive/1/rss.xml', { headers: { 'If-None-Match': before.out['/archive/1/rss.xml']! } })).status).toBe(304);
    // Page 1 of a topic right after page 1 of the whole site: its own items, the same tag as when asked alone.
    const topicPage = '/topic/artificial-intelligence/archive/1/rss.xml';
    const alone = (await appFor(dailyDocuments(TOTAL), makeSite({ feedLimit: PAGE })).app.request(topicPage)).headers.get('etag');
    expect((await before.app.request(topicPage)).headers.get('etag')).toBe(alone);
  });

  it.each(['/archive/0/rss.xml', '/archive/99/rss.xml', '/archive/01/rss.xml', '/archive/-1/rss.xml', '/archive/1e2/rss.xml', '/topic/nope/archive/1/rss.xml'])(
    '%s is a 404',
    async (path) => {
      expect((await setup().request(path)).status).toBe(404);
    },
  );

  it('puts archive links before the items, where validators look for them', async () => {
    const channel = onlyChild(parseXmlStrict(await (await setup().request('/archive/2/rss.xml')).text()), '', 'channel');
    const names = elementChildren(channel).map((n) => n.qname);
    expect(names.indexOf('atom:link')).toBeLessThan(names.indexOf('item'));
    expect(names.lastIndexOf('fh:archive')).toBeLessThan(names.indexOf('item'));
  });
});
