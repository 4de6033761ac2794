import { describe, expect, it } from 'vitest';
import { renderAtom } from '../../src/feeds/atom.ts';
import { parseWithFeedParser } from '../support/feed-parser.ts';
import { NS } from '../support/feed-extract.ts';
import type { XmlNode } from '../support/xml.ts';
import { childrenNamed, elementChildren, onlyChild, parseXmlStrict, textOf } from '../support/xml.ts';
import { cyber, makeView, sampleDocuments } from './fixtures.ts';

describe('renderAtom', () => {
  const view = makeView(sampleDocuments());
  const xml = renderAtom(view);
  const feed = parseXmlStrict(xml);
  const entries = childrenNamed(feed, NS.atom, 'entry');

  it('has the RFC 4287 feed metadata, with a feed author for entries that have none', () => {
    expect(feed.uri).toBe(NS.atom);
    expect(textOf(onlyChild(feed, NS.atom, 'id'))).toBe('https://feeds.example.org/atom.xml');
    expect(childrenNamed(feed, NS.atom, 'link').map((l) => l.attrs)).toEqual([
      { rel: 'self', type: 'application/atom+xml', href: 'https://feeds.example.org/atom.xml' },
      { rel: 'alternate', type: 'text/html', href: 'https://feeds.example.org/' },
    ]);
    const author = onlyChild(feed, NS.atom, 'author');
    expect(textOf(onlyChild(author, NS.atom, 'name'))).toBe('Health Tech Topics');
  });

  it('gives entries text titles, html content, slug terms and typed links', () => {
    const first = entries[0] as XmlNode;
    expect(onlyChild(first, NS.atom, 'title').attrs).toEqual({ type: 'text' });
    expect(onlyChild(first, NS.atom, 'content').attrs).toEqual({ type: 'html' });
    expect(childrenNamed(first, NS.atom, 'category')[0]?.attrs).toEqual({
      term: cyber.slug,
      scheme: 'https://feeds.example.org/topic/',
      label: cyber.name,
    });
    expect(childrenNamed(first, NS.atom, 'link').map((l) => l.attrs['rel'])).toEqual(['alternate', 'related', 'enclosure']);
    const bare = entries[1] as XmlNode;
    expect(elementChildren(bare).map((n) => n.local)).toEqual(['id', 'title', 'link', 'published', 'updated', 'category', 'content']);
  });

  it('reads back as expected in @rowanmanning/feed-parser', () => {
    const parsed = parseWithFeedParser(xml);
    expect(parsed).toMatchObject({
      meta: { type: 'atom' },
      title: 'Health Tech Topics',
      description: 'Curated health-tech news: one feed per topic, and one for everything.',
      url: 'https://feeds.example.org/',
      self: 'https://feeds.example.org/atom.xml',
      updated: '2024-03-12T09:30:15.250Z',
      language: 'en',
      generator: { label: 'topic-feeds' },
      authors: [{ name: 'Health Tech Topics', url: 'https://feeds.example.org/' }],
    });
    expect(parsed.items[0]).toMatchObject({
      id: 'https://feeds.example.org/news/ia-hopital/',
      title: 'L’IA à l’hôpital: Zürich & São Paulo façonnent la santé',
      description: 'Résumé: déploiement <prudent> & mesuré.',
      url: 'https://feeds.example.org/news/ia-hopital/',
      published: '2024-03-12T00:00:00.000Z',
      updated: '2024-03-12T09:30:15.250Z',
      content: '<p>Déjà <em>vu</em> & <a href="https://example.org/a?b=1&c=2">lien</a></p>',
      image: { url: 'https://feeds.example.org/media/ia.jpg', title: 'Robot “assistant” in a ward' },
      authors: [{ name: 'Zoë Müller' }, { name: 'José Ñúñez' }],
      categories: [
        { term: 'cybersecurity', label: 'Healthcare IT News: Cybersecurity', url: 'https://feeds.example.org/topic/' },
        { term: 'ai-machine-learning', label: 'Healthcare IT News: AI & Machine Learning' },
        { term: 'fda-devices', label: 'U.S. FDA: Dispositifs médicaux' },
      ],
    });
    expect(parsed.items[1]).toMatchObject({
      id: 'https://feeds.example.org/news/bare/',
      description: null,
      image: null,
      // Inherited from the feed-level author.
      authors: [{ name: 'Health Tech Topics' }],
      updated: '2024-03-11T08:00:00.000Z',
    });
  });
});
