/**
 * Watch mode, from the outside: the real server (src/node/main.ts) runs as
 * a child process on a tmp CONTENT_DIR; we add, change, delete and break
 * files, poll /healthz until it reflects the change, then check the feeds.
 * A request must see the old index or the new one, never a mix, and a broken
 * edit must not take the other documents down.
 */
import { mkdirSync, mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../support/server-process.ts';
import { sleep, startServer, waitFor } from '../support/server-process.ts';
import { documentSource, goodFields } from '../support/source-text.ts';

interface Health {
  readonly documents: number;
  readonly problems: number;
}
interface JsonFeed {
  readonly items: readonly { readonly id: string; readonly title: string; readonly date_modified: string }[];
}

function docText(n: number, title = `Watched document ${n}`, lastMod = `2024-02-01T08:00:00.${String(n).padStart(6, '0')}Z`): string {
  return documentSource(goodFields(n, { slug: `watched-${n}`, title, lastMod }), `<p>Body of ${n}.</p>`);
}

/** Writes the way editors and deploy tools do: a hidden temp file, then a rename. */
function writeAtomic(path: string, text: string): void {
  const dir = join(path, '..');
  const temp = join(dir, `.${Date.now()}-${Math.random().toString(36).slice(2)}.tmp`);
  writeFileSync(temp, text);
  renameSync(temp, path);
}

describe('watch mode on the real server', () => {
  let root: string;
  let server: RunningServer;
  const base = 10;

  async function health(): Promise<Health> {
    return (await (await fetch(`${server.origin}/healthz`)).json()) as Health;
  }
  async function feed(path = '/feed.json?limit=500'): Promise<JsonFeed> {
    const res = await fetch(`${server.origin}${path}`);
    expect(res.status).toBe(200);
    return (await res.json()) as JsonFeed;
  }
  const titles = async (): Promise<string[]> => (await feed()).items.map((i) => i.title);
  const until = <T>(what: string, check: () => Promise<T | undefined>): Promise<T> => waitFor(what, check, 20_000, 100);

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'topic-feeds-watch-'));
    for (let n = 1; n <= base; n += 1) writeFileSync(join(root, `doc-${n}.md`), docText(n));
    server = await startServer({ contentDir: root });
    expect(await health()).toMatchObject({ documents: base, problems: 0 });
  }, 90_000);

  afterAll(async () => {
    await server?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('picks up an added document', async () => {
    writeAtomic(join(root, 'doc-11.md'), docText(11));
    await until('11 documents', async () => ((await health()).documents === base + 1 ? true : undefined));
    expect(await titles()).toContain('Watched document 11');
  });

  it('picks up an edit written in place (not atomically)', async () => {
    writeFileSync(join(root, 'doc-2.md'), docText(2, 'Edited in place', '2024-03-01T00:00:00.000002Z'));
    await until('the edited title', async () => ((await titles()).includes('Edited in place') ? true : undefined));
    expect(await titles()).not.toContain('Watched document 2');
  });

  it('changes the ETag of a feed when a document in it changes', async () => {
    const before = (await fetch(`${server.origin}/rss.xml`)).headers.get('etag');
    writeFileSync(join(root, 'doc-3.md'), docText(3, 'Edited again', '2024-03-02T00:00:00.000003Z'));
    await until('the new title', async () => ((await titles()).includes('Edited again') ? true : undefined));
    const after = await fetch(`${server.origin}/rss.xml`, { headers: { 'If-None-Match': before ?? '' } });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(before);
  });

  it('picks up a deletion', async () => {
    unlinkSync(join(root, 'doc-11.md'));
    await until('10 documents', async () => ((await health()).documents === base ? true : undefined));
    expect(await titles()).not.toContain('Watched document 11');
  });

  it('picks up documents in a folder created after start', async () => {
    mkdirSync(join(root, 'later', 'deeper'), { recursive: true });
    await sleep(300);
    writeAtomic(join(root, 'later', 'deeper', 'doc-12.md'), docText(12));
    await until('12 in a new folder', async () => ((await titles()).includes('Watched document 12') ? true : undefined));
  });

  it('picks up a rename and a folder removal', async () => {
    renameSync(join(root, 'later', 'deeper', 'doc-12.md'), join(root, 'later', 'deeper', 'renamed.md'));
    await sleep(500);
    expect(await titles()).toContain('Watched document 12');
    rmSync(join(root, 'later'), { recursive: true, force: true });
    await until('12 gone with its folder', async () => ((await titles()).includes('Watched document 12') ? undefined : true));
    expect((await health()).documents).toBe(base);
  });

  it('a broken edit is reported and does not take the other documents down', async () => {
    const before = await health();
    writeFileSync(join(root, 'doc-4.md'), '---\ntitle: "unterminated\n---\n<p>broken</p>\n');
    await until('a new problem', async () => ((await health()).problems > before.problems ? true : undefined));
    const after = await titles();
    for (let n = 1; n <= base; n += 1) {
      if (n === 2 || n === 3 || n === 4) continue;
      expect(after, `document ${n} survives`).toContain(`Watched document ${n}`);
    }
    expect(after).toContain('Edited in place');
    expect(after).toContain('Edited again');
    // Fixing the file brings it back.
    writeFileSync(join(root, 'doc-4.md'), docText(4, 'Fixed again'));
    await until('the fix', async () => ((await titles()).includes('Fixed again') ? true : undefined));
    expect((await health()).problems).toBe(before.problems);
  });

  it('a request sees the old index or the new one, never a mix', async () => {
    const initial = new Set((await feed()).items.map((i) => i.id));
    const added: string[] = [];
    let stop = false;
    // Documents arrive one by one (atomically); any snapshot holds the initial ones plus a prefix of the arrivals.
    const writer = (async () => {
      for (let n = 200; n < 215; n += 1) {
        writeAtomic(join(root, `arrival-${n}.md`), docText(n));
        added.push(`http://feeds.test/news/watched-${n}/`);
        await sleep(80);
      }
      await until('every arrival', async () => ((await feed()).items.length === initial.size + 15 ? true : undefined));
      stop = true;
    })();
    const readers = Array.from({ length: 4 }, async () => {
      let reads = 0;
      while (!stop) {
        const ids = (await feed()).items.map((i) => i.id);
        reads += 1;
        expect(new Set(ids).size, 'each document once').toBe(ids.length);
        for (const id of initial) expect(ids, 'no initial document missing').toContain(id);
        const arrived = ids.filter((id) => !initial.has(id));
        const prefix = added.slice(0, arrived.length);
        expect(new Set(arrived), 'arrivals form a prefix: no holes, no half-applied change').toEqual(new Set(prefix));
      }
      return reads;
    });
    const reads = await Promise.all(readers);
    await writer;
    expect(reads.reduce((a, b) => a + b, 0)).toBeGreaterThan(10);
  });

  // Node 20's `fs.watch(dir, { recursive: true })` on Linux loses a file once
  // it is replaced by a rename (how vim, IDEs and deploy tools save); watch.ts
  // therefore watches each folder itself. This guards that.
  it('picks up every save of an editor that replaces the file by rename', async () => {
    for (const round of [1, 2, 3]) {
      writeAtomic(join(root, 'doc-6.md'), docText(6, `Saved by rename ${round}`));
      await waitFor(`save ${round}`, async () => ((await titles()).includes(`Saved by rename ${round}`) ? true : undefined), 5_000);
    }
  }, 30_000);

  it('keeps serving while a burst of files arrives, and ends up with all of them', async () => {
    const before = (await health()).documents;
    for (let n = 100; n < 160; n += 1) writeFileSync(join(root, `burst-${n}.md`), docText(n));
    await until('the burst', async () => ((await health()).documents === before + 60 ? true : undefined));
    expect(server.child.exitCode).toBeNull();
  });
});

