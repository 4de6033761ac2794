/**
 * One writer per output folder (src/cli/output-lock.ts): a second export or
 * build into a folder that a run is writing is refused before it touches
 * anything (not even `--clean`), a lock left by a process that is gone is
 * taken over, and a finished or failed run leaves no lock behind.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildContent } from '../../src/cli/build-content.ts';
import { ExportRefused, MANIFEST_FILE } from '../../src/cli/export-state.ts';
import { exportSite } from '../../src/cli/export.ts';
import { LOCK_SUFFIX, OutputLocked, lockOutput } from '../../src/cli/output-lock.ts';
import { writeCorpus } from '../support/corpus.ts';

const root = mkdtempSync(join(tmpdir(), 'topic-feeds-output-lock-'));
const env = { SITE_URL: 'https://feeds.example.org', FEED_LIMIT: '4' };
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The pid of a process that has ended. */
function goneProcessId(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

function writeLock(dir: string, record: Record<string, unknown>): string {
  const path = `${dir}${LOCK_SUFFIX}`;
  writeFileSync(path, JSON.stringify(record));
  return path;
}

describe('output lock', () => {
  it('is held by one run at a time, beside the folder, and released', () => {
    const dir = join(root, 'plain', 'out');
    const lock = lockOutput(dir, 'export');
    expect(lock.path).toBe(`${dir}${LOCK_SUFFIX}`);
    expect(JSON.parse(readFileSync(lock.path, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname(), command: 'export' });
    expect(() => lockOutput(dir, 'build:content')).toThrow(OutputLocked);
    expect(() => lockOutput(dir, 'export')).toThrow(`another export (pid ${process.pid} on ${hostname()}`);
    lock.release();
    expect(existsSync(lock.path)).toBe(false);
    lockOutput(dir, 'export').release();
  });

  it('takes over a lock whose process is gone, and says so', () => {
    const dir = join(root, 'stale', 'out');
    mkdirSync(join(root, 'stale'), { recursive: true });
    const pid = goneProcessId();
    writeLock(dir, { pid, host: hostname(), startedAt: '2026-01-01T00:00:00.000Z', command: 'export' });
    const lock = lockOutput(dir, 'export');
    expect(lock.tookOver).toContain(`its export (pid ${pid}, started 2026-01-01T00:00:00.000Z) is gone`);
    expect(JSON.parse(readFileSync(lock.path, 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
  });

  it.runIf(process.platform === 'linux')('takes over a lock whose process was killed but not yet reaped (a zombie still answers a signal)', async () => {
    // `sleep 0` exits at once; its parent execs into `sleep 60` (killed below), which never reaps it: a zombie until then.
    const parent = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 60'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const pid = Number(await new Promise<string>((done) => parent.stdout.once('data', (chunk: Buffer) => done(chunk.toString()))));
      const zombie = (): boolean => {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
      };
      for (let i = 0; i < 500 && !zombie(); i += 1) await new Promise((done) => setTimeout(done, 20));
      expect(zombie()).toBe(true);
      const dir = join(root, 'zombie', 'out');
      mkdirSync(join(root, 'zombie'), { recursive: true });
      writeLock(dir, { pid, host: hostname(), startedAt: '2026-01-01T00:00:00.000Z', command: 'export' });
      const lock = lockOutput(dir, 'export');
      expect(lock.tookOver).toContain(`pid ${pid}`);
      lock.release();
    } finally {
      parent.kill();
    }
  });

  it('refuses a lock of another host, which it cannot look up, and a fresh unreadable one; takes over an old unreadable one', () => {
    const dir = join(root, 'other', 'out');
    mkdirSync(join(root, 'other'), { recursive: true });
    const path = writeLock(dir, { pid: goneProcessId(), host: `not-${hostname()}`, startedAt: '2026-01-01T00:00:00.000Z', command: 'export' });
    expect(() => lockOutput(dir, 'export')).toThrow(`remove ${path}`);
    writeFileSync(path, '{"pid":');
    expect(() => lockOutput(dir, 'export')).toThrow('another run is writing');
    const minuteAgo = new Date(Date.now() - 60_000);
    utimesSync(path, minuteAgo, minuteAgo);
    const lock = lockOutput(dir, 'export');
    expect(lock.tookOver).toContain('left unreadable');
    lock.release();
  });

  it('leaves a lock another run took over in place', () => {
    const dir = join(root, 'taken', 'out');
    const lock = lockOutput(dir, 'export');
    const theirs = { pid: process.pid, host: hostname(), startedAt: '2030-01-01T00:00:00.000Z', command: 'export' };
    writeLock(dir, theirs);
    lock.release();
    expect(JSON.parse(readFileSync(lock.path, 'utf8'))).toEqual(theirs);
    rmSync(lock.path);
  });
});

describe('exports and builds under the lock', () => {
  const content = join(root, 'content');
  mkdirSync(content, { recursive: true });
  writeCorpus(content, 12);

  it('refuses a second export of the same folder while the first runs; the first ends as usual and leaves no lock', async () => {
    const out = join(root, 'concurrent');
    const first = exportSite({ contentDir: content, outDir: out, env, threads: 0, stateDir: join(root, 'state-1') });
    await expect(exportSite({ contentDir: content, outDir: out, env, threads: 0, stateDir: join(root, 'state-1') })).rejects.toThrow(OutputLocked);
    const result = await first;
    expect(result.written).toBe(result.files);
    expect(existsSync(`${out}${LOCK_SUFFIX}`)).toBe(false);
    expect(existsSync(join(out, MANIFEST_FILE))).toBe(true);
    // The refused run changed nothing the next run would notice.
    const again = await exportSite({ contentDir: content, outDir: out, env, threads: 0, stateDir: join(root, 'state-1') });
    expect(again).toMatchObject({ written: 0, removed: 0 });
  });

  it('touches nothing while locked, not even with --clean', async () => {
    const out = join(root, 'locked');
    await exportSite({ contentDir: content, outDir: out, env, threads: 0, stateDir: join(root, 'state-2') });
    const before = readdirSync(out, { recursive: true }).length;
    const held = lockOutput(out, 'export');
    await expect(exportSite({ contentDir: content, outDir: out, env, threads: 0, clean: true, stateDir: join(root, 'state-2') })).rejects.toThrow(OutputLocked);
    expect(readdirSync(out, { recursive: true }).length).toBe(before);
    held.release();
  });

  it('releases the lock when the export is refused for another reason', async () => {
    const out = join(root, 'foreign');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'index.html'), 'not an export');
    await expect(exportSite({ contentDir: content, outDir: out, env, threads: 0, stateDir: join(root, 'state-3') })).rejects.toThrow(ExportRefused);
    expect(existsSync(`${out}${LOCK_SUFFIX}`)).toBe(false);
  });

  it('refuses a build:content into a folder another run holds', async () => {
    const out = join(root, 'generated');
    const held = lockOutput(out, 'export');
    await expect(buildContent({ contentDir: content, outDir: out, env, threshold: 0, stateDir: join(root, 'state-4') })).rejects.toThrow(OutputLocked);
    expect(existsSync(out)).toBe(false);
    held.release();
    await buildContent({ contentDir: content, outDir: out, env, threshold: 0, stateDir: join(root, 'state-4') });
    expect(existsSync(`${out}${LOCK_SUFFIX}`)).toBe(false);
  });
});
