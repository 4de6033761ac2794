import { describe, expect, it } from 'vitest';
import { CONTENT_TYPES, FEED_RENDERERS, renderAtom, renderJsonFeed, renderRss } from '../../src/feeds/render.ts';
import { FEED_FORMATS } from '../../src/feeds/model.ts';

describe('feed format registry', () => {
  it('has one renderer and one content type per format', () => {
    expect(Object.keys(FEED_RENDERERS).sort()).toEqual([...FEED_FORMATS].sort());
    expect(FEED_RENDERERS).toEqual({ rss: renderRss, atom: renderAtom, json: renderJsonFeed });
    expect(CONTENT_TYPES).toEqual({
      rss: 'application/rss+xml; charset=utf-8',
      atom: 'application/atom+xml; charset=utf-8',
      json: 'application/feed+json; charset=utf-8',
    });
  });
});
