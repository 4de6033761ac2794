/**
 * Lists the content folder and stats what a warm load proves by stat (the
 * markdown files, then the images the memo remembers) on a plain-JS thread,
 * while the caller's thread opens the ledger and the memo and reads the parse
 * cache, none of which the stats depend on. At 50k documents, listing and
 * stating 95k paths took 1.2-1.6 s on the main thread.
 */
import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { WalkedContent } from './fs-source.ts';
import { WALK_CONTENT_SOURCE } from './fs-source.ts';

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

/** A warm load of fewer cached documents lists and stats on the caller's thread: a thread's start costs more. */
export const STAT_THREAD_MIN_PATHS = 2000;

/**
 * Plain JS (no TypeScript loader: it starts in milliseconds), sync calls:
 * several times faster than a promise per stat. Four numbers per path, NaN
 * for a path that is not a regular file or cannot be stat'ed.
 */
const STAT_ALL_SOURCE = `
function statAll(fs, paths) {
  const out = new Float64Array(paths.length * 4).fill(NaN);
  for (let i = 0; i < paths.length; i += 1) {
    let info;
    try { info = fs.statSync(paths[i]); } catch { continue; }
    if (!info.isFile()) continue;
    out[i * 4] = info.size; out[i * 4 + 1] = info.mtimeMs; out[i * 4 + 2] = info.dev; out[i * 4 + 3] = info.ino;
  }
  return out;
}
`;

/** Stats by key (`keys[i]` for `paths[i]`) from statAll's numbers. */
function statsFrom(keys: readonly string[], numbers: Float64Array): Map<string, FileStat | undefined> {
  const stats = new Map<string, FileStat | undefined>();
  keys.forEach((key, i) => {
    const size = numbers[i * 4]!;
    stats.set(key, Number.isNaN(size) ? undefined : { size, mtimeMs: numbers[i * 4 + 1]!, dev: numbers[i * 4 + 2]!, ino: numbers[i * 4 + 3]! });
  });
  return stats;
}

/**
 * The content walk (fs-source.ts) and a stat of every file it lists, then of
 * the files sent to `statMore` (the images the memo remembers, under
 * `imageRoot`, keyed by their relative name), in one thread. A warm load
 * starts it first and reads its caches meanwhile: at 50k documents the
 * listing, the 95k path strings and the wait for the stats had cost the main
 * thread 1.2 s. Resolves undefined if the thread fails (the caller lists and
 * stats for itself).
 */
const SCAN_THREAD = `
const fs = require('node:fs');
const path = require('node:path');
const { parentPort, workerData: root } = require('node:worker_threads');
${WALK_CONTENT_SOURCE}
${STAT_ALL_SOURCE}
const listed = walkContent(root, fs, path);
const stats = statAll(fs, listed.files);
parentPort.postMessage({ files: listed.files, problems: listed.problems, stats }, [stats.buffer]);
parentPort.once('message', ({ imageRoot, files }) => {
  const out = statAll(fs, files.map((file) => path.join(imageRoot, ...file.split('/'))));
  parentPort.postMessage(out, [out.buffer]);
  parentPort.close();
});
`;

export interface ScannedContent extends WalkedContent {
  /** Stats of `files`, by absolute path. */
  readonly stats: StatMap;
}

export interface ContentScan {
  readonly listed: Promise<ScannedContent | undefined>;
  /** Stats of `files` (relative, `/`-separated) under `imageRoot`, by relative name; empty if the thread failed. Call once, after which the thread ends. */
  statMore(imageRoot: string, files: readonly string[]): Promise<StatMap>;
  /** Ends the thread if it is still running (a load that failed half-way). */
  close(): void;
}

export function scanContentOnThread(root: string): ContentScan {
  let worker: Worker | undefined;
  try {
    worker = new Worker(SCAN_THREAD, { eval: true, workerData: root, execArgv: [] });
  } catch {
    worker = undefined;
  }
  // Replies in the order asked: the listing, then the stats of statMore's files; undefined once the thread is gone.
  const waiting: ((message: unknown) => void)[] = [];
  let gone = worker === undefined;
  const end = (): void => {
    gone = true;
    for (const settle of waiting.splice(0)) settle(undefined);
  };
  const listed = new Promise<ScannedContent | undefined>((done) => {
    if (gone) return done(undefined);
    waiting.push((message) => {
      if (message === undefined) return done(undefined);
      const { files, problems, stats } = message as { files: string[]; problems: [string, string][]; stats: Float64Array };
      done({ files, problems, stats: statsFrom(files, stats) });
    });
  });
  worker?.on('message', (message: unknown) => waiting.shift()?.(message));
  worker?.once('error', end);
  worker?.once('exit', end);
  let more: Promise<StatMap> | undefined;
  return {
    listed,
    statMore(imageRoot, files) {
      more ??= new Promise<StatMap>((done) => {
        if (gone || !worker) return done(new Map());
        waiting.push((numbers) => done(numbers instanceof Float64Array ? statsFrom(files, numbers) : new Map()));
        worker.postMessage({ imageRoot, files });
      });
      return more;
    },
    close() {
      if (!gone) void worker?.terminate();
    },
  };
}
