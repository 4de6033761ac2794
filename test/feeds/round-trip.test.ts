import { afterEach, describe, expect, it, vi } from 'vitest';
import { FEED_RENDERERS } from '../../src/feeds/render.ts';
import { FEED_FORMATS } from '../../src/feeds/model.ts';
import type { FeedFormat } from '../../src/feeds/model.ts';
import { readAtom, readJsonFeed, readRss } from '../support/feed-extract.ts';
import type { ReadFeed } from '../support/feed-extract.ts';
import { expectedRead } from './expected.ts';
import { cyber, makeView, sampleDocuments } from './fixtures.ts';

const READERS: Record<FeedFormat, (s: string) => ReadFeed> = { rss: readRss, atom: readAtom, json: readJsonFeed };

describe.each(FEED_FORMATS)('%s', (format) => {
  const render = FEED_RENDERERS[format];
  const read = READERS[format];

  afterEach(() => {
    vi.useRealTimers();
  });

  it('round-trips the overall feed through a strict parser', () => {
    const view = makeView(sampleDocuments());
    expect(read(render(view))).toEqual(expectedRead(view, format));
  });

  it('round-trips a topic feed with topic title, home page and self URL', () => {
    const view = makeView(sampleDocuments(), { kind: 'topic', slug: cyber.slug });
    const feed = read(render(view));
    expect(feed).toEqual(expectedRead(view, format));
    expect(feed.title).toBe('Health Tech Topics: Cybersecurity');
    expect(feed.homeUrl).toBe('https://feeds.example.org/topic/cybersecurity/');
    expect(feed.selfUrl).toBe(`https://feeds.example.org/topic/cybersecurity/${format === 'json' ? 'feed.json' : `${format}.xml`}`);
    expect(feed.items.map((i) => i.id)).toEqual([
      'https://feeds.example.org/news/ia-hopital/',
      'https://feeds.example.org/news/bare/',
    ]);
  });

  it('renders an empty feed', () => {
    const view = makeView([], { kind: 'topic', slug: 'empty' }, undefined, { updatedMs: Date.parse('2020-01-01T00:00:00Z') });
    expect(read(render(view))).toEqual(expectedRead(view, format));
  });

  it('is deterministic: same view, same bytes, whatever the clock says', () => {
    const view = makeView(sampleDocuments());
    vi.useFakeTimers({ now: Date.parse('2001-01-01T00:00:00Z') });
    const first = render(view);
    vi.setSystemTime(Date.parse('2099-12-31T23:59:59Z'));
    const second = render(view);
    expect(second).toBe(first);
    expect(render(makeView(sampleDocuments()))).toBe(first);
  });

  it('takes the feed date from view.updatedMs only', () => {
    const updatedMs = Date.parse('2019-07-04T05:06:07.890Z');
    const view = makeView(sampleDocuments(), undefined, undefined, { updatedMs });
    const feed = read(render(view));
    if (format === 'rss') expect(feed.updatedMs).toBe(Date.parse('2019-07-04T05:06:07Z'));
    if (format === 'atom') expect(feed.updatedMs).toBe(updatedMs);
  });

  it('writes UTF-8 text without a BOM, ending with one newline', () => {
    const out = render(makeView(sampleDocuments()));
    expect(out.charCodeAt(0)).not.toBe(0xfeff);
    expect(out.endsWith('\n') && !out.endsWith('\n\n')).toBe(true);
    expect(out).toContain('Zürich');
  });
});
