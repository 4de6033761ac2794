import { describe, expect, it, vi } from 'vitest';
import type { FeedDocument } from '../../src/content/document.ts';
import { FEED_RENDERERS } from '../../src/feeds/render.ts';
import { createApp } from '../../src/http/app.ts';
import { LiveCatalog } from '../../src/publish/live-catalog.ts';
import { makeDocument, makeSite, makeTopic } from '../support/factories.ts';

const cyber = makeTopic('healthcare-it-news-cybersecurity', 'Cybersecurity', 'Healthcare IT News: Cybersecurity');
const vaccines = makeTopic('vaccines', 'Vaccines', 'FDA: Vaccines');

function corpus(): FeedDocument[] {
  return [
    makeDocument({ id: '1', slug: 'one', publishedMs: Date.UTC(2024, 0, 1), updatedMs: Date.UTC(2024, 0, 1, 9), lastMod: '2024-01-01T09:00:00.000001Z', topics: [cyber] }),
    makeDocument({ id: '2', slug: 'two', publishedMs: Date.UTC(2024, 0, 2), updatedMs: Date.UTC(2024, 0, 5, 9), lastMod: '2024-01-05T09:00:00.000002Z', topics: [cyber, vaccines] }),
    makeDocument({ id: '3', slug: 'three', publishedMs: Date.UTC(2024, 0, 3), updatedMs: Date.UTC(2024, 0, 3, 9), lastMod: '2024-01-03T09:00:00.000003Z', topics: [vaccines] }),
  ];
}

function appFor(documents: readonly FeedDocument[] = corpus(), site = makeSite()) {
  const catalog = new LiveCatalog(site, { documents, problems: [{ file: 'bad.md', field: 'title', reason: 'missing', action: 'skipped' }] });
  return createApp({ catalog: () => catalog });
}

const FEEDS = [
  ['/rss.xml', 'application/rss+xml; charset=utf-8'],
  ['/atom.xml', 'application/atom+xml; charset=utf-8'],
  ['/feed.json', 'application/feed+json; charset=utf-8'],
  ['/topic/vaccines/rss.xml', 'application/rss+xml; charset=utf-8'],
  ['/topic/vaccines/atom.xml', 'application/atom+xml; charset=utf-8'],
  ['/topic/vaccines/feed.json', 'application/feed+json; charset=utf-8'],
] as const;

