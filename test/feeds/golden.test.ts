/**
 * Golden files: one small fixed input (golden/small-view.json) and the reviewed
 * output for each format. The test compares the bytes AND parses the golden
 * itself, so a golden can never drift into an invalid feed. After an intended
 * change: `UPDATE_GOLDEN=1 npx vitest run test/feeds/golden.test.ts`, then read the diff.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FEED_RENDERERS } from '../../src/feeds/render.ts';
import type { FeedFormat, FeedView } from '../../src/feeds/model.ts';
import { parseWithFeedParser } from '../support/feed-parser.ts';
import { readAtom, readJsonFeed, readRss } from '../support/feed-extract.ts';
import type { ReadFeed } from '../support/feed-extract.ts';
import { expectedRead } from './expected.ts';

const view = JSON.parse(readFileSync(new URL('./golden/small-view.json', import.meta.url), 'utf8')) as FeedView;

const GOLDEN: Record<FeedFormat, { file: string; read: (s: string) => ReadFeed }> = {
  rss: { file: 'small.rss.xml', read: readRss },
  atom: { file: 'small.atom.xml', read: readAtom },
  json: { file: 'small.feed.json', read: readJsonFeed },
};

describe.each(Object.entries(GOLDEN))('golden %s', (format, { file, read }) => {
  it('matches the reviewed file byte for byte, and the file is a valid feed carrying the input', () => {
    const f = format as FeedFormat;
    const path = new URL(`./golden/${file}`, import.meta.url);
    const rendered = FEED_RENDERERS[f](view);
    if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(path, rendered);
    const golden = readFileSync(path, 'utf8');
    expect(rendered).toBe(golden);
    expect(read(golden)).toEqual(expectedRead(view, f));
    if (f !== 'json') expect(parseWithFeedParser(golden).items).toHaveLength(2);
  });
});
