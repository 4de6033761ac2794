import { describe, expect, it } from 'vitest';
import { renderRss } from '../../src/feeds/rss.ts';
import { parseWithFeedParser } from '../support/feed-parser.ts';
import { NS } from '../support/feed-extract.ts';
import type { XmlNode } from '../support/xml.ts';
import { childrenNamed, elementChildren, onlyChild, parseXmlStrict } from '../support/xml.ts';
import { makeView, sampleDocuments } from './fixtures.ts';

function allElements(node: XmlNode): XmlNode[] {
  return [node, ...elementChildren(node).flatMap(allElements)];
}

describe('renderRss', () => {
  const view = makeView(sampleDocuments());
  const xml = renderRss(view);
  const rss = parseXmlStrict(xml);
  const channel = onlyChild(rss, '', 'channel');
  const items = childrenNamed(channel, '', 'item');

  it('declares RSS 2.0 and exactly the atom, dc, content and media namespaces', () => {
    expect(rss.attrs).toEqual({
      version: '2.0',
      'xmlns:atom': NS.atom,
      'xmlns:dc': NS.dc,
      'xmlns:content': NS.content,
      'xmlns:media': NS.media,
    });
  });

  it('has the channel elements feed validators look for', () => {
    const names = elementChildren(channel).filter((n) => n.local !== 'item').map((n) => n.qname);
    expect(names).toEqual(['title', 'link', 'description', 'atom:link', 'language', 'lastBuildDate', 'generator', 'docs']);
    expect(onlyChild(channel, NS.atom, 'link').attrs).toEqual({
      href: 'https://feeds.example.org/rss.xml',
      rel: 'self',
      type: 'application/rss+xml',
    });
  });

  it('never emits <author> (it must be an e-mail) nor CDATA', () => {
    expect(allElements(rss).filter((n) => n.local === 'author')).toEqual([]);
    expect(xml).not.toContain('CDATA');
  });

  it('gives every item a permalink guid, and images an enclosure (measured length, else 0) plus media:content', () => {
    for (const item of items) expect(onlyChild(item, '', 'guid').attrs).toEqual({ isPermaLink: 'true' });
    const [withImage, bare, noAlt] = items;
    expect(onlyChild(withImage as XmlNode, '', 'enclosure').attrs).toEqual({
      url: 'https://feeds.example.org/media/ia.jpg',
      length: '48213',
      type: 'image/jpeg',
    });
    expect(onlyChild(withImage as XmlNode, NS.media, 'content').attrs).toEqual({
      url: 'https://feeds.example.org/media/ia.jpg',
      type: 'image/jpeg',
      medium: 'image',
      fileSize: '48213',
      width: '640',
      height: '360',
    });
    // An image that was not measured (a CDN's): length 0, the RSS Profile's "unknown", and no size.
    expect(onlyChild(noAlt as XmlNode, '', 'enclosure').attrs.length).toBe('0');
    expect(onlyChild(noAlt as XmlNode, NS.media, 'content').attrs).toEqual({ url: 'https://feeds.example.org/media/recall.png', type: 'image/png', medium: 'image' });
    expect(elementChildren(bare as XmlNode).map((n) => n.qname)).toEqual(['title', 'link', 'guid', 'pubDate', 'category', 'description', 'content:encoded']);
    expect(childrenNamed(onlyChild(noAlt as XmlNode, NS.media, 'content'), NS.media, 'description')).toEqual([]);
  });

  it('reads back as expected in @rowanmanning/feed-parser', () => {
    const feed = parseWithFeedParser(xml);
    expect(feed).toMatchObject({
      meta: { type: 'rss', version: '2.0' },
      title: 'Health Tech Topics',
      url: 'https://feeds.example.org/',
      self: 'https://feeds.example.org/rss.xml',
      language: 'en',
      updated: '2024-03-12T09:30:15.000Z',
      generator: { label: 'topic-feeds' },
    });
    expect(feed.items).toHaveLength(3);
    expect(feed.items[0]).toMatchObject({
      id: 'https://feeds.example.org/news/ia-hopital/',
      title: 'L’IA à l’hôpital: Zürich & São Paulo façonnent la santé',
      description: 'Résumé: déploiement <prudent> & mesuré.',
      url: 'https://publisher.example.com/articles/ia-h%C3%B4pital?ref=feed&x=1',
      published: '2024-03-12T00:00:00.000Z',
      // feed-parser decodes entities once more, as many readers do.
      content: '<p>Déjà <em>vu</em> & <a href="https://example.org/a?b=1&c=2">lien</a></p>',
      image: { url: 'https://feeds.example.org/media/ia.jpg' },
      media: [{ url: 'https://feeds.example.org/media/ia.jpg', type: 'image', mimeType: 'image/jpeg', length: 48213 }],
      authors: [{ name: 'Zoë Müller' }, { name: 'José Ñúñez' }],
      categories: [
        { term: 'Healthcare IT News: Cybersecurity', url: 'https://feeds.example.org/topic/cybersecurity/' },
        { term: 'Healthcare IT News: AI & Machine Learning', url: 'https://feeds.example.org/topic/ai-machine-learning/' },
        { term: 'U.S. FDA: Dispositifs médicaux', url: 'https://feeds.example.org/topic/fda-devices/' },
      ],
    });
    expect(feed.items[1]).toMatchObject({
      id: 'https://feeds.example.org/news/bare/',
      // No external URL: the link falls back to our permalink.
      url: 'https://feeds.example.org/news/bare/',
      // No summary: the description is an excerpt of the content.
      description: 'Only a body.',
      content: '<p>Only a body.</p>',
      image: null,
      media: [],
      authors: [],
    });
    expect(feed.items[2]).toMatchObject({ url: 'https://publisher.example.com/articles/devices', authors: [{ name: 'Ada Example' }] });
  });
});
