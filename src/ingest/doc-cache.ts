/**
 * On-disk cache of parsed documents, so a restart does not parse unchanged
 * files again. One file of lines: a header, one line per file (keyed by
 * path, with size, mtime and a hash of the bytes: the head of its record as
 * a JSON array, a tab, the rest as JSON, read on first use: cached-fields.ts),
 * the table of topics the heads point into, and a trailer with the count and
 * a SHA-256 of everything before it. An entry is used while the file's
 * size and SHA-1 match (so a touched but unchanged file is not parsed again),
 * or, without a read, while size and mtime match a stamp that is not racy
 * (parse-tasks.ts `knownByStat`). Anything unexpected (another format,
 * other settings or code, a bad checksum, a line that does not parse) and
 * the whole file is discarded: a cache is never worth serving wrong content.
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, mkdirSync, openSync, readSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { SiteConfig } from '../config/config.ts';
import { configStamp } from '../config/config.ts';
import type { DocumentContent } from '../content/load.ts';
import type { DocumentTopic, FeedImage, Problem } from '../content/document.ts';
import type { HeadFields } from './cached-fields.ts';
import { LazyFields, CachedRecord, detailOf, topicKey } from './cached-fields.ts';
import type { SharedCacheRead } from './stat-thread.ts';
import type { FileStamp, ParsedRecord } from './parse-tasks.ts';

const FORMAT = 'topic-feeds/documents';
/** 3: heads are positional arrays with topics as indexes into one table (objects took twice as long to load at 50k documents). */
const VERSION = 3;

export interface CacheEntry {
  readonly file: string;
  readonly stamp: FileStamp;
  readonly record: ParsedRecord;
  /** Sanitized content, kept for documents that some feed window shows. */
  readonly content?: DocumentContent;
}

export type CacheStatus = 'off' | 'empty' | 'loaded' | 'stale' | 'corrupt';

export interface CacheLoad {
  readonly status: CacheStatus;
  readonly entries: Map<string, CacheEntry>;
  readonly detail?: string;
}

/** Reads a source file; tests swap it to prove that a code change invalidates the cache. */
export type SourceReader = (file: URL) => string;

const readSource: SourceReader = (file) => readFileSync(file, 'utf8');

const IMPORT = /^\s*(?:import|export)\s[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]/gm;

/**
 * Every source file that shapes a cached record: each module in this folder
 * and everything it imports from src/, followed through relative imports.
 * Derived, not listed, so a fix to any parser (the fast front-matter reader,
 * the normalizer, a settings default) can never hide behind stale entries.
 */
export function sourcesShapingRecords(read: SourceReader = readSource): URL[] {
  const here = new URL('./', import.meta.url);
  const pending = readdirSync(here)
    .filter((name) => /\.[jt]s$/.test(name) && !name.endsWith('.d.ts'))
    .map((name) => new URL(name, here));
  const seen = new Map<string, URL>();
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file.href)) continue;
    seen.set(file.href, file);
    for (const match of read(file).matchAll(IMPORT)) pending.push(new URL(match[1]!, file));
  }
  return [...seen.values()].sort((a, b) => (a.href < b.href ? -1 : 1));
}

/**
 * What parsed output depends on besides the file: settings and the code
 * that shapes a record, so an upgrade never reuses documents normalized by
 * older code.
 */
export function cacheStamp(site: SiteConfig, read: SourceReader = readSource): string {
  const hash = createHash('sha1');
  hash.update(`${FORMAT}\u0000${VERSION}\u0000${configStamp(site)}\u0000${site.maxDocumentBytes}`);
  const root = new URL('../', import.meta.url).href;
  for (const file of sourcesShapingRecords(read)) {
    let text: string;
    try {
      text = read(file);
    } catch {
      text = '?';
    }
    hash.update(`\u0000${file.href.slice(root.length)}\u0000`).update(text);
  }
  return hash.digest('base64url');
}

interface Header {
  readonly format: string;
  readonly version: number;
  readonly stamp: string;
}