describe('WATCH=false', () => {
  it('serves the start-up snapshot and ignores later changes', async () => {
    const root = mkdtempSync(join(tmpdir(), 'topic-feeds-nowatch-'));
    writeFileSync(join(root, 'a.md'), docText(1));
    const server = await startServer({ contentDir: root, env: { WATCH: 'false' } });
    try {
      writeFileSync(join(root, 'b.md'), docText(2));
      await sleep(1_500);
      const health = (await (await fetch(`${server.origin}/healthz`)).json()) as Health;
      expect(health.documents).toBe(1);
      expect(server.lines(/^(reloaded|updated)\b/)).toEqual([]);
    } finally {
      await server.stop();
      rmSync(root, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('content folder removed while watching', () => {
  it('keeps serving the last content instead of an empty index', async () => {
    const root = mkdtempSync(join(tmpdir(), 'topic-feeds-gone-'));
    writeFileSync(join(root, 'a.md'), docText(1));
    writeFileSync(join(root, 'b.md'), docText(2));
    const server = await startServer({ contentDir: root });
    try {
      rmSync(root, { recursive: true, force: true });
      // Before the guard, the next update swapped in an empty index here.
      await sleep(1_500);
      const health = (await (await fetch(`${server.origin}/healthz`)).json()) as Health;
      expect(health.documents).toBe(2);
    } finally {
      await server.stop();
      rmSync(root, { recursive: true, force: true });
    }
  }, 60_000);
});
