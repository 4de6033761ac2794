import { describe, expect, it } from 'vitest';
import { findUnsafe, parseHtmlFragment } from '../support/html.ts';
import { appFor, dailyDocuments } from '../support/feature-app.ts';

const FIREFOX = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const CHROME =
  'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7';
const READER = 'application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.8';

/** What a browser sends when a person opens a URL in a tab (Fetch Metadata included). */
const NAVIGATION = { 'Sec-Fetch-Dest': 'document', 'Sec-Fetch-Mode': 'navigate', 'Sec-Fetch-Site': 'none', 'Sec-Fetch-User': '?1' };
const VARY = 'Accept, Sec-Fetch-Dest, Sec-Fetch-Mode, Accept-Encoding';

function request(path: string, accept?: string, navigation = true) {
  const headers = { ...(accept === undefined ? {} : { Accept: accept }), ...(navigation && accept !== undefined ? NAVIGATION : {}) };
  return appFor(dailyDocuments(8)).app.request(path, { headers });
}

describe('feed URLs give a browser navigation a preview, every other client the feed', () => {
  it.each([
    ['Firefox', FIREFOX],
    ['Chrome', CHROME],
  ])('%s opening the URL gets an HTML page of the same feed', async (_name, accept) => {
    const res = await request('/topic/cybersecurity/rss.xml', accept);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('content-security-policy')).not.toContain('script-src');
    const html = await res.text();
    expect(html).toContain('<h1>Health Tech Topics: Cybersecurity</h1>');
    expect(html).toContain('Daily item 8');
    expect(html).toContain('value="https://feeds.example.org/topic/cybersecurity/rss.xml"');
    expect(html).toContain('value="https://feeds.example.org/topic/cybersecurity/feed.json"');
    expect(html).not.toMatch(/<script/i);
  });

  it.each([
    ['a feed reader', READER],
    ['curl', '*/*'],
    ['no Accept at all', undefined],
    ['JSON tools', 'application/json'],
  ])('%s gets the feed', async (_name, accept) => {
    const res = await request('/topic/cybersecurity/rss.xml', accept);
    expect(res.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
  });

  it.each([
    ['Firefox', FIREFOX],
    ['Chrome', CHROME],
  ])("a fetcher that copies %s's Accept but sends no Fetch Metadata gets the feed", async (_name, accept) => {
    const res = await request('/topic/cybersecurity/rss.xml', accept, false);
    expect(res.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
  });

  it('?view=html forces the preview and ?view=feed the feed', async () => {
    expect((await request('/feed.json?view=html')).headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect((await request('/feed.json?view=feed', FIREFOX)).headers.get('content-type')).toBe('application/feed+json; charset=utf-8');
    expect((await request('/feed.json?view=xml')).status).toBe(400);
  });

  it('gives each representation its own ETag and sends Vary: Accept on both', async () => {
    const feed = await request('/atom.xml');
    const page = await request('/atom.xml', FIREFOX);
    expect(feed.headers.get('etag')).not.toBe(page.headers.get('etag'));
    for (const res of [feed, page]) expect(res.headers.get('vary')).toBe(VARY);
    // The feed's tag does not validate the page, and the other way round.
    const crossed = await appFor(dailyDocuments(8)).app.request('/atom.xml', {
      headers: { Accept: FIREFOX, ...NAVIGATION, 'If-None-Match': feed.headers.get('etag')! },
    });
    expect(crossed.status).toBe(200);
  });

  it('names every header the choice reads in Vary, on every kind of response', async () => {
    for (const path of ['/', '/topics.json', '/rss.xml', '/topic/cybersecurity/', '/opml.xml']) {
      expect((await request(path)).headers.get('vary'), path).toBe(VARY);
    }
  });

  it('shows the same sanitized content as the feed, with landmarks and headings', async () => {
    const html = await (await request('/topic/cybersecurity/rss.xml', FIREFOX)).text();
    const contents = [...html.matchAll(/<div class="content">([\s\S]*?)<\/div>\n/g)].map((m) => m[1] ?? '');
    expect(contents).toHaveLength(8);
    for (const content of contents) expect(findUnsafe(content)).toEqual([]);
    const document = parseHtmlFragment(html.replace(/^<!doctype html>/i, ''));
    const names: string[] = [];
    const walk = (node: { nodeName: string; childNodes?: unknown[] }) => {
      names.push(node.nodeName);
      for (const child of (node.childNodes ?? []) as { nodeName: string; childNodes?: unknown[] }[]) walk(child);
    };
    walk(document as never);
    for (const landmark of ['header', 'main', 'footer', 'h1', 'h2', 'h3']) expect(names).toContain(landmark);
    expect(html).toContain('<p>Body text.</p>');
  });
});