describe('routes', () => {
  it.each(FEEDS)('GET %s is a 200 with the feed content type and validators', async (path, type) => {
    const res = await appFor().request(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(type);
    expect(res.headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]{16}"$/);
    expect(res.headers.get('cache-control')).toBe('public, max-age=300, stale-while-revalidate=86400');
    expect(res.headers.get('vary')).toContain('Accept-Encoding');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await res.text()).length).toBeGreaterThan(100);
  });

  it('Last-Modified is the newest lastMod in the feed window, not the newest publish date', async () => {
    const res = await appFor().request('/topic/vaccines/rss.xml');
    expect(res.headers.get('last-modified')).toBe('Fri, 05 Jan 2024 09:00:00 GMT');
  });

  it.each(FEEDS)('HEAD %s has the GET headers, the GET body’s Content-Length, and no body', async (path) => {
    const app = appFor();
    const get = await app.request(path);
    const head = await app.request(path, { method: 'HEAD' });
    expect(head.status).toBe(200);
    for (const name of ['content-type', 'etag', 'last-modified', 'cache-control', 'vary']) {
      expect(head.headers.get(name)).toBe(get.headers.get(name));
    }
    expect(head.headers.get('content-length')).toBe(String((await get.arrayBuffer()).byteLength));
    expect(await head.text()).toBe('');
  });

  it('serves the HTML index with autodiscovery links and a CSP', async () => {
    const res = await appFor().request('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toContain('<link rel="alternate" type="application/rss+xml"');
    expect(html).toContain('href="https://feeds.example.org/rss.xml"');
    expect(html).toContain('href="https://feeds.example.org/topic/vaccines/feed.json"');
  });

  it('lists topics with counts, labels, newest lastMod and feed URLs in /topics.json', async () => {
    const res = await appFor().request('/topics.json');
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const body = (await res.json()) as { topics: { slug: string; count: number; label: string; lastMod: string; feeds: Record<string, string> }[] };
    expect(body.topics.map((t) => [t.slug, t.count, t.label, t.lastMod])).toEqual([
      ['healthcare-it-news-cybersecurity', 2, 'Cybersecurity', '2024-01-05T09:00:00.000002Z'],
      ['vaccines', 2, 'Vaccines', '2024-01-05T09:00:00.000002Z'],
    ]);
    expect(body.topics[1]?.feeds).toEqual({
      rss: 'https://feeds.example.org/topic/vaccines/rss.xml',
      atom: 'https://feeds.example.org/topic/vaccines/atom.xml',
      json: 'https://feeds.example.org/topic/vaccines/feed.json',
    });
  });

  it('counts documents, topics and problems in /healthz', async () => {
    const res = await appFor().request('/healthz');
    expect(await res.json()).toEqual({ status: 'ok', documents: 3, topics: 2, problems: 1 });
  });

  it('answers an unknown topic with a 404 and an explanation', async () => {
    const res = await appFor().request('/topic/no-such-topic/rss.xml');
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('Unknown topic "no-such-topic"');
  });

  it('redirects a mixed-case slug of a known topic to the lowercase one', async () => {
    const res = await appFor().request('/topic/Vaccines/atom.xml?limit=2');
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('/topic/vaccines/atom.xml?limit=2');
  });

  it('answers other methods with 405 and Allow', async () => {
    const res = await appFor().request('/rss.xml', { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
  });
});

describe('?limit', () => {
  it('limits the number of items', async () => {
    const body = (await (await appFor().request('/feed.json?limit=2')).json()) as { items: unknown[] };
    expect(body.items).toHaveLength(2);
  });

  it.each(['0', '501', '-1', '1e9', 'NaN', 'abc', '', '2.5', ' 3'])('rejects limit=%j with a 400', async (value) => {
    const res = await appFor().request(`/rss.xml?limit=${encodeURIComponent(value)}`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('limit must be a whole number from 1 to 500');
  });

  it('rejects a repeated limit with a 400', async () => {
    expect((await appFor().request('/rss.xml?limit=1&limit=2')).status).toBe(400);
  });

  it('accepts the bounds 1 and 500', async () => {
    expect((await appFor().request('/rss.xml?limit=1')).status).toBe(200);
    expect((await appFor().request('/rss.xml?limit=500')).status).toBe(200);
  });
});

describe('conditional GET', () => {
  async function validators(path = '/topic/vaccines/rss.xml') {
    const res = await appFor().request(path);
    return { etag: res.headers.get('etag')!, lastModified: res.headers.get('last-modified')! };
  }

  it('answers a matching If-None-Match with a bodiless 304 that keeps ETag, Cache-Control and Vary', async () => {
    const { etag } = await validators();
    const res = await appFor().request('/topic/vaccines/rss.xml', { headers: { 'If-None-Match': etag } });
    expect(res.status).toBe(304);
    expect(await res.text()).toBe('');
    expect(res.headers.get('etag')).toBe(etag);
    expect(res.headers.get('cache-control')).toContain('max-age=300');
    expect(res.headers.get('vary')).toContain('Accept-Encoding');
  });

  it.each([
    ['weak form', (tag: string) => `W/${tag}`],
    ['list', (tag: string) => `"nope", ${tag}, "other"`],
    ['star', () => '*'],
  ])('matches If-None-Match given as a %s', async (_name, make) => {
    const { etag } = await validators();
    const res = await appFor().request('/topic/vaccines/rss.xml', { headers: { 'If-None-Match': make(etag) } });
    expect(res.status).toBe(304);
  });

  it('gives a 200 when If-None-Match does not match, even if If-Modified-Since would', async () => {
    const res = await appFor().request('/topic/vaccines/rss.xml', {
      headers: { 'If-None-Match': '"something-else"', 'If-Modified-Since': 'Fri, 01 Jan 2100 00:00:00 GMT' },
    });
    expect(res.status).toBe(200);
  });

  it('uses If-Modified-Since when there is no If-None-Match', async () => {
    const { lastModified } = await validators();
    const app = appFor();
    expect((await app.request('/topic/vaccines/rss.xml', { headers: { 'If-Modified-Since': lastModified } })).status).toBe(304);
    expect((await app.request('/topic/vaccines/rss.xml', { headers: { 'If-Modified-Since': 'Thu, 04 Jan 2024 09:00:00 GMT' } })).status).toBe(200);
  });

  it.each(['yesterday', '2100-01-01', 'Fri, 99 Foo 2100 00:00:00 GMT', ''])('ignores a malformed If-Modified-Since %j', async (value) => {
    const res = await appFor().request('/topic/vaccines/rss.xml', { headers: { 'If-Modified-Since': value } });
    expect(res.status).toBe(200);
  });

  it.each(['garbage', '"unterminated', 'W/'])('ignores a malformed If-None-Match %j', async (value) => {
    const res = await appFor().request('/topic/vaccines/rss.xml', { headers: { 'If-None-Match': value } });
    expect(res.status).toBe(200);
  });

  it('decides a 304 without rendering the feed', async () => {
    const { etag } = await validators('/atom.xml');
    const spy = vi.spyOn(FEED_RENDERERS, 'atom');
    try {
      const res = await appFor().request('/atom.xml', { headers: { 'If-None-Match': etag } });
      expect(res.status).toBe(304);
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  it('renders each feed once per snapshot, however many requests come', async () => {
    const spy = vi.spyOn(FEED_RENDERERS, 'json');
    try {
      const app = appFor();
      for (let i = 0; i < 5; i++) await app.request('/feed.json');
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('validators follow the content', () => {
  async function etagOf(documents: readonly FeedDocument[], path: string) {
    return (await appFor(documents).request(path)).headers.get('etag');
  }

  it('are identical, with identical bytes, for the same content and config', async () => {
    const documents = corpus();
    const a = await appFor(documents).request('/atom.xml');
    const b = await appFor(structuredClone(documents)).request('/atom.xml');
    expect(a.headers.get('etag')).toBe(b.headers.get('etag'));
    expect(await a.text()).toBe(await b.text());
  });

  it('change when an item lastMod changes', async () => {
    const changed = corpus().map((d) => (d.id === '3' ? { ...d, lastMod: '2024-01-03T09:00:00.000004Z' } : d));
    expect(await etagOf(changed, '/topic/vaccines/rss.xml')).not.toBe(await etagOf(corpus(), '/topic/vaccines/rss.xml'));
  });

  it('change when an item leaves the window', async () => {
    const newer = makeDocument({ id: '9', publishedMs: Date.UTC(2020, 0, 1), updatedMs: Date.UTC(2020, 0, 1), lastMod: '2020-01-01T00:00:00Z', topics: [] });
    // The old document sorts last, so with limit=3 it pushes nothing out; a newer one does.
    const pushed = [...corpus(), { ...newer, publishedMs: Date.UTC(2025, 0, 1) }];
    expect(await etagOf(pushed, '/rss.xml?limit=3')).not.toBe(await etagOf(corpus(), '/rss.xml?limit=3'));
  });

  it('differ between formats and limits of the same feed', async () => {
    const tags = new Set([
      await etagOf(corpus(), '/rss.xml'),
      await etagOf(corpus(), '/atom.xml'),
      await etagOf(corpus(), '/feed.json'),
      await etagOf(corpus(), '/rss.xml?limit=1'),
    ]);
    expect(tags.size).toBe(4);
  });

  it('change with the site config', async () => {
    const other = appFor(corpus(), makeSite({ siteTitle: 'Another title' }));
    expect((await other.request('/rss.xml')).headers.get('etag')).not.toBe(await etagOf(corpus(), '/rss.xml'));
  });
});

describe('validators follow edits that keep lastMod', () => {
  it('change when a document changes but its lastMod does not', async () => {
    const documents = corpus().map((d) => ({ ...d, revision: 'r1' }));
    const edited = documents.map((d) => (d.id === '2' ? { ...d, title: 'Fixed typo', revision: 'r2' } : d));
    const before = (await appFor(documents).request('/rss.xml')).headers.get('etag');
    const after = (await appFor(edited).request('/rss.xml')).headers.get('etag');
    expect(after).not.toBe(before);
  });
});

describe('Cache-Control', () => {
  it('adds s-maxage for shared caches when CACHE_S_MAXAGE is set', async () => {
    const res = await appFor(corpus(), makeSite({ sharedMaxAge: 120 })).request('/rss.xml');
    expect(res.headers.get('cache-control')).toBe('public, max-age=300, s-maxage=120, stale-while-revalidate=86400');
  });
});

describe('validators follow what the page and feed text depend on', () => {
  it('change the topic feed ETag when the topic label changes, even from outside the window', async () => {
    const documents = corpus();
    const relabelled = documents.map((d) => ({ ...d, topics: d.topics.map((t) => (t.slug === 'vaccines' ? { ...t, label: 'Vaccines & Biologics' } : t)) }));
    const before = (await appFor(documents).request('/topic/vaccines/rss.xml?limit=1')).headers.get('etag');
    const after = (await appFor(relabelled).request('/topic/vaccines/rss.xml?limit=1')).headers.get('etag');
    expect(after).not.toBe(before);
  });

  it('change the topic page ETag when the item count changes outside the window', async () => {
    const old = makeDocument({ id: '0', publishedMs: Date.UTC(2000, 0, 1), updatedMs: Date.UTC(2000, 0, 1), lastMod: '2000-01-01T00:00:00Z', topics: [vaccines] });
    const site = makeSite({ feedLimit: 2 });
    const before = (await appFor(corpus(), site).request('/topic/vaccines/')).headers.get('etag');
    const after = (await appFor([...corpus(), old], site).request('/topic/vaccines/')).headers.get('etag');
    expect(after).not.toBe(before);
  });
});
