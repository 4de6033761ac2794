/**
 * Start-up on the real server with a generated corpus large enough that the
 * load takes seconds: the port answers before the content is loaded (503,
 * Retry-After, no-store; /healthz says "loading"), and edits made while it
 * loads (saved by rename, by a vim-like editor, added in a new folder,
 * deleted, moved between folders) are all served once it is ready. Then the
 * same kinds of saves while it runs, with editors' temp files
 * (`.swp`, `4913`, `~` backups, `.tmp` renamed over) never becoming documents
 * or problems.
 */
import { mkdirSync, mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCorpus } from '../support/corpus.ts';
import type { RunningServer } from '../support/server-process.ts';
import { startServer, waitFor } from '../support/server-process.ts';
import { documentSource, goodFields } from '../support/source-text.ts';

/** Large enough that listing, parsing and indexing take seconds after the port opens. */
const CORPUS = 10_000;
const TOPIC_FEED = '/topic/example-wire-safety/feed.json';

function docText(n: number, title = `Watched document ${n}`): string {
  return documentSource(goodFields(n, { slug: `watched-${n}`, title }), `<p>Body of ${n}.</p>`);
}

/** A deploy tool's or IDE's save: a temporary file, then a rename over the document. */
function saveByRename(path: string, text: string): void {
  const temp = join(dirname(path), `${basename(path)}.${process.pid}.tmp`);
  writeFileSync(temp, text);
  renameSync(temp, path);
}

/** vim's save with `backupcopy=no`: swap file, the `4913` probe, original renamed to `~`, new file written, backup removed. */
function saveLikeVim(path: string, text: string): void {
  const dir = dirname(path);
  const swap = join(dir, `.${basename(path)}.swp`);
  writeFileSync(swap, 'vim swap');
  writeFileSync(join(dir, '4913'), '');
  unlinkSync(join(dir, '4913'));
  renameSync(path, `${path}~`);
  writeFileSync(path, text);
  unlinkSync(`${path}~`);
  unlinkSync(swap);
}

describe('start-up of the real server', () => {
  let root: string;
  let server: RunningServer;
  let problemsAtStart = -1;
  const mine = (name: string): string => join(root, 'mine', name);

  async function titles(): Promise<string[]> {
    const response = await fetch(`${server.origin}${TOPIC_FEED}`);
    if (response.status !== 200) return [];
    return ((await response.json()) as { items: { title: string }[] }).items.map((item) => item.title).sort();
  }

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'topic-feeds-startup-'));
    writeCorpus(root, CORPUS);
    mkdirSync(join(root, 'mine'));
    for (let n = 1; n <= 6; n += 1) writeFileSync(mine(`doc-${n}.md`), docText(n));
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('answers 503 while loading, then serves every edit made during start-up', async () => {
    server = await startServer({ contentDir: root, until: 'listening', startTimeoutMs: 170_000 });
    // The port is open before the content is loaded (the corpus takes seconds; nothing here waits for it).
    const health = await fetch(`${server.origin}/healthz`);
    const feed = await fetch(`${server.origin}/rss.xml`);
    const page = await fetch(`${server.origin}/topic/example-wire-safety/`);
    expect(server.output(), 'precondition: the corpus is still loading').not.toMatch(/^loaded /m);
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ status: 'loading' });
    for (const response of [health, feed, page]) {
      expect(response.status).toBe(503);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('etag')).toBeNull();
    }
    await feed.arrayBuffer();
    await page.arrayBuffer();

    // Edits while it loads.
    saveByRename(mine('doc-1.md'), docText(1, 'Saved by rename during start-up'));
    saveLikeVim(mine('doc-2.md'), docText(2, 'Saved by vim during start-up'));
    mkdirSync(join(root, 'later'));
    saveByRename(join(root, 'later', 'doc-7.md'), docText(7, 'Added during start-up'));
    unlinkSync(mine('doc-3.md'));
    mkdirSync(join(root, 'moved'));
    renameSync(mine('doc-4.md'), join(root, 'moved', 'doc-4.md'));

    await waitFor('ready', async () => (/^ready: /m.test(server.output()) ? true : undefined), 170_000);
    const expected = ['Added during start-up', 'Saved by rename during start-up', 'Saved by vim during start-up', 'Watched document 4', 'Watched document 5', 'Watched document 6'];
    await waitFor('the start-up edits', async () => (JSON.stringify(await titles()) === JSON.stringify(expected) ? true : undefined));
    const after = (await (await fetch(`${server.origin}/healthz`)).json()) as { status: string; documents: number; problems: number };
    expect(after).toMatchObject({ status: 'ok', documents: CORPUS + 6 });
    problemsAtStart = after.problems;
  }, 180_000);

  it('serves saves by rename, by vim and by a .tmp rename, deletes and moves between folders while running; temp files never count', async () => {
    saveLikeVim(mine('doc-5.md'), docText(5, 'Saved by vim while running'));
    saveByRename(mine('doc-6.md'), docText(6, 'Saved by rename while running'));
    renameSync(join(root, 'moved', 'doc-4.md'), join(root, 'later', 'doc-4.md'));
    writeFileSync(mine('notes.md~'), 'an editor backup');
    writeFileSync(mine('.doc-6.md.swp'), 'swap');
    unlinkSync(join(root, 'later', 'doc-7.md'));
    const expected = ['Saved by rename during start-up', 'Saved by rename while running', 'Saved by vim during start-up', 'Saved by vim while running', 'Watched document 4'];
    await waitFor('the running edits', async () => (JSON.stringify(await titles()) === JSON.stringify(expected) ? true : undefined));
    const health = (await (await fetch(`${server.origin}/healthz`)).json()) as { documents: number; problems: number };
    // The editors' temp and backup files are neither documents nor problems.
    expect(health).toMatchObject({ documents: CORPUS + 5, problems: problemsAtStart });
  }, 60_000);
});