interface Trailer {
  readonly end: true;
  readonly count: number;
  /** SHA-256 (hex): with the CPU's SHA extensions three times as fast here as SHA-1 (37 against 116 ms for 64 MB). */
  readonly sha256: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A line's first part: the entry with only the head of its fields (cached-fields.ts). */
interface HeadEntry {
  readonly file: string;
  readonly stamp: FileStamp;
  readonly record: { readonly fields?: HeadFields; readonly bodyStart?: number; readonly problems: readonly Problem[] };
  readonly content?: DocumentContent;
}

/**
 * A head as saved: `[file, size, mtimeMs, hash, checkedMs, problems, bodyStart, fields, content]`,
 * and fields as `[id, slug, file (null: the entry's), publishedMs, updatedMs, lastMod, revision,
 * image, topic indexes]`; null for what is absent. An image of only url, alt, type and file is
 * `[url, alt, mimeType, file]`, any other the object.
 */
type SavedFields = [string, string, string | null, number, number, string, string | null, FeedImage | SavedImage | null, number[]];
type SavedImage = [string, string, string, string];
type SavedHead = [string, number, number, string, number | null, readonly Problem[], number | null, SavedFields | null, DocumentContent | null];

const IMAGE_KEYS = 'url,alt,mimeType,file';

function savedImage(image: FeedImage | undefined): FeedImage | SavedImage | null {
  if (image === undefined) return null;
  return typeof image.file === 'string' && Object.keys(image).join(',') === IMAGE_KEYS ? [image.url, image.alt, image.mimeType, image.file] : image;
}

function savedHead(entry: CacheEntry, topicIndex: (topic: DocumentTopic) => number): SavedHead {
  const { stamp, record } = entry;
  const fields = record.fields;
  const saved: SavedFields | null =
    fields === undefined
      ? null
      : [fields.id, fields.slug, fields.file === entry.file ? null : fields.file, fields.publishedMs, fields.updatedMs, fields.lastMod, fields.revision ?? null, savedImage(fields.image), fields.topics.map(topicIndex)];
  return [entry.file, stamp.size, stamp.mtimeMs, stamp.hash, stamp.checkedMs ?? null, record.problems, record.bodyStart ?? null, saved, entry.content ?? null];
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isNumber = (value: unknown): value is number => typeof value === 'number';

function imageOf(value: unknown): FeedImage | undefined | false {
  if (value === null) return undefined;
  if (Array.isArray(value)) {
    const [url, alt, mimeType, file] = value as unknown[];
    return value.length === 4 && isString(url) && isString(alt) && isString(mimeType) && isString(file) ? { url, alt, mimeType, file } : false;
  }
  return isObject(value) && isString(value.url) && isString(value.alt) && isString(value.mimeType) ? (value as unknown as FeedImage) : false;
}

/** The head entry of a saved head, its topics taken from `topics`; undefined if anything is malformed. */
function headEntry(value: unknown, topics: readonly DocumentTopic[]): HeadEntry | undefined {
  if (!Array.isArray(value) || value.length !== 9) return undefined;
  const [file, size, mtimeMs, hash, checkedMs, problems, bodyStart, saved, content] = value as unknown[];
  if (!isString(file) || !isNumber(size) || !isNumber(mtimeMs) || !isString(hash) || !(checkedMs === null || isNumber(checkedMs))) return undefined;
  if (!Array.isArray(problems) || !(bodyStart === null || isNumber(bodyStart))) return undefined;
  if (!(content === null || (isObject(content) && isString(content.contentHtml)))) return undefined;
  let fields: HeadFields | undefined;
  if (saved !== null) {
    if (!Array.isArray(saved) || saved.length !== 9) return undefined;
    const [id, slug, ownFile, publishedMs, updatedMs, lastMod, revision, image, indexes] = saved as unknown[];
    if (!isString(id) || !isString(slug) || !(ownFile === null || isString(ownFile)) || !isNumber(publishedMs) || !isNumber(updatedMs) || !isString(lastMod)) return undefined;
    const feedImage = imageOf(image);
    if (!(revision === null || isString(revision)) || feedImage === false || !Array.isArray(indexes)) return undefined;
    const documentTopics: DocumentTopic[] = [];
    for (const index of indexes) {
      const topic = isNumber(index) ? topics[index] : undefined;
      if (topic === undefined) return undefined;
      documentTopics.push(topic);
    }
    fields = { id, slug, file: ownFile ?? file, publishedMs, updatedMs, lastMod, revision: revision ?? undefined, image: feedImage, topics: documentTopics };
  }
  const stamp: FileStamp = checkedMs === null ? { size, mtimeMs, hash } : { size, mtimeMs, hash, checkedMs };
  const record = { fields, bodyStart: bodyStart ?? undefined, problems: problems as Problem[] };
  return content === null ? { file, stamp, record } : { file, stamp, record, content: content as unknown as DocumentContent };
}

/** The table of topics saved before the trailer; undefined if malformed. */
function topicTable(value: unknown): DocumentTopic[] | undefined {
  if (!isObject(value) || !Array.isArray(value.topics)) return undefined;
  for (const topic of value.topics as unknown[]) {
    if (!isObject(topic) || !isString(topic.slug) || !isString(topic.name) || !isString(topic.label) || !(topic.description === undefined || isString(topic.description))) return undefined;
  }
  return value.topics as DocumentTopic[];
}

/** One line: the saved head, a tab (JSON never holds a raw one), the detail of its fields (cached-fields.ts). */
function entryLine(entry: CacheEntry, topicIndex: (topic: DocumentTopic) => number): string {
  const { fields, description } = entry.record;
  const head = JSON.stringify(savedHead(entry, topicIndex));
  const detail = fields instanceof LazyFields ? fields.detailJson() : fields === undefined ? '{}' : JSON.stringify(detailOf(fields, description));
  return `${head}\t${detail}`;
}

/** Where the trailer line starts (`end` is the newline before it), and the trailer: the checksum covers bytes 0..end. */
function trailerOf(bytes: Buffer): { end: number; trailer: Trailer } {
  if (bytes.length < 2 || bytes[bytes.length - 1] !== 10) throw new Error('truncated');
  const end = bytes.lastIndexOf(10, bytes.length - 2);
  if (end < 0) throw new Error('truncated');
  const trailer = JSON.parse(bytes.toString('utf8', end + 1)) as Trailer;
  if (trailer.end !== true || typeof trailer.sha256 !== 'string') throw new Error('no trailer');
  return { end, trailer };
}

export class DocumentCache {
  readonly path: string;

  /** One file per content folder, so two servers on one machine do not overwrite each other's cache. */
  constructor(
    readonly dir: string,
    private readonly stamp: string,
    contentDir: string,
  ) {
    this.path = DocumentCache.pathFor(dir, contentDir);
  }

  /** The cache file of `contentDir` under `dir`. */
  static pathFor(dir: string, contentDir: string): string {
    const folder = createHash('sha1').update(resolve(contentDir)).digest('base64url').slice(0, 12);
    return join(dir, `documents-${folder}.ndjson`);
  }

  /**
   * How many entries the cache file at `path` says it holds (its trailer), without
   * reading the rest: how big the coming load is, before it starts. Undefined when
   * missing or not a cache; nothing is verified (load does that).
   */
  static peekCount(path: string): number | undefined {
    let fd: number | undefined;
    try {
      fd = openSync(path, 'r');
      const size = fstatSync(fd).size;
      const tail = Buffer.alloc(Math.min(size, 512));
      readSync(fd, tail, 0, tail.length, size - tail.length);
      const lines = tail.toString('utf8').trimEnd().split('\n');
      const trailer = JSON.parse(lines[lines.length - 1] ?? '') as Partial<Trailer>;
      return trailer.end === true && typeof trailer.count === 'number' ? trailer.count : undefined;
    } catch {
      return undefined;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  /** `topics`: one object per distinct topic, shared with the caller (filled as the cache is read). */
  load(topics = new Map<string, DocumentTopic>()): CacheLoad {
    let bytes: Buffer;
    try {
      bytes = readFileSync(this.path);
    } catch {
      return { status: 'empty', entries: new Map() };
    }
    try {
      const { end, trailer } = trailerOf(bytes);
      if (createHash('sha256').update(bytes.subarray(0, end + 1)).digest('hex') !== trailer.sha256) throw new Error('checksum mismatch');
      return this.parse(bytes, end, trailer, topics);
    } catch (error) {
      return this.corrupt(error);
    }
  }

  /**
   * `load` over bytes another thread read (stat-thread.ts) and is hashing
   * meanwhile: the entries are parsed here first, then thrown away if the
   * checksum does not match. Hashed here if the thread's digest never comes.
   */
  async loadRead(read: SharedCacheRead, topics = new Map<string, DocumentTopic>()): Promise<CacheLoad> {
    const { bytes } = read;
    try {
      const { end, trailer } = trailerOf(bytes);
      const loaded = this.parse(bytes, end, trailer, topics);
      const digest = await read.prefixDigest;
      const sha256 = digest?.length === end + 1 ? digest.sha256 : createHash('sha256').update(bytes.subarray(0, end + 1)).digest('hex');
      if (sha256 !== trailer.sha256) throw new Error('checksum mismatch');
      return loaded;
    } catch (error) {
      return this.corrupt(error);
    }
  }

  private corrupt(error: unknown): CacheLoad {
    this.discard();
    return { status: 'corrupt', entries: new Map(), detail: error instanceof Error ? error.message : String(error) };
  }

  /** Line by line from the buffer: no copy of the whole file as one string (peak memory at a warm start). */
  private parse(bytes: Buffer, end: number, trailer: Trailer, topics: Map<string, DocumentTopic>): CacheLoad {
    let start = 0;
    const nextLine = (): string | undefined => {
      if (start > end) return undefined;
      const newline = bytes.indexOf(10, start);
      const line = bytes.toString('utf8', start, newline);
      start = newline + 1;
      return line;
    };
    const header = JSON.parse(nextLine() ?? '') as Header;
    if (header.format !== FORMAT || header.version !== VERSION) throw new Error('another format');
    if (header.stamp !== this.stamp) {
      this.discard();
      return { status: 'stale', entries: new Map(), detail: 'settings or parsing code changed' };
    }
    const entries = new Map<string, CacheEntry>();
    let count = 0;
    // The topic table is the line before the trailer; heads point into it. One object per distinct
    // topic, shared with the caller's map (50k documents share ~150).
    const tableStart = bytes.lastIndexOf(10, end - 1) + 1;
    if (tableStart < start) throw new Error('no topic table');
    const saved = topicTable(JSON.parse(bytes.toString('utf8', tableStart, end)));
    if (saved === undefined) throw new Error('bad topic table');
    const shared = saved.map((topic) => {
      const key = topicKey(topic);
      const known = topics.get(key);
      if (known) return known;
      topics.set(key, topic);
      return topic;
    });
    // Each entry's head is parsed now; its detail stays in `bytes` until a render reads it.
    while (start < tableStart) {
      count += 1;
      const newline = bytes.indexOf(10, start);
      const tab = bytes.indexOf(9, start);
      if (tab < 0 || tab > newline) throw new Error(`bad entry on line ${count + 1}`);
      const head = headEntry(JSON.parse(bytes.toString('utf8', start, tab)), shared);
      if (head === undefined) throw new Error(`bad entry on line ${count + 1}`);
      const { fields, bodyStart, problems } = head.record;
      const record: ParsedRecord = fields === undefined ? { problems } : new CachedRecord(new LazyFields(fields, { bytes, start: tab + 1, end: newline }), bodyStart, problems);
      // No object spread here: one entry per document, and the spread was a tenth of this loop.
      const entry: CacheEntry = head.content === undefined ? { file: head.file, stamp: head.stamp, record } : { file: head.file, stamp: head.stamp, record, content: head.content };
      entries.set(head.file, entry);
      start = newline + 1;
    }
    if (count !== trailer.count) throw new Error('entry count mismatch');
    return { status: 'loaded', entries };
  }

  /**
   * Writes every entry to a temporary file in slices (the event loop keeps
   * serving between them), then renames it over the old one: a crash leaves
   * the previous cache or the new one, never half of one.
   */
  async save(entries: Iterable<CacheEntry>): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    const handle = await open(temporary, 'w');
    try {
      const hash = createHash('sha256');
      let count = 0;
      let chunk: string[] = [JSON.stringify({ format: FORMAT, version: VERSION, stamp: this.stamp } satisfies Header)];
      const flush = async (): Promise<void> => {
        const data = Buffer.from(`${chunk.join('\n')}\n`, 'utf8');
        chunk = [];
        hash.update(data);
        await handle.write(data);
      };
      const table: DocumentTopic[] = [];
      const indexes = new Map<string, number>();
      const topicIndex = (topic: DocumentTopic): number => {
        const key = topicKey(topic);
        let index = indexes.get(key);
        if (index === undefined) {
          index = table.push(topic) - 1;
          indexes.set(key, index);
        }
        return index;
      };
      for (const entry of entries) {
        chunk.push(entryLine(entry, topicIndex));
        count += 1;
        if (chunk.length >= 1000) await flush();
      }
      chunk.push(JSON.stringify({ topics: table }));
      await flush();
      await handle.write(`${JSON.stringify({ end: true, count, sha256: hash.digest('hex') } satisfies Trailer)}\n`);
    } finally {
      await handle.close();
    }
    renameSync(temporary, this.path);
  }

  discard(): void {
    rmSync(this.path, { force: true });
  }
}
