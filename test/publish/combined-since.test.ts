import { describe, expect, it } from 'vitest';
import { readJsonFeed, readRss } from '../support/feed-extract.ts';
import { appFor, dailyDocuments } from '../support/feature-app.ts';

const docs = () => dailyDocuments(40);

async function ids(path: string): Promise<string[]> {
  const res = await appFor(docs()).app.request(path);
  expect(res.status, path).toBe(200);
  return readJsonFeed(await res.text()).items.map((item) => item.id);
}

describe('combined topics: /topics/a+b/…', () => {
  it('is the union of its topics, newest first, without duplicates', async () => {
    const combined = await ids('/topics/artificial-intelligence+vaccines/feed.json?limit=500');
    const union = new Set([...(await ids('/topic/artificial-intelligence/feed.json?limit=500')), ...(await ids('/topic/vaccines/feed.json?limit=500'))]);
    expect(new Set(combined)).toEqual(union);
    expect(combined).toHaveLength(union.size);
    // Documents 1, 16 and 31 are in both topics: present once.
    expect(combined.filter((id) => id.endsWith('/daily-16/'))).toHaveLength(1);
    const numbers = combined.map((id) => Number(/daily-(\d+)/.exec(id)?.[1]));
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
  });

  it('holds the default window and renders in every format, titled with both labels', async () => {
    const { app } = appFor(docs());
    for (const file of ['rss.xml', 'atom.xml', 'feed.json']) {
      expect((await app.request(`/topics/artificial-intelligence+vaccines/${file}`)).status).toBe(200);
    }
    const feed = readRss(await (await app.request('/topics/artificial-intelligence+vaccines/rss.xml')).text());
    expect(feed.title).toBe('Health Tech Topics: Artificial Intelligence + Vaccines');
    expect(feed.selfUrl).toBe('https://feeds.example.org/topics/artificial-intelligence+vaccines/rss.xml');
  });

  it('redirects non-canonical orders, case and duplicates to the canonical URL', async () => {
    const { app } = appFor(docs());
    for (const path of ['/topics/vaccines+artificial-intelligence/rss.xml?limit=3', '/topics/Vaccines+artificial-intelligence+vaccines/rss.xml?limit=3']) {
      const res = await app.request(path);
      expect(res.status, path).toBe(301);
      expect(res.headers.get('location')).toBe('/topics/artificial-intelligence+vaccines/rss.xml?limit=3');
    }
    const single = await app.request('/topics/vaccines/atom.xml');
    expect(single.status).toBe(301);
    expect(single.headers.get('location')).toBe('/topic/vaccines/atom.xml');
  });

  it('caps the number of topics with a 400 and answers unknown topics with a 404', async () => {
    const { app } = appFor(docs());
    const eleven = Array.from({ length: 11 }, (_, i) => `t${String(i).padStart(2, '0')}`).join('+');
    expect((await app.request(`/topics/${eleven}/rss.xml`)).status).toBe(400);
    expect((await app.request('/topics/artificial-intelligence+nope/rss.xml')).status).toBe(404);
    expect((await app.request('/topics/artificial-intelligence+..%2f..%2fetc/rss.xml')).status).toBe(404);
  });

  it('has validators and conditional GET like a single topic', async () => {
    const { app } = appFor(docs());
    const first = await app.request('/topics/artificial-intelligence+vaccines/atom.xml');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{16}"$/);
    expect(first.headers.get('last-modified')).toBe(new Date(Date.UTC(2024, 0, 40, 1)).toUTCString());
    expect((await app.request('/topics/artificial-intelligence+vaccines/atom.xml', { headers: { 'If-None-Match': etag } })).status).toBe(304);
  });
});

describe('?since=', () => {
  it('returns only items updated after that instant', async () => {
    const since = await ids('/feed.json?since=2024-02-05T01:00:00Z');
    // Document N is updated on 2024-01-N at 01:00:00.000123 UTC; Feb 5 is day 36.
    expect(since.map((id) => Number(/daily-(\d+)/.exec(id)?.[1]))).toEqual([40, 39, 38, 37, 36]);
  });

  it('compares to the microsecond', async () => {
    expect(await ids('/feed.json?since=2024-02-09T01:00:00.000123Z')).toEqual([]);
    expect(await ids('/feed.json?since=2024-02-09T01:00:00.000122Z')).toHaveLength(1);
    expect(await ids('/feed.json?since=2024-02-09T02:00:00%2B01:00')).toEqual(await ids('/feed.json?since=2024-02-09T01:00:00Z'));
  });

  it('works with combined topics and limits', async () => {
    expect(await ids('/topics/artificial-intelligence+vaccines/feed.json?since=2024-01-30T00:00:00Z&limit=2')).toEqual([
      'https://feeds.example.org/news/daily-40/',
      'https://feeds.example.org/news/daily-37/',
    ]);
  });

  it.each(['yesterday', '2024-02-30T00:00:00Z', '2024-01-01', '2024-01-01T25:00:00Z', '1e9', '', '2024-01-01T00:00:00'])(
    'rejects since=%j with a 400',
    async (value) => {
      const res = await appFor(docs()).app.request(`/rss.xml?since=${encodeURIComponent(value)}`);
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('since must be an RFC 3339 timestamp');
    },
  );

  it('is part of the cache key: different instants, different ETags', async () => {
    const { app } = appFor(docs());
    const a = (await app.request('/rss.xml?since=2024-02-01T00:00:00Z')).headers.get('etag');
    const b = (await app.request('/rss.xml?since=2024-02-02T00:00:00Z')).headers.get('etag');
    const plain = (await app.request('/rss.xml')).headers.get('etag');
    expect(new Set([a, b, plain]).size).toBe(3);
  });
});
