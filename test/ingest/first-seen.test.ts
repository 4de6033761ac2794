/**
 * The first-seen ledger on its own: a new ledger backfills (own day), an
 * existing one dates unknown ids "now", instants never move, the file is
 * written atomically and survives a crash, a corrupt or missing file falls
 * back to the backfill with a warning, and each content folder has its own.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FirstSeenLedger, firstSeenPath } from '../../src/ingest/first-seen.ts';
import { REPO_ROOT } from '../support/server-process.ts';

const DAY = Date.parse('2021-01-13T12:06:42.641Z');
const NOW = Date.parse('2025-06-02T10:30:00.000Z');

let root: string;
let stateDir: string;
let contentDir: string;
let warnings: string[];
let clock: number;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'topic-feeds-ledger-'));
  stateDir = join(root, 'state');
  contentDir = join(root, 'content');
  mkdirSync(contentDir);
  warnings = [];
  clock = NOW;
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

function open(dir = contentDir, state = stateDir): FirstSeenLedger {
  return FirstSeenLedger.open({ stateDir: state, contentDir: dir, now: () => clock, warn: (text) => warnings.push(text) });
}

const items = (...ids: string[]) => ids.map((id, i) => ({ id, backfillMs: DAY + i }));

describe('FirstSeenLedger', () => {
  it('starts new: the first load keeps each item its own day, with a warning, and is on disk at once', () => {
    const ledger = open();
    expect(ledger.status).toBe('new');
    expect(ledger.path).toBe(firstSeenPath(stateDir, contentDir));
    expect(warnings.join('\n')).toMatch(/is new: .*backfill/);
    expect(ledger.assign(items('a', 'b', 'c'))).toEqual([DAY, DAY + 1, DAY + 2]);
    // Nothing waits for close(): a second reader sees it now.
    const other = open();
    expect(other.status).toBe('loaded');
    expect(other.assign(items('a', 'b', 'c'))).toEqual([DAY, DAY + 1, DAY + 2]);
    other.close();
    ledger.close();
  });

  it('dates an id an existing ledger does not know when it is first seen, and never moves it', () => {
    const first = open();
    first.assign(items('a'));
    clock = NOW + 1_000;
    expect(first.assign(items('a', 'new-1'))).toEqual([DAY, NOW + 1_000]);
    first.close();

    clock = NOW + 86_400_000;
    const again = open();
    expect(again.status).toBe('loaded');
    expect(again.assign([{ id: 'new-1', backfillMs: 0 }, { id: 'a', backfillMs: 0 }, { id: 'new-2', backfillMs: DAY }])).toEqual([
      NOW + 1_000,
      DAY,
      NOW + 86_400_000,
    ]);
    expect(again.size).toBe(3);
    again.close();
  });

  it('records an empty first load, so what arrives later is new (not backfilled)', () => {
    const ledger = open();
    expect(ledger.assign([])).toEqual([]);
    ledger.close();
    const again = open();
    expect(again.status).toBe('loaded');
    expect(again.assign(items('late'))).toEqual([NOW]);
    again.close();
  });

  it('a missing ledger (deleted) starts again with a backfill, never a flood of "now"', () => {
    const ledger = open();
    ledger.assign(items('a'));
    clock = NOW + 5_000;
    ledger.assign(items('a', 'b'));
    ledger.close();
    rmSync(firstSeenPath(stateDir, contentDir));
    warnings = [];
    const fresh = open();
    expect(fresh.status).toBe('new');
    expect(warnings).toHaveLength(1);
    expect(fresh.assign(items('a', 'b'))).toEqual([DAY, DAY + 1]);
    fresh.close();
  });

  it('a corrupt ledger is set aside with a warning and the load is backfilled, never a crash', () => {
    const path = firstSeenPath(stateDir, contentDir);
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(path, 'this is not a database, just some bytes\n'.repeat(200));
    const ledger = open();
    expect(ledger.status).toBe('corrupt');
    expect(warnings.join('\n')).toMatch(/unreadable .*moved to .*backfill/);
    expect(ledger.assign(items('a', 'b'))).toEqual([DAY, DAY + 1]);
    ledger.close();
    expect(readdirSync(stateDir).some((name) => name.includes('.corrupt-'))).toBe(true);
    const again = open();
    expect(again.status).toBe('loaded');
    expect(again.assign(items('a', 'c'))).toEqual([DAY, NOW]);
    again.close();
  });

  it('a truncated ledger (a half-copied file) is corrupt too', () => {
    const ledger = open();
    ledger.assign(Array.from({ length: 2_000 }, (_, i) => ({ id: `item-${i}-${'x'.repeat(40)}`, backfillMs: DAY })));
    ledger.close();
    const path = firstSeenPath(stateDir, contentDir);
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length / 2)));
    warnings = [];
    const again = open();
    expect(again.status).toBe('corrupt');
    expect(warnings.some((text) => text.includes('unreadable'))).toBe(true);
    expect(again.assign(items('item-1'))).toEqual([DAY]);
    again.close();
  });

  it('keeps one ledger per content folder: another folder starts its own backfill', () => {
    const a = open();
    a.assign(items('shared'));
    clock = NOW + 1;
    a.assign(items('shared', 'only-a'));
    a.close();
    const otherContent = join(root, 'other-content');
    const b = open(otherContent);
    expect(b.path).not.toBe(firstSeenPath(stateDir, contentDir));
    expect(b.status).toBe('new');
    // Its own day, not the other folder's "now".
    expect(b.assign(items('only-a', 'shared'))).toEqual([DAY, DAY + 1]);
    b.close();
    expect(readdirSync(stateDir).filter((name) => /^first-seen-.+\.sqlite$/.test(name))).toHaveLength(2);
  });

  it('two instances sharing a state folder agree on the first writer', () => {
    const a = open();
    const b = open();
    a.assign(items('x'));
    // b opened before a's backfill: its first load is not a backfill any more.
    clock = NOW + 10;
    expect(b.assign(items('x', 'y'))).toEqual([DAY, NOW + 10]);
    clock = NOW + 20;
    expect(a.assign(items('y'))).toEqual([NOW + 10]);
    a.close();
    b.close();
  });

  it('a batch that cannot be recorded leaves nothing half-written (one transaction)', () => {
    const ledger = open();
    // The third item cannot be stored (no instant): the whole batch rolls back.
    expect(() => ledger.assign([...items('a', 'b'), { id: 'bad', backfillMs: Number.NaN }])).not.toThrow();
    expect(warnings.join('\n')).toMatch(/could not record 3 item/);
    ledger.close();
    const again = open();
    // Still a new ledger: a later start backfills again instead of dating everything "now".
    expect(again.status).toBe('new');
    expect(again.size).toBe(0);
    again.close();
  });

  it('an unwritable state folder gives a ledger in memory, with a warning', () => {
    const blocker = join(root, 'a-file');
    writeFileSync(blocker, 'x');
    const ledger = open(contentDir, join(blocker, 'state'));
    expect(ledger.status).toBe('memory');
    expect(ledger.path).toBeUndefined();
    expect(warnings.join('\n')).toMatch(/in memory/);
    expect(ledger.assign(items('a'))).toEqual([DAY]);
    expect(ledger.assign(items('a', 'b'))).toEqual([DAY, NOW]);
  });

  it('close() is safe twice and leaves the one file (no -wal to forget when it is copied)', () => {
    const ledger = open();
    ledger.assign(items('a'));
    ledger.flush();
    ledger.close();
    ledger.close();
    expect(readdirSync(stateDir)).toEqual([`${firstSeenPath(stateDir, contentDir).split('/').pop()}`]);
    // A copy of that one file elsewhere has every instant.
    const copy = join(root, 'copy');
    mkdirSync(copy);
    writeFileSync(join(copy, 'ledger.sqlite'), readFileSync(firstSeenPath(stateDir, contentDir)));
    rmSync(stateDir, { recursive: true });
    mkdirSync(stateDir);
    writeFileSync(firstSeenPath(stateDir, contentDir), readFileSync(join(copy, 'ledger.sqlite')));
    const again = open();
    expect(again.status).toBe('loaded');
    expect(again.assign(items('a'))).toEqual([DAY]);
    again.close();
  });
});

/** Runs a script with the ledger in a child process; resolves on exit, calling `onLine` for each stdout line. */
function child(script: string, onLine: (line: string, kill: () => void) => void = () => {}): Promise<number | string> {
  const proc = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let buffered = '';
  proc.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    let newline;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      onLine(line, () => proc.kill('SIGKILL'));
    }
  });
  return new Promise((resolve) => proc.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
}

