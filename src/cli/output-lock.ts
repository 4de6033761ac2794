/**
 * One writer per output folder. `npm run export` and `build:content` update
 * their folder in place; two runs at once would remove each other's temp
 * files (a run takes any it finds for an interrupted write's) and the last
 * manifest written would not list the other run's new files, so the next
 * run would refuse the folder. A run therefore holds a lock file beside the
 * folder (`<folder>.topic-feeds.lock`: outside it, so no host serves it and
 * `--clean` leaves it alone) from its first look at the folder to its end.
 * A lock whose process is gone (same host, killed) is taken over.
 */
import { closeSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';

export const LOCK_SUFFIX = '.topic-feeds.lock';

/** A lock file that cannot be read back as JSON this long after it was made is a crash mid-write: taken over. */
const UNREADABLE_LOCK_MS = 10_000;

interface LockRecord {
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
  readonly command: string;
}

/** Another run holds the folder; `message` says which, and what to do if it is gone. */
export class OutputLocked extends Error {}

export interface OutputLock {
  /** The lock file. */
  readonly path: string;
  /** Said when a lock left by a process that is gone was taken over. */
  readonly tookOver?: string;
  /** Removes the lock, if it is still this run's. */
  release(): void;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function parseRecord(text: string | undefined): LockRecord | undefined {
  try {
    const value = JSON.parse(text ?? '') as Partial<LockRecord>;
    if (typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.startedAt === 'string' && typeof value.command === 'string') {
      return { pid: value.pid, host: value.host, startedAt: value.startedAt, command: value.command };
    }
  } catch {
    // unreadable: judged by its age
  }
  return undefined;
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A killed process its parent has not reaped yet still answers; on Linux, /proc says it is a zombie.
  const stat = readText(`/proc/${pid}/stat`);
  return stat === undefined || stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}

/** Why the lock at `path`, read as `record`, is stale (its process is gone), or undefined while it may be held. */
function staleReason(path: string, record: LockRecord | undefined, now: number): string | undefined {
  if (record === undefined) {
    let ageMs: number;
    try {
      ageMs = now - statSync(path).mtimeMs;
    } catch {
      return 'it is gone';
    }
    return ageMs > UNREADABLE_LOCK_MS ? `it was left unreadable ${Math.round(ageMs / 1000)} s ago` : undefined;
  }
  // Another host's process cannot be looked up from here.
  if (record.host !== hostname() || record.pid === process.pid || running(record.pid)) return undefined;
  return `its ${record.command} (pid ${record.pid}, started ${record.startedAt}) is gone`;
}

function holderOf(record: LockRecord | undefined): string {
  return record === undefined ? 'another run' : `another ${record.command} (pid ${record.pid} on ${record.host}, started ${record.startedAt})`;
}

/**
 * Takes the lock of the output folder `dir` for `command` ('export',
 * 'build:content'), or throws OutputLocked while another run holds it.
 */
export function lockOutput(dir: string, command: string): OutputLock {
  const path = `${resolve(dir)}${LOCK_SUFFIX}`;
  mkdirSync(dirname(path), { recursive: true });
  const record: LockRecord = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), command };
  const text = `${JSON.stringify(record)}\n`;
  let tookOver: string | undefined;
  for (let attempt = 0; ; attempt += 1) {
    try {
      const fd = openSync(path, 'wx');
      try {
        writeSync(fd, text);
      } finally {
        closeSync(fd);
      }
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const seen = readText(path);
      const held = parseRecord(seen);
      const stale = attempt === 0 ? staleReason(path, held, Date.now()) : undefined;
      // Unchanged since it was judged: a run that took it over meanwhile keeps it.
      if (stale === undefined || readText(path) !== seen) {
        throw new OutputLocked(`${command}: ${holderOf(held)} is writing ${resolve(dir)}; wait for it to end (if it is gone, remove ${path})`);
      }
      tookOver = `${command}: took over the lock ${path}: ${stale}`;
      try {
        unlinkSync(path);
      } catch {
        // another run removed it first: the next attempt decides
      }
    }
  }
  return {
    path,
    ...(tookOver === undefined ? {} : { tookOver }),
    release() {
      const held = parseRecord(readText(path));
      if (held?.pid !== record.pid || held.startedAt !== record.startedAt || held.host !== record.host) return;
      try {
        unlinkSync(path);
      } catch {
        // already gone
      }
    },
  };
}

/** Runs `write` holding the lock of `dir` (taken before it starts, released when it settles); a takeover is warned about. */
export async function withOutputLock<T>(dir: string, command: string, write: () => Promise<T>): Promise<T> {
  const lock = lockOutput(dir, command);
  if (lock.tookOver) console.warn(lock.tookOver);
  try {
    return await write();
  } finally {
    lock.release();
  }
}
