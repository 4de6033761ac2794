import { describe, expect, it } from 'vitest';
import { JSON_FEED_VERSION, renderJsonFeed, toJsonFeed } from '../../src/feeds/json-feed.ts';
import { assertValidJsonFeed11 } from '../support/json-feed-schema.ts';
import { makeView, sampleDocuments } from './fixtures.ts';

describe('renderJsonFeed', () => {
  const view = makeView(sampleDocuments());
  const json = renderJsonFeed(view);
  const feed = JSON.parse(json) as Record<string, unknown> & { items: Record<string, unknown>[] };

  it('is valid JSON Feed 1.1 and equals the typed model', () => {
    assertValidJsonFeed11(feed);
    expect(feed['version']).toBe(JSON_FEED_VERSION);
    expect(feed).toEqual(JSON.parse(JSON.stringify(toJsonFeed(view))));
  });

  it('uses authors arrays only, never the 1.0 author key', () => {
    expect(feed['authors']).toEqual([{ name: 'Health Tech Topics', url: 'https://feeds.example.org/' }]);
    expect('author' in feed).toBe(false);
    for (const item of feed.items) expect('author' in item).toBe(false);
    expect(feed.items[0]?.['authors']).toEqual([{ name: 'Zoë Müller' }, { name: 'José Ñúñez' }]);
  });

  it('maps one document to one item, omitting absent optional fields', () => {
    expect(feed.items[0]).toMatchObject({
      id: 'https://feeds.example.org/news/ia-hopital/',
      url: 'https://feeds.example.org/news/ia-hopital/',
      external_url: 'https://publisher.example.com/articles/ia-h%C3%B4pital?ref=feed&x=1',
      title: 'L’IA à l’hôpital: Zürich & São Paulo façonnent la santé',
      summary: 'Résumé: déploiement <prudent> & mesuré.',
      image: 'https://feeds.example.org/media/ia.jpg',
      date_published: '2024-03-12T00:00:00.000Z',
      date_modified: '2024-03-12T09:30:15.250Z',
      // Topic labels then tags, deduplicated.
      tags: ['Cybersecurity', 'AI & Machine Learning', 'Dispositifs médicaux', 'Hospitals'],
    });
    expect(Object.keys(feed.items[1] ?? {})).toEqual(['id', 'url', 'title', 'content_html', 'date_published', 'date_modified', 'tags', '_topic_feeds']);
  });

  it('carries full topic records in the _topic_feeds extension', () => {
    expect(feed.items[1]?.['_topic_feeds']).toEqual({
      topics: [
        {
          slug: 'cybersecurity',
          name: 'Healthcare IT News: Cybersecurity',
          label: 'Cybersecurity',
          url: 'https://feeds.example.org/topic/cybersecurity/',
        },
      ],
    });
  });
});
