/**
 * Records read back from the parse cache: the head (identity, dates, image,
 * topics) at once, the rest on first read, equal to the parsed record either
 * way, and written back byte for byte when nobody read it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseSiteConfig } from '../../src/config/config.ts';
import type { DocumentFields } from '../../src/content/load.ts';
import { LazyFields, CachedRecord, headOf, plainFields, withFields } from '../../src/ingest/cached-fields.ts';
import { ContentStore } from '../../src/ingest/content-store.ts';
import { DocumentCache, cacheStamp } from '../../src/ingest/doc-cache.ts';
import { LazyDocument } from '../../src/ingest/lazy-document.ts';
import { writeCorpus } from '../support/corpus.ts';

const site = parseSiteConfig({ SITE_URL: 'https://feeds.example.org', FEED_LIMIT: '4' });
const encoder = new TextEncoder();

const fields: DocumentFields = {
  id: '100819',
  slug: 'hospitals-pause',
  file: '0000/a.md',
  title: 'Hospitals Pause Data Exchange',
  permalink: 'https://feeds.example.org/news/hospitals-pause/',
  externalUrl: 'https://news.example/a',
  publisher: 'news.example',
  publishedMs: 1692403200000,
  updatedMs: 1692951129715,
  lastMod: '2023-08-25T08:12:09.715277Z',
  image: { url: 'https://feeds.example.org/media/0000/a.png', alt: 'x', mimeType: 'image/png', file: '0000/a.png' },
  authors: ['Søren Kjær'],
  tags: ['News'],
  topics: [{ slug: 'cyber', name: 'Healthcare IT News: Cybersecurity', label: 'Cybersecurity' }],
  related: [{ label: 'Bluefin', url: 'https://feeds.example.org/offering/bluefin' }],
  aliases: ['/news/old'],
  revision: '26tdkgc87yr',
};

function cached(detailText: string): LazyFields {
  const bytes = encoder.encode(`xx${detailText}yy`);
  return new LazyFields(headOf(fields), { bytes, start: 2, end: bytes.length - 2 });
}

describe('LazyFields', () => {
  it('reads the head without touching the detail, and parses the detail on first read', () => {
    const broken = cached('{not json');
    expect(broken.id).toBe('100819');
    expect(broken.topics[0]?.slug).toBe('cyber');
    expect(broken.image?.file).toBe('0000/a.png');
    expect(() => broken.title).toThrow();
    const good = cached(JSON.stringify({ title: fields.title, permalink: fields.permalink, externalUrl: fields.externalUrl, publisher: fields.publisher, authors: fields.authors, tags: fields.tags, related: fields.related, aliases: fields.aliases, description: 'Cut mid-wo' }));
    expect(plainFields(good)).toEqual(fields);
    expect(new CachedRecord(good, 12, []).description).toBe('Cut mid-wo');
  });

  it('keeps its detail through a change of the head, and serializes whole', () => {
    const good = cached(JSON.stringify({ title: fields.title, permalink: fields.permalink, externalUrl: fields.externalUrl, publisher: fields.publisher, authors: fields.authors, tags: fields.tags, related: fields.related, aliases: fields.aliases }));
    const moved = withFields(good, { publishedMs: 1, image: undefined });
    expect(moved).toBeInstanceOf(LazyFields);
    const { image: _image, ...rest } = fields;
    expect(plainFields(moved)).toEqual({ ...rest, publishedMs: 1 });
    expect(JSON.parse(JSON.stringify(good))).toEqual(fields);
    // A LazyDocument over cached fields is the document the plain fields make.
    const content = () => ({ contentHtml: '<p>x</p>' as never });
    expect(JSON.stringify(new LazyDocument(good, content))).toBe(JSON.stringify(new LazyDocument(fields, content)));
  });
});

describe('the parse cache, read back', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'topic-feeds-cached-'));
    writeCorpus(join(root, 'content'), 12);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('gives cached records and, saved again unread, the same bytes', async () => {
    const open = () => ContentStore.open({ site, contentDir: join(root, 'content'), cacheDir: join(root, 'cache'), threads: 0 });
    const first = await open();
    await first.store.saveCache(new Set());
    const path = new DocumentCache(join(root, 'cache'), cacheStamp(site), join(root, 'content')).path;
    const written = readFileSync(path);
    const second = await open();
    expect(second.report.fromCache).toBe(12);
    const records = second.store.cacheEntries().map((entry) => entry.record);
    expect(records.every((record) => record.fields instanceof LazyFields)).toBe(true);
    await second.store.saveCache(new Set());
    // The details come back byte for byte (the heads' stamps may carry a later check time).
    const details = (bytes: Buffer) => bytes.toString('utf8').split('\n').map((line) => line.split('\t')[1]).filter((detail) => detail !== undefined);
    expect(details(written)).toHaveLength(12);
    expect(details(readFileSync(path))).toEqual(details(written));
    // Every field of every record, read now, is what the parse gave.
    const parsed = first.store.cacheEntries().map((entry) => ({ fields: plainFields(entry.record.fields!), description: entry.record.description }));
    expect(records.map((record) => ({ fields: plainFields(record.fields!), description: record.description }))).toEqual(parsed);
  });
});
