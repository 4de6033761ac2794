import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DocumentCache, cacheStamp, sourcesShapingRecords } from '../../src/ingest/doc-cache.ts';
import type { SourceReader } from '../../src/ingest/doc-cache.ts';
import { makeSite } from '../support/factories.ts';

const read: SourceReader = (file) => readFileSync(file, 'utf8');
/** The same sources, except one file whose code was "fixed". */
const editing =
  (suffix: string): SourceReader =>
  (file) =>
    file.pathname.endsWith(suffix) ? `${read(file)}\n// a fix\n` : read(file);

describe('the parsed-document cache stamp', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cache-stamp-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('covers every file that shapes a cached record, found from the ingest folder', () => {
    const files = sourcesShapingRecords().map((url) => url.pathname.split('/src/')[1]);
    for (const file of ['ingest/parse-tasks.ts', 'ingest/parse-worker.ts', 'content/fast-front-matter.ts', 'content/front-matter.ts', 'content/normalize.ts', 'content/sanitize.ts', 'config/config.ts']) {
      expect(files).toContain(file);
    }
  });

  it.each(['content/fast-front-matter.ts', 'ingest/parse-tasks.ts', 'content/normalize.ts'])('changes when %s changes', (file) => {
    const site = makeSite();
    expect(cacheStamp(site, read)).toBe(cacheStamp(site, read));
    expect(cacheStamp(site, editing(file))).not.toBe(cacheStamp(site, read));
  });

  it('discards a cache written by other fast-parser code', async () => {
    const site = makeSite();
    const content = join(dir, 'content');
    await new DocumentCache(dir, cacheStamp(site, read), content).save([]);
    expect(new DocumentCache(dir, cacheStamp(site, read), content).load().status).toBe('loaded');
    await new DocumentCache(dir, cacheStamp(site, read), content).save([]);
    const afterFix = new DocumentCache(dir, cacheStamp(site, editing('content/fast-front-matter.ts')), content).load();
    expect(afterFix.status).toBe('stale');
    expect(afterFix.entries.size).toBe(0);
  });
});
