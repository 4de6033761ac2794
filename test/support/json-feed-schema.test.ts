import { describe, expect, it } from 'vitest';
import { jsonFeed11Problems } from './json-feed-schema.ts';

const valid = {
  version: 'https://jsonfeed.org/version/1.1',
  title: 'T',
  home_page_url: 'https://x.org/',
  authors: [{ name: 'A' }],
  hubs: [{ type: 'WebSub', url: 'https://hub.example/' }],
  items: [{ id: 'https://x.org/1', content_html: '<p>x</p>', date_published: '2024-01-01T00:00:00Z', _ext: { any: 1 } }],
};

describe('JSON Feed 1.1 schema', () => {
  it('accepts a minimal valid feed', () => {
    expect(jsonFeed11Problems(valid)).toEqual([]);
  });

  it.each([
    ['a 1.0 version', { ...valid, version: 'https://jsonfeed.org/version/1' }, '/version'],
    ['no title', { ...valid, title: undefined }, "must have required property 'title'"],
    ['an item without content', { ...valid, items: [{ id: 'a' }] }, '/items/0'],
    ['a numeric id', { ...valid, items: [{ id: 1, content_text: 'x' }] }, '/items/0/id'],
    ['a relative URL', { ...valid, home_page_url: '/home' }, '/home_page_url'],
    ['a date without zone', { ...valid, items: [{ id: 'a', content_text: 'x', date_modified: '2024-01-01T00:00:00' }] }, '/items/0/date_modified'],
    ['an empty author', { ...valid, authors: [{}] }, '/authors/0'],
    ['a typo key', { ...valid, items: [{ id: 'a', content_text: 'x', date_publish: 'x' }] }, 'additional properties'],
    ['a singular author', { ...valid, author: { name: 'A' } }, '/author is the JSON Feed 1.0 key'],
    ['an item author', { ...valid, items: [{ id: 'a', content_text: 'x', author: { name: 'A' } }] }, '/items/0/author'],
    ['duplicate ids', { ...valid, items: [{ id: 'a', content_text: 'x' }, { id: 'a', content_text: 'y' }] }, 'not unique'],
    ['a hub without type', { ...valid, hubs: [{ url: 'https://h/' }] }, '/hubs/0'],
  ])('rejects %s', (_what, feed, expected) => {
    const problems = jsonFeed11Problems(JSON.parse(JSON.stringify(feed)));
    expect(problems.some((p) => p.includes(expected)), problems.join('; ')).toBe(true);
  });
});
