/**
 * The scan thread of a warm load (stat-thread.ts): it walks the content folder
 * with the very walk `listContentFiles` runs, so it finds the same files in
 * the same order and reports the same problems, and stats what it found.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listContentFiles, walkProblems } from '../../src/ingest/fs-source.ts';
import { scanContentOnThread } from '../../src/ingest/stat-thread.ts';

let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'topic-feeds-scan-'));
  const put = (file: string, text = 'x'): void => {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), text);
  };
  put('b.md', 'bb');
  put('a.md');
  put('2024/z.md', 'zzz');
  put('2024/img/a.jpeg');
  put('notes.txt');
  put('.hidden.md');
  put('.drafts/draft.md');
  mkdirSync(join(root, 'empty'));
  symlinkSync('..', join(root, '2024', 'loop'));
  symlinkSync(join(root, '2024'), join(root, 'again'));
  symlinkSync(join(root, 'missing'), join(root, 'dangling.md'));
  symlinkSync(join(root, 'a.md'), join(root, 'linked.md'));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('scanContentOnThread', () => {
  it('lists the same files in the same order, with the same problems, as the walk on this thread', async () => {
    const here = listContentFiles(root);
    const scan = scanContentOnThread(root);
    const there = await scan.listed;
    await scan.statMore(root, []);
    expect(there).toBeDefined();
    expect(here.files.map((path) => path.slice(root.length + 1))).toEqual(['2024/z.md', 'a.md', 'b.md', 'linked.md']);
    expect(there!.files).toEqual(here.files);
    expect(walkProblems(root, there!.problems)).toEqual(here.problems);
    expect(here.problems.map((problem) => problem.file).sort()).toEqual(['2024/loop', 'again', 'dangling.md']);
    expect(here.problems.find((problem) => problem.file === 'dangling.md')?.reason).toMatch(/^broken symlink: ENOENT/);
  });

  it('stats every file it lists, then the images it is sent, by their relative names', async () => {
    const scan = scanContentOnThread(root);
    const images = scan.statMore(root, ['2024/img/a.jpeg', '2024/img', 'gone.jpeg']);
    const listed = await scan.listed;
    for (const path of listed!.files) expect(listed!.stats.get(path)).toMatchObject({ size: statSync(path).size, mtimeMs: statSync(path).mtimeMs, ino: statSync(path).ino });
    const stats = await images;
    expect(stats.get('2024/img/a.jpeg')).toMatchObject({ size: 1, ino: statSync(join(root, '2024/img/a.jpeg')).ino });
    // A folder and a missing file: no stat to prove anything by.
    expect(stats.has('2024/img')).toBe(true);
    expect(stats.get('2024/img')).toBeUndefined();
    expect(stats.get('gone.jpeg')).toBeUndefined();
  });

  it('reports a missing folder as the walk here does', async () => {
    const missing = join(root, 'nowhere');
    const scan = scanContentOnThread(missing);
    const there = await scan.listed;
    scan.close();
    expect(there!.files).toEqual([]);
    expect(walkProblems(missing, there!.problems)).toEqual(listContentFiles(missing).problems);
    expect(there!.problems[0]?.[1]).toMatch(/^cannot resolve folder: ENOENT/);
  });

  it('once closed, answers with nothing instead of waiting', async () => {
    const scan = scanContentOnThread(root);
    scan.close();
    const [listed, stats] = await Promise.all([scan.listed, scan.statMore(root, ['a.md'])]);
    // Closed before it answered (undefined), or just after (the listing): never a hang.
    expect(listed === undefined || listed.files.length === 4).toBe(true);
    // Empty, or the stat taken.
    if (stats.has('a.md')) expect(stats.get('a.md')?.size).toBeGreaterThan(0);
  });
});
