/**
 * WebSub discovery as websub.rocks checks a publisher (WebSub §4): the hub
 * and the topic (self) URL, from the HTTP Link header and from the feed body.
 * A feed advertises the hub only if the publisher pings it when the feed's
 * bytes change (src/publish/changes.ts): the overall and per-topic feeds.
 */
import { describe, expect, it } from 'vitest';
import { childrenNamed, onlyChild, parseXmlStrict } from '../support/xml.ts';
import { appFor, dailyDocuments, makeSite } from '../support/feature-app.ts';
import { feedTags } from '../../src/publish/changes.ts';

const ATOM = 'http://www.w3.org/2005/Atom';
const HUB = 'https://hub.example.net/';
const ORIGIN = 'https://feeds.example.org';

/** RFC 8288 Link header entries as (rel, url) pairs; a rel may list several types. */
function linkHeader(value: string | null): [string, string][] {
  if (value === null) return [];
  const out: [string, string][] = [];
  for (const match of value.matchAll(/<([^>]*)>\s*((?:;\s*[a-z]+\s*=\s*(?:"[^"]*"|[^;,]*)\s*)*)/gi)) {
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^;,\s]*))/i.exec(match[2] ?? '');
    for (const type of (rel?.[1] ?? rel?.[2] ?? '').split(/\s+/).filter(Boolean)) out.push([type.toLowerCase(), match[1]!]);
  }
  return out;
}

function bodyLinks(path: string, body: string): [string, string][] {
  if (path.split('?')[0]!.endsWith('.json')) {
    const feed = JSON.parse(body) as { feed_url?: string; hubs?: { type: string; url: string }[] };
    return [...(feed.feed_url ? [['self', feed.feed_url] as [string, string]] : []), ...(feed.hubs ?? []).map((hub) => ['hub', hub.url] as [string, string])];
  }
  const root = parseXmlStrict(body);
  const parent = root.local === 'rss' ? onlyChild(root, '', 'channel') : root;
  return childrenNamed(parent, ATOM, 'link')
    .filter((link) => link.attrs['rel'] === 'self' || link.attrs['rel'] === 'hub')
    .map((link) => [link.attrs['rel']!, link.attrs['href']!]);
}

async function discover(path: string) {
  const { app } = appFor(dailyDocuments(30), makeSite({ websubHub: HUB, feedLimit: 5 }));
  const res = await app.request(path);
  expect(res.status, path).toBe(200);
  const body = await res.text();
  return { header: linkHeader(res.headers.get('link')), body: bodyLinks(path, body) };
}

const rels = (links: [string, string][], rel: string): string[] => links.filter(([r]) => r === rel).map(([, url]) => url);

describe('WebSub discovery never lies', () => {
  const pinged = ['/rss.xml', '/atom.xml', '/feed.json', '/topic/cybersecurity/rss.xml', '/topic/artificial-intelligence/atom.xml', '/topic/vaccines/feed.json', '/topic/artificial-intelligence/feed.json?limit=2'];
  it.each(pinged)('%s: one self (its canonical URL) and the hub, in the header and the body alike', async (path) => {
    const { header, body } = await discover(path);
    const canonical = `${ORIGIN}${path.split('?')[0]}`;
    expect(rels(header, 'self')).toEqual([canonical]);
    expect(rels(header, 'hub')).toEqual([HUB]);
    expect(rels(body, 'self')).toEqual([canonical]);
    expect(rels(body, 'hub')).toEqual([HUB]);
  });

  it('advertises the hub on exactly the feeds the publisher pings', async () => {
    const { catalog } = appFor(dailyDocuments(30), makeSite({ websubHub: HUB, feedLimit: 5 }));
    const pingedUrls = [...feedTags(catalog).keys()];
    for (const url of pingedUrls) {
      const { header, body } = await discover(url.slice(ORIGIN.length));
      expect(rels(header, 'hub'), url).toEqual([HUB]);
      expect(rels(body, 'hub'), url).toEqual([HUB]);
    }
  });

  it.each(['/topics/artificial-intelligence+cybersecurity/rss.xml', '/topics/artificial-intelligence+vaccines/atom.xml', '/topics/cybersecurity+vaccines/feed.json'])(
    '%s (a combined feed, never pinged) advertises no hub, in the header or the body',
    async (path) => {
      const { header, body } = await discover(path);
      expect(rels(header, 'hub')).toEqual([]);
      expect(rels(body, 'hub')).toEqual([]);
      expect(rels(body, 'self')).toEqual([`${ORIGIN}${path}`]);
    },
  );

  it.each(['/archive/1/rss.xml', '/topic/cybersecurity/archive/1/atom.xml', '/archive/2/feed.json'])('%s (an archive page) advertises no hub', async (path) => {
    const { header, body } = await discover(path);
    expect(rels(header, 'hub')).toEqual([]);
    expect(rels(body, 'hub')).toEqual([]);
  });

  it('sends no hub Link with the HTML preview (a page, not the feed)', async () => {
    const { app } = appFor(dailyDocuments(30), makeSite({ websubHub: HUB }));
    const res = await app.request('/rss.xml?view=html');
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('link')).toBeNull();
  });
});
