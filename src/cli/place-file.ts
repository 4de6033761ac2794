/**
 * One file of an export put in place: skipped when the same bytes are
 * already there, else written atomically (a temp file in the same folder,
 * then a rename: a static host never serves half a file). Synchronous, and
 * with nothing but node:fs and node:crypto in its imports, so that the
 * export's write thread (write-worker.ts) can run it while the main thread
 * renders the next pages.
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, writeSync, writevSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';
import type { ByteParts } from '../feeds/bytes.ts';

/** Suffix of the temp files of atomic writes; one left by a crash is removed by the next run. */
export const TEMP_SUFFIX = '.topic-feeds-tmp';

/** One file of an export, as the manifest records it. */
export interface FileRecord {
  /** The route's ETag (static files: their bytes' ETag; `_headers`: its SHA-1). */
  readonly etag: string;
  /** SHA-1 of the bytes, base64url. */
  readonly sha1: string;
  readonly size: number;
  /** mtime on disk right after the write: size + mtime unchanged means the file was not touched since. */
  readonly mtimeMs: number;
}

export interface DiskFile {
  readonly size: number;
  readonly mtimeMs: number;
}

/** What the previous run left for one file: its record, and whether the disk still matches it (size + mtime). */
export interface FileCheck {
  readonly previous?: FileRecord;
  /** The bytes on disk are the recorded ones (size and mtime unchanged). */
  readonly intact: boolean;
  /** On disk but not as recorded (modified by hand, or written by an interrupted run): its size. */
  readonly diskSize?: number;
  /** The render can be skipped: same ETag, same settings and code, file intact. */
  readonly skip: boolean;
}

export type FileOutcome = 'written' | 'unchanged';

export interface Placed {
  readonly outcome: FileOutcome;
  readonly record: FileRecord;
}

export function sha1(bytes: Uint8Array | ByteParts): string {
  if (bytes instanceof Uint8Array) return createHash('sha1').update(bytes).digest('base64url');
  const hash = createHash('sha1');
  for (const part of bytes.parts) hash.update(part);
  return hash.digest('base64url');
}

let tempCounter = 0;

/** A name for a temp file next to `path`, unique across processes and threads. */
export function tempPathFor(path: string): string {
  tempCounter += 1;
  return `${path}.${process.pid}-${threadId}-${tempCounter}${TEMP_SUFFIX}`;
}

/** Every part, in order; a short write is finished here rather than trusted. */
function writeAll(fd: number, bytes: Uint8Array | ByteParts): void {
  if (bytes instanceof Uint8Array) {
    for (let at = 0; at < bytes.byteLength; ) at += writeSync(fd, bytes, at);
    return;
  }
  let parts = bytes.parts;
  while (parts.length > 0) {
    // One writev takes at most IOV_MAX (1024) buffers.
    const batch = parts.length > 1024 ? parts.slice(0, 1024) : parts;
    let skip = writevSync(fd, batch as Uint8Array[]);
    let first = 0;
    while (first < batch.length && skip >= batch[first]!.byteLength) skip -= batch[first++]!.byteLength;
    if (first === 0 && skip === 0) throw new Error('writev wrote nothing');
    parts = first < batch.length ? [batch[first]!.subarray(skip), ...parts.slice(first + 1)] : parts.slice(first);
  }
}

/** Writes `bytes` to `path` through a temp file in the same folder and a rename; returns the size and mtime of the result. */
export function writeAtomicSync(path: string, bytes: Uint8Array | ByteParts): DiskFile {
  const temp = tempPathFor(path);
  const fd = openSync(temp, 'w');
  let info;
  try {
    writeAll(fd, bytes);
    info = fstatSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
  return { size: info.size, mtimeMs: info.mtimeMs };
}

/**
 * Puts `bytes` at `outDir/file` unless the same bytes are already there:
 * an intact file with the recorded SHA-1, or (modified or unrecorded) a file
 * of the same size whose bytes hash the same. Returns the new record.
 * `made`: folders known to exist (each is created once).
 */
export function placeFileSync(outDir: string, file: string, bytes: Uint8Array | ByteParts, etag: string, check: FileCheck, made?: Set<string>): Placed {
  const hash = sha1(bytes);
  const path = join(outDir, file);
  if (check.intact && check.previous?.sha1 === hash) return { outcome: 'unchanged', record: { ...check.previous, etag } };
  if (check.diskSize === bytes.byteLength) {
    try {
      if (sha1(readFileSync(path)) === hash) {
        const info = lstatSync(path);
        return { outcome: 'unchanged', record: { etag, sha1: hash, size: info.size, mtimeMs: info.mtimeMs } };
      }
    } catch {
      // unreadable: write it
    }
  }
  const dir = dirname(path);
  if (!made?.has(dir)) {
    mkdirSync(dir, { recursive: true });
    made?.add(dir);
  }
  const written = writeAtomicSync(path, bytes);
  return { outcome: 'written', record: { etag, sha1: hash, ...written } };
}