const ledgerScript = (body: string): string => `
  import { FirstSeenLedger } from './src/ingest/first-seen.ts';
  const ledger = FirstSeenLedger.open({ stateDir: ${JSON.stringify(stateDir)}, contentDir: ${JSON.stringify(contentDir)}, now: () => ${NOW}, warn: () => {} });
  ${body}
`;

describe('FirstSeenLedger across a crash', () => {
  it('keeps what was assigned when the process is killed without close()', async () => {
    const exit = await child(
      ledgerScript(`
        ledger.assign([{ id: 'a', backfillMs: ${DAY} }]);
        ledger.assign([{ id: 'a', backfillMs: 0 }, { id: 'arrived', backfillMs: 0 }]);
        console.log('assigned');
        setInterval(() => {}, 1000);
      `),
      (line, kill) => line === 'assigned' && kill(),
    );
    expect(exit).toBe('SIGKILL');
    const ledger = open();
    expect(ledger.status).toBe('loaded');
    expect(ledger.assign(items('a', 'arrived'))).toEqual([DAY, NOW]);
    ledger.close();
  }, 30_000);

  it('a process killed during its first load leaves the whole batch or none of it', async () => {
    const count = 50_000;
    const exit = await child(
      ledgerScript(`
        const batch = Array.from({ length: ${count} }, (_, i) => ({ id: 'doc-' + i, backfillMs: ${DAY} + i }));
        console.log('begin');
        ledger.assign(batch);
        console.log('done');
        setInterval(() => {}, 1000);
      `),
      (line, kill) => line === 'begin' && kill(),
    );
    expect(exit).toBe('SIGKILL');
    const ledger = open();
    // However far it got: new (nothing committed) or the whole backfill, never a part of it.
    if (ledger.status === 'new') expect(ledger.size).toBe(0);
    else {
      expect(ledger.status).toBe('loaded');
      expect(ledger.size).toBe(count);
    }
    ledger.close();
    expect(existsSync(firstSeenPath(stateDir, contentDir))).toBe(true);
  }, 30_000);
});
