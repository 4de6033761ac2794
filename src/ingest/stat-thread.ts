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

/** Stats by key: a `Map` will do (tests); a thread's come as a `StatTable`. */
export interface StatMap {
  has(key: string): boolean;
  get(key: string): FileStat | undefined;
}

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

/**
 * Stats by key (`keys[i]` for `paths[i]`) over statAll's numbers, each made
 * when asked for: at 50k documents, 95k stat objects made at once, then kept
 * through the load, cost the main thread 0.1 s and the collector more.
 */
class StatTable implements StatMap {
  readonly #index = new Map<string, number>();

  constructor(
    keys: readonly string[],
    private readonly numbers: Float64Array,
  ) {
    for (let i = 0; i < keys.length; i += 1) this.#index.set(keys[i]!, i);
  }

  has(key: string): boolean {
    return this.#index.has(key);
  }

  get(key: string): FileStat | undefined {
    const i = this.#index.get(key);
    if (i === undefined) return undefined;
    const size = this.numbers[i * 4]!;
    return Number.isNaN(size) ? undefined : { size, mtimeMs: this.numbers[i * 4 + 1]!, dev: this.numbers[i * 4 + 2]!, ino: this.numbers[i * 4 + 3]! };
  }
}

/**
 * Reads the whole file at `file` into shared memory (no copy to hand it over),
 * or undefined when it cannot be read. Then `prefixDigest` hashes what the
 * cache's trailer covers: every byte up to the newline before its last line.
 */
const SHARED_READ_SOURCE = `
function readShared(fs, file) {
  let fd;
  try {
    fd = fs.openSync(file, 'r');
    const size = fs.fstatSync(fd).size;
    const bytes = new Uint8Array(new SharedArrayBuffer(size));
    let done = 0;
    while (done < size) {
      const read = fs.readSync(fd, bytes, done, size - done, done);
      if (read === 0) return undefined;
      done += read;
    }
    return bytes;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
function prefixDigest(crypto, bytes) {
  const length = bytes.length < 2 ? 0 : bytes.lastIndexOf(10, bytes.length - 2) + 1;
  return { length, sha256: crypto.createHash('sha256').update(bytes.subarray(0, length)).digest('hex') };
}
`;

/**
 * Reads the parse cache (when asked) into shared memory and hands it over at
 * once, then walks the content folder and stats every file it lists, then
 * hashes the cache, then stats the files sent to `statMore` (the images the
 * memo remembers, under `imageRoot`, keyed by their relative name), in one
 * thread. A warm load starts it first: at 50k documents the listing, the 95k
 * path strings, the wait for the stats, reading the 88 MB cache and its
 * SHA-1 had cost the main thread 1.7 s. Every part resolves undefined if the
 * thread fails (the caller reads, lists and stats for itself).
 */
const SCAN_THREAD = `
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const { parentPort, workerData: { root, cacheFile } } = require('node:worker_threads');
${WALK_CONTENT_SOURCE}
${STAT_ALL_SOURCE}
${SHARED_READ_SOURCE}
const cache = cacheFile === undefined ? undefined : readShared(fs, cacheFile);
if (cacheFile !== undefined) parentPort.postMessage({ kind: 'cache', bytes: cache ?? null });
const listed = walkContent(root, fs, path);
const stats = statAll(fs, listed.files);
parentPort.postMessage({ kind: 'listed', files: listed.files, problems: listed.problems, stats }, [stats.buffer]);
if (cache !== undefined) parentPort.postMessage({ kind: 'cacheDigest', ...prefixDigest(crypto, cache) });
parentPort.once('message', ({ imageRoot, files }) => {
  const out = statAll(fs, files.map((file) => path.join(imageRoot, ...file.split('/'))));
  parentPort.postMessage({ kind: 'images', stats: out }, [out.buffer]);
  parentPort.close();
});
`;

export interface ScannedContent extends WalkedContent {
  /** Stats of `files`, by absolute path. */
  readonly stats: StatMap;
}

/** The parse cache as the scan thread read it: its bytes in shared memory, and their checksum as it computes it. */
export interface SharedCacheRead {
  readonly bytes: Buffer;
  /** SHA-256 (hex) of the first `length` bytes: everything before the trailer line; undefined if the thread ended first. */
  readonly prefixDigest: Promise<{ readonly length: number; readonly sha256: string } | undefined>;
}

export interface ContentScan {
  /** The cache file asked for, read on the thread; undefined when it could not be read there (or was not asked for). */
  readonly cache: Promise<SharedCacheRead | undefined>;
  readonly listed: Promise<ScannedContent | undefined>;
  /** Stats of `files` (relative, `/`-separated) under `imageRoot`, by relative name; empty if the thread failed. Call once, after which the thread ends. */
  statMore(imageRoot: string, files: readonly string[]): Promise<StatMap>;
  /** Ends the thread if it is still running (a load that failed half-way). */
  close(): void;
}

type ScanMessage =
  | { readonly kind: 'cache'; readonly bytes: Uint8Array | null }
  | { readonly kind: 'listed'; readonly files: string[]; readonly problems: [string, string][]; readonly stats: Float64Array }
  | { readonly kind: 'cacheDigest'; readonly length: number; readonly sha256: string }
  | { readonly kind: 'images'; readonly stats: Float64Array };

/** A promise settled by hand: by the thread's message, or with undefined when the thread is gone. */
function pending<T>(): { promise: Promise<T | undefined>; settle: (value: T | undefined) => void } {
  let settle!: (value: T | undefined) => void;
  const promise = new Promise<T | undefined>((done) => (settle = done));
  return { promise, settle };
}

/** `cacheFile`: the parse cache to read on the thread too (ContentStore's warm load). */
export function scanContentOnThread(root: string, cacheFile?: string): ContentScan {
  let worker: Worker | undefined;
  try {
    worker = new Worker(SCAN_THREAD, { eval: true, workerData: { root, cacheFile }, execArgv: [] });
  } catch {
    worker = undefined;
  }
  const cache = pending<Uint8Array>();
  const listed = pending<ScannedContent>();
  const digest = pending<{ length: number; sha256: string }>();
  const images = pending<Float64Array>();
  const end = (): void => {
    for (const part of [cache, listed, digest, images]) part.settle(undefined);
  };
  if (worker === undefined) end();
  else if (cacheFile === undefined) {
    cache.settle(undefined);
    digest.settle(undefined);
  }
  worker?.on('message', (message: ScanMessage) => {
    if (message.kind === 'cache') {
      cache.settle(message.bytes ?? undefined);
      if (message.bytes === null) digest.settle(undefined);
    } else if (message.kind === 'listed') listed.settle({ files: message.files, problems: message.problems, stats: new StatTable(message.files, message.stats) });
    else if (message.kind === 'cacheDigest') digest.settle({ length: message.length, sha256: message.sha256 });
    else images.settle(message.stats);
  });
  worker?.once('error', end);
  worker?.once('exit', end);
  let more: Promise<StatMap> | undefined;
  return {
    cache: cache.promise.then((bytes) => (bytes === undefined ? undefined : { bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), prefixDigest: digest.promise })),
    listed: listed.promise,
    statMore(imageRoot, files) {
      if (more === undefined) {
        worker?.postMessage({ imageRoot, files });
        more = images.promise.then((numbers) => (numbers === undefined ? new Map() : new StatTable(files, numbers)));
      }
      return more;
    },
    close() {
      void worker?.terminate();
    },
  };
}
