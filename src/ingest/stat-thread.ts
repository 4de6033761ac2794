/**
 * Stats many files on a plain-JS thread while the caller's thread reads the
 * parse cache: at 50k documents a warm load stat'ed 50k markdown files and
 * 45k images one after the other on the main thread (1.2-1.6 s), after a
 * cache read of the same length that the stats do not depend on.
 */
import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

/** What a proof by stat compares; undefined in a map: not a regular file, or the stat failed. */
export interface FileStat {
  readonly size: number;
  readonly mtimeMs: number;
  readonly dev: number;
  readonly ino: number;
}

export type StatMap = ReadonlyMap<string, FileStat | undefined>;

/** The stat of `path` from `stats` when they hold it, else taken now; undefined: not a regular file, or gone. */
export function statFile(path: string, stats?: StatMap): FileStat | undefined {
  if (stats?.has(path)) return stats.get(path);
  try {
    const info = statSync(path);
    return info.isFile() ? info : undefined;
  } catch {
    return undefined;
  }
}

/** Below this many paths the stats stay on the caller's thread: a thread's start costs more. */
export const STAT_THREAD_MIN_PATHS = 2000;

/**
 * Plain JS (no TypeScript loader: it starts in milliseconds), sync calls:
 * several times faster than a promise per stat. Four numbers per path, NaN
 * for a path that is not a regular file or cannot be stat'ed.
 */
const STAT_THREAD = `
const { statSync } = require('node:fs');
const { parentPort, workerData: paths } = require('node:worker_threads');
const out = new Float64Array(paths.length * 4).fill(NaN);
for (let i = 0; i < paths.length; i += 1) {
  let info;
  try { info = statSync(paths[i]); } catch { continue; }
  if (!info.isFile()) continue;
  out[i * 4] = info.size; out[i * 4 + 1] = info.mtimeMs; out[i * 4 + 2] = info.dev; out[i * 4 + 3] = info.ino;
}
parentPort.postMessage(out, [out.buffer]);
`;

/**
 * The stats of `paths`, taken on another thread. Never rejects: if the
 * thread cannot run, the map is empty and callers stat for themselves.
 */
export function statOnThread(paths: readonly string[]): Promise<StatMap> {
  return new Promise((done) => {
    let worker: Worker;
    try {
      // execArgv: [] keeps the parent's `--import tsx` out of this thread.
      worker = new Worker(STAT_THREAD, { eval: true, workerData: paths, execArgv: [] });
    } catch {
      done(new Map());
      return;
    }
    worker.once('message', (numbers: Float64Array) => {
      const stats = new Map<string, FileStat | undefined>();
      paths.forEach((path, i) => {
        const size = numbers[i * 4]!;
        stats.set(path, Number.isNaN(size) ? undefined : { size, mtimeMs: numbers[i * 4 + 1]!, dev: numbers[i * 4 + 2]!, ino: numbers[i * 4 + 3]! });
      });
      done(stats);
    });
    worker.once('error', () => done(new Map()));
    worker.once('exit', () => done(new Map()));
  });
}
