/**
 * The per-file work of a load, as plain functions over plain data so they run
 * the same inline or in a worker thread (parse-worker.ts): stat, read, hash,
 * and parse a file, or sanitize the body of one that was parsed before.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import type { SiteConfig } from '../config/config.ts';
import type { Problem } from '../content/document.ts';
import type { DocumentContent, DocumentFields, ParseTimings } from '../content/load.ts';
import { parseSource, reparseBody } from '../content/load.ts';
import { renderContent } from '../content/normalize.ts';
import { ProblemLog } from '../content/problems.ts';
import { splitFrontMatterFast } from '../content/fast-front-matter.ts';
import { statFile } from './stat-thread.ts';
import type { StatMap } from './stat-thread.ts';

/** What a parse leaves of a file: plain data, kept in memory and in the disk cache. */
export interface ParsedRecord {
  readonly fields?: DocumentFields;
  readonly description?: string;
  readonly bodyStart?: number;
  readonly problems: readonly Problem[];
}

/**
 * A file's identity on disk: a cache entry is reused when size and hash
 * match, or, without reading the file, when size and mtime match and the
 * stamp is not racy (see `knownByStat`).
 */
export interface FileStamp {
  readonly size: number;
  readonly mtimeMs: number;
  /** SHA-1 of the raw bytes, base64url. */
  readonly hash: string;
  /** When the file was stat'ed for this stamp (epoch ms); absent in caches written before it was recorded. */
  readonly checkedMs?: number;
}

/**
 * A file that was already this old when it was hashed gets a newer mtime
 * from any later write, even on filesystems with 2-second timestamps (FAT).
 */
export const RACY_MARGIN_MS = 3000;

/**
 * True when a stat proves the file unchanged since `known` was taken: same
 * size and mtime, and the mtime was older than the check by the margin
 * (git's racy-timestamp rule: a write in the same clock tick as the check
 * could keep the mtime, so such a stamp is re-hashed instead).
 */
export function knownByStat(known: FileStamp, size: number, mtimeMs: number): boolean {
  return known.checkedMs !== undefined && known.size === size && known.mtimeMs === mtimeMs && mtimeMs < known.checkedMs - RACY_MARGIN_MS;
}

/**
 * The cache hit a stat alone proves (no read); undefined when the file must
 * be read (or cannot be stat'ed). A load's pre-pass only: `scanFile`, which
 * a watch event calls, always reads. `stats`: taken on another thread during
 * this load (stat-thread.ts); a path they lack is stat'ed here.
 */
export function statHit(task: ScanTask, stats?: StatMap): ScanResult | undefined {
  if (task.known === undefined) return undefined;
  const info = statFile(task.path, stats);
  return info !== undefined && knownByStat(task.known, info.size, info.mtimeMs) ? { file: task.file, kind: 'hit', stamp: task.known } : undefined;
}

export interface ScanTask {
  /** Relative to the content folder, `/`-separated. */
  readonly file: string;
  readonly path: string;
  /** The cached stamp, when the disk cache has this file. */
  readonly known?: FileStamp;
}

export type ScanResult =
  | { readonly file: string; readonly kind: 'hit'; readonly stamp: FileStamp }
  | { readonly file: string; readonly kind: 'parsed'; readonly stamp: FileStamp; readonly record: ParsedRecord }
  | { readonly file: string; readonly kind: 'unreadable'; readonly problem: Problem };

export interface BodyTask {
  readonly file: string;
  readonly path: string;
  readonly fields: Pick<DocumentFields, 'permalink' | 'related' | 'revision'>;
  readonly description?: string;
  readonly bodyStart?: number;
}

export interface TaskTimings extends ParseTimings {
  read: number;
  hash: number;
  sanitize: number;
}

export const emptyTimings = (): TaskTimings => ({ read: 0, hash: 0, decode: 0, yaml: 0, fields: 0, sanitize: 0 });

export function addTimings(into: TaskTimings, from: Readonly<TaskTimings>): void {
  for (const key of Object.keys(into) as (keyof TaskTimings)[]) into[key] += from[key];
}

export function hashBytes(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('base64url');
}

function unreadable(file: string, reason: string): ScanResult {
  return { file, kind: 'unreadable', problem: { file, field: 'file', reason, action: 'skipped' } };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Stat, read and hash a file; parse it unless its stamp equals the cached
 * one. Sync I/O on purpose: for many small files it is several times faster
 * than fs/promises, and this runs before the server listens or in a worker.
 */
export function scanFile(task: ScanTask, site: SiteConfig, timings: TaskTimings): ScanResult {
  let started = performance.now();
  let bytes: Uint8Array;
  let size: number;
  let mtimeMs: number;
  let checkedMs: number;
  try {
    checkedMs = Date.now();
    const info = statSync(task.path);
    size = info.size;
    mtimeMs = info.mtimeMs;
    if (size > site.maxDocumentBytes) {
      return unreadable(task.file, `file is ${size} bytes, over the ${site.maxDocumentBytes}-byte limit (MAX_DOCUMENT_BYTES)`);
    }
    bytes = readFileSync(task.path);
  } catch (error) {
    return unreadable(task.file, `cannot read file: ${message(error)}`);
  }
  const read = performance.now();
  timings.read += read - started;
  const stamp: FileStamp = { size: bytes.byteLength, mtimeMs, hash: hashBytes(bytes), checkedMs };
  started = performance.now();
  timings.hash += started - read;
  // Same bytes, same parse: a file saved or touched without changes is not parsed again.
  const known = task.known;
  if (known && known.size === stamp.size && known.hash === stamp.hash) return { file: task.file, kind: 'hit', stamp };
  const parsed = parseSource({ file: task.file, contents: bytes }, site, { timings, split: splitFrontMatterFast });
  const record: ParsedRecord = {
    ...(parsed.fields === undefined ? {} : { fields: parsed.fields }),
    ...(parsed.description === undefined ? {} : { description: parsed.description }),
    ...(parsed.bodyStart === undefined ? {} : { bodyStart: parsed.bodyStart }),
    problems: parsed.problems,
  };
  return { file: task.file, kind: 'parsed', stamp, record };
}

/**
 * Re-reads a parsed file and sanitizes its body. Undefined when the file is
 * gone or changed since it was parsed (watch mode will re-parse it).
 */
export function renderBodyTask(task: BodyTask, site: SiteConfig, timings: TaskTimings): DocumentContent | undefined {
  const started = performance.now();
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(task.path);
  } catch {
    return undefined;
  }
  const body = reparseBody({ file: task.file, contents: bytes }, site, task.fields.revision, task.bodyStart);
  const read = performance.now();
  timings.read += read - started;
  if (body === undefined) return undefined;
  // Problems of the body were reported when the file was parsed.
  const content = renderContent(task.fields, task.description, body, new ProblemLog(task.file), true);
  timings.sanitize += performance.now() - read;
  return content;
}
