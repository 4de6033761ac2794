import { parseOpml } from 'feedsmith';
import { describe, expect, it } from 'vitest';
import { parseXmlStrict } from '../support/xml.ts';
import { appFor, dailyDocuments } from '../support/feature-app.ts';

async function opml(path: string) {
  const res = await appFor(dailyDocuments(12)).app.request(path);
  return { res, body: await res.text() };
}

describe('GET /opml.xml', () => {
  it('lists every topic feed as an OPML 2.0 outline a reader can import', async () => {
    const { res, body } = await opml('/opml.xml');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/x-opml; charset=utf-8');
    expect(res.headers.get('etag')).toBeTruthy();
    parseXmlStrict(body);
    const parsed = parseOpml(body);
    expect(parsed.head?.title).toBe('Health Tech Topics: all topics');
    expect(parsed.body?.outlines).toEqual([
      {
        text: 'Artificial Intelligence',
        title: 'Artificial Intelligence',
        description: 'Healthcare IT News: Artificial Intelligence',
        type: 'rss',
        xmlUrl: 'https://feeds.example.org/topic/artificial-intelligence/rss.xml',
        htmlUrl: 'https://feeds.example.org/topic/artificial-intelligence/',
      },
      expect.objectContaining({ text: 'Cybersecurity', xmlUrl: 'https://feeds.example.org/topic/cybersecurity/rss.xml' }),
      expect.objectContaining({ text: 'Vaccines', xmlUrl: 'https://feeds.example.org/topic/vaccines/rss.xml' }),
    ]);
    expect(parseXmlStrict(body).attrs['version']).toBe('2.0');
  });

  it.each([
    ['atom', 'atom.xml'],
    ['json', 'feed.json'],
  ])('?format=%s switches the feed URL of each outline', async (format, file) => {
    const parsed = parseOpml((await opml(`/opml.xml?format=${format}`)).body);
    expect(parsed.body?.outlines?.map((o) => o.xmlUrl)).toEqual([
      `https://feeds.example.org/topic/artificial-intelligence/${file}`,
      `https://feeds.example.org/topic/cybersecurity/${file}`,
      `https://feeds.example.org/topic/vaccines/${file}`,
    ]);
    expect(parsed.body?.outlines?.every((o) => o.type === 'rss')).toBe(true);
  });

  it('?topics= limits the list to a subset', async () => {
    const parsed = parseOpml((await opml('/opml.xml?topics=vaccines,cybersecurity')).body);
    expect(parsed.body?.outlines?.map((o) => o.text)).toEqual(['Cybersecurity', 'Vaccines']);
  });

  it('answers unknown topics with 404 and bad parameters with 400', async () => {
    expect((await opml('/opml.xml?topics=nope')).res.status).toBe(404);
    expect((await opml('/opml.xml?format=pdf')).res.status).toBe(400);
    expect((await opml('/opml.xml?topics=Bad%20Slug')).res.status).toBe(400);
    expect((await opml('/opml.xml?format=rss&format=atom')).res.status).toBe(400);
  });

  it('is linked from the HTML index as "subscribe to all"', async () => {
    const { body } = await opml('/');
    expect(body).toContain('href="https://feeds.example.org/opml.xml">Subscribe to all topics (OPML)</a>');
  });
});
