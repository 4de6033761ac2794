/**
 * A server start that had to read cached files again (same bytes, new
 * mtimes: a copy, a checkout, a `touch`) saves the parse cache, so the next
 * start proves them by stat instead of reading them all once more.
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer, waitFor } from '../support/server-process.ts';
import type { RunningServer } from '../support/server-process.ts';
import { writeCorpus } from '../support/corpus.ts';

const root = mkdtempSync(join(tmpdir(), 'topic-feeds-reread-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('server start after files were touched', () => {
  it('reads them again once, saves the cache, and the next start reads none', async () => {
    const content = join(root, 'content');
    mkdirSync(content, { recursive: true });
    const documents = writeCorpus(content, 12);
    const env = { CACHE_DIR: join(root, 'cache'), STATE_DIR: join(root, 'state'), STARTUP_REPORT: 'true', WATCH: 'false' };
    const loadedLine = (server: RunningServer) => server.lines(/^loaded \d+ documents/)[0] ?? '';
    /** Started, and stopped only once its cache save (if any) is done: the next start must find it. */
    const run = async (expectSave: boolean): Promise<string> => {
      const server = await startServer({ contentDir: content, env });
      try {
        if (expectSave) await waitFor('the cache saved', async () => (server.lines(/^\{"event":"cacheSaved"/).length > 0 ? true : undefined), 60_000);
        return loadedLine(server);
      } finally {
        await server.stop();
      }
    };
    // The first start parses everything and saves.
    expect(await run(true)).toMatch(/12 parsed/);
    // Same bytes, mtimes an hour old: no stamp in the cache matches a stat.
    const hourAgo = new Date(Date.now() - 3600_000);
    for (const document of documents) utimesSync(join(content, document.relativePath), hourAgo, hourAgo);
    const second = await run(true);
    expect(second).toMatch(/0 parsed, 12 from cache \(loaded; 12 read again, a stat could not prove them\)/);
    // Saved with their new stamps: proven by stat now.
    const third = await run(false);
    expect(third).toMatch(/0 parsed, 12 from cache \(loaded\)/);
  }, 180_000);
});
