/**
 * Parse threads have a capped heap; a batch that outgrows it is redone on the
 * calling thread with the same result.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ResourceLimits } from 'node:worker_threads';
import type { SiteConfig } from '../../src/config/config.ts';
import { parseSiteConfig } from '../../src/config/config.ts';
import type { DocumentContent } from '../../src/content/load.ts';
import type { BodyTask } from '../../src/ingest/parse-tasks.ts';
import { createRunner, inlineRunner } from '../../src/ingest/parse-pool.ts';

const site = parseSiteConfig({ SITE_URL: 'https://feeds.example.org' });
/** Documents up to 64 MiB, for batches bigger than a small thread heap. */
const bigSite = parseSiteConfig({ SITE_URL: 'https://feeds.example.org', MAX_DOCUMENT_BYTES: String(64 * 1024 * 1024) });
const SMALL_HEAP = { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 4 };
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'topic-feeds-pool-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Files of front matter and an HTML body of about `bytes`, tag-dense (the costly kind to sanitize). */
function bodyTasks(count: number, bytes: number): BodyTask[] {
  return Array.from({ length: count }, (_, i) => {
    const head = `---\ntitle: Big ${i}\n---\n`;
    const unit = `<p>Item ${i} <b>bold</b> <a href="https://example.org/${i}">link</a> <script>x()</script></p>\n`;
    const path = join(dir, `big-${count}-${bytes}-${i}.md`);
    writeFileSync(path, head + unit.repeat(Math.floor(bytes / unit.length)));
    return { file: `big-${i}.md`, path, fields: { permalink: `https://feeds.example.org/items/big-${i}/`, related: [], revision: undefined }, bodyStart: Buffer.byteLength(head) };
  });
}

/** Sanitizes `tasks` on a fresh pool of two threads with `limits`; the content and what was warned. */
async function sanitizeOnThreads(tasks: readonly BodyTask[], forSite: SiteConfig, limits?: ResourceLimits): Promise<{ results: (DocumentContent | undefined)[]; warnings: string[] }> {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  const pool = createRunner(forSite, tasks.length, 2, 1, limits);
  try {
    const { results } = await pool.bodies(tasks);
    return { results, warnings: warn.mock.calls.map((call) => String(call[0])) };
  } finally {
    warn.mockRestore();
    await pool.close();
  }
}

describe('parse thread heap', () => {
  it('a batch that outgrows a thread’s heap is redone on the calling thread: same content, and a warning', async () => {
    // Room to start (the next test's small batch passes with the same limits), not for this batch.
    const tasks = bodyTasks(3, 8 * 1024 * 1024);
    const { results, warnings } = await sanitizeOnThreads(tasks, bigSite, SMALL_HEAP);
    expect(results).toEqual((await inlineRunner(bigSite).bodies(tasks)).results);
    expect(results.every((content) => content !== undefined && content.contentHtml.length > 1_000_000)).toBe(true);
    expect(warnings).toEqual([expect.stringContaining('ran out of heap')]);
  }, 60_000);

  it('with the same small heap, a thread starts and sanitizes a small batch itself (no warning)', async () => {
    const { results, warnings } = await sanitizeOnThreads(bodyTasks(3, 16 * 1024), bigSite, SMALL_HEAP);
    expect(results.every((content) => content !== undefined)).toBe(true);
    expect(warnings).toEqual([]);
  }, 60_000);

  it('closing the threads under a batch fails that batch instead of redoing it on the calling thread', async () => {
    const tasks = bodyTasks(6, 512 * 1024);
    const pool = createRunner(site, tasks.length, 2, 1);
    const failed = expect(pool.bodies(tasks)).rejects.toThrow('parse threads closed');
    await pool.close();
    await failed;
  }, 60_000);

  it('the default heap sanitizes documents at the default size cap (2 MiB) on the thread', async () => {
    const { results, warnings } = await sanitizeOnThreads(bodyTasks(2, site.maxDocumentBytes - 4096), site);
    expect(results.every((content) => content !== undefined && content.contentHtml.includes('Item 1') !== content.contentHtml.includes('Item 0'))).toBe(true);
    expect(warnings).toEqual([]);
  }, 60_000);
});
