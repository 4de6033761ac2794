/**
 * The parse cache's line format (doc-cache.ts): every kind of head (local
 * image, remote image with measured facts, none; with and without revision,
 * problems, content, a fields file of its own, a record with no fields) comes
 * back as it was saved, topics as one shared object each.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSiteConfig } from '../../src/config/config.ts';
import type { DocumentFields } from '../../src/content/load.ts';
import type { CacheEntry } from '../../src/ingest/doc-cache.ts';
import { DocumentCache, cacheStamp } from '../../src/ingest/doc-cache.ts';
import { plainFields } from '../../src/ingest/cached-fields.ts';

const site = parseSiteConfig({ SITE_URL: 'https://feeds.example.org' });
const root = mkdtempSync(join(tmpdir(), 'topic-feeds-doc-cache-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const cyber = { slug: 'cyber', name: 'News: Cybersecurity', label: 'Cybersecurity' };
const labs = { slug: 'labs', name: 'News: Labs', label: 'Labs', description: 'Lab news, with "quotes"\tand a tab' };

function fields(file: string, changes: Partial<DocumentFields>): DocumentFields {
  return {
    id: `id-${file}`,
    slug: `slug-${file}`,
    file,
    title: `Title ${file}`,
    permalink: `https://feeds.example.org/news/${file}/`,
    publishedMs: 1692403200000,
    updatedMs: 1692951129715,
    lastMod: '2023-08-25T08:12:09.715277Z',
    authors: [],
    tags: [],
    topics: [cyber],
    related: [],
    aliases: [],
    ...changes,
  };
}

const entries: CacheEntry[] = [
  {
    file: 'a.md',
    stamp: { size: 10, mtimeMs: 1.5, hash: 'h1', checkedMs: 2 },
    record: { fields: fields('a.md', { revision: 'r1', image: { url: 'https://feeds.example.org/media/a.png', alt: 'A', mimeType: 'image/png', file: 'a.png' }, topics: [cyber, labs] }), bodyStart: 12, problems: [] },
  },
  {
    file: 'b.md',
    stamp: { size: 11, mtimeMs: 3, hash: 'h2' },
    record: {
      fields: fields('b.md', { image: { url: 'https://img.example/b.jpg', alt: '', mimeType: 'image/jpeg', width: 640, height: 480, bytes: 1234 }, topics: [labs] }),
      description: 'cut mid-wo',
      problems: [{ file: 'b.md', field: 'lastMod', reason: 'repaired it', action: 'repaired' }],
    },
    content: { contentHtml: '<p>Body</p>', summary: 'Body' } as CacheEntry['content'] & object,
  },
  { file: 'c.md', stamp: { size: 0, mtimeMs: 4, hash: 'h3', checkedMs: 5 }, record: { problems: [{ file: 'c.md', field: 'yaml', reason: 'not YAML', action: 'skipped' }] } },
  { file: 'd.md', stamp: { size: 7, mtimeMs: 6, hash: 'h4' }, record: { fields: fields('elsewhere/d.md', { topics: [] }), problems: [] } },
];

const plain = (entry: CacheEntry) => ({
  file: entry.file,
  stamp: entry.stamp,
  content: entry.content,
  problems: entry.record.problems,
  bodyStart: entry.record.bodyStart,
  description: entry.record.description,
  fields: entry.record.fields === undefined ? undefined : plainFields(entry.record.fields),
});

describe('parse cache format', () => {
  const cache = new DocumentCache(join(root, 'cache'), cacheStamp(site), join(root, 'content'));

  it('gives back every kind of entry as saved', async () => {
    await cache.save(entries);
    const loaded = cache.load();
    expect(loaded.status).toBe('loaded');
    expect([...loaded.entries.values()].map(plain)).toEqual(entries.map(plain));
    // One object per distinct topic across documents.
    const [a, b] = [loaded.entries.get('a.md')!, loaded.entries.get('b.md')!];
    expect(a.record.fields!.topics[1]).toBe(b.record.fields!.topics[0]);
  });

  it('discards a file whose head points past the topic table', async () => {
    await cache.save(entries);
    const text = readFileSync(cache.path, 'utf8');
    // A consistent file (checksum recomputed) with a topic index that does not exist.
    const lines = text.split('\n');
    lines[1] = lines[1]!.replace('[0,1]]', '[0,7]]');
    expect(lines[1]).toContain('[0,7]]');
    const body = `${lines.slice(0, -2).join('\n')}\n`;
    const { createHash } = await import('node:crypto');
    writeFileSync(cache.path, `${body}${JSON.stringify({ end: true, count: entries.length, sha256: createHash('sha256').update(body).digest('hex') })}\n`);
    const loaded = cache.load();
    expect(loaded.status).toBe('corrupt');
    expect(loaded.detail).toContain('bad entry');
  });
});
