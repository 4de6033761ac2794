/**
 * What the last checks of local images found, kept beside the document cache
 * (CACHE_DIR/images-<folder>.tsv): a warm load, export or build stats an
 * unchanged image instead of resolving, opening and reading it, and an
 * unchanged image's ETag is known without reading its bytes.
 *
 * An entry is used only while a stat of the file shows the same device,
 * inode, size and mtime, and the mtime was older than the check by the
 * racy margin (parse-tasks.ts `knownByStat`): a replaced file, a moved
 * symlink or an edit in place is checked again in full (media.ts
 * `openImage`). The file is discarded when the stamp (settings and the
 * ingest code) differs; anything unreadable is ignored.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { SiteConfig } from '../config/config.ts';
import { cacheStamp } from './doc-cache.ts';
import { knownByStat } from './parse-tasks.ts';
import { statFile } from './stat-thread.ts';
import type { StatMap } from './stat-thread.ts';

/** Where the image `file` (relative, `/`-separated) is under `root`: one spelling, so a prestat is found by it. */
export function imagePath(root: string, file: string): string {
  return join(root, ...file.split('/'));
}

const FORMAT = 'topic-feeds/images';
/** 2: a JSON header line, then one tab-separated line per image (`entryLine`), parsed when first looked up. */
const VERSION = 2;

/** The measured facts of an image that passed every check. */
export interface RememberedImage {
  readonly mimeType: string;
  readonly width: number;
  readonly height: number;
  readonly bytes: number;
  readonly modifiedMs: number;
  /** The file's device and inode when it was checked. */
  readonly dev: number;
  readonly ino: number;
  /** The bytes' ETag (publish/static-files.ts bytesEtag), once a build or export has read them whole. */
  readonly etag?: string;
}

interface Entry extends RememberedImage {
  readonly checkedMs: number;
}

const NUMBERS = ['width', 'height', 'bytes', 'modifiedMs', 'dev', 'ino', 'checkedMs'] as const;

/** The file as JSON (a name may hold a tab), then the fields; `mimeType` and `etag` are tokens without tabs or newlines. */
function entryLine(file: string, entry: Entry): string | undefined {
  const text = [entry.mimeType, entry.etag ?? ''];
  if (text.some((field) => /[\t\n]/.test(field))) return undefined;
  return [JSON.stringify(file), text[0], ...NUMBERS.map((key) => String(entry[key])), text[1]].join('\t');
}

/** The entry of a saved line's fields after the file; undefined if any is malformed (the image is checked again). */
function parseFields(fields: string): Entry | undefined {
  // Scanned by hand: 45k lines at 50k documents, and a split, a map and a spread per line cost twice as much.
  const numbers: number[] = [];
  const mimeEnd = fields.indexOf('\t');
  if (mimeEnd <= 0) return undefined;
  let start = mimeEnd + 1;
  for (let i = 0; i < NUMBERS.length; i += 1) {
    const end = fields.indexOf('\t', start);
    if (end <= start) return undefined;
    const n = Number(fields.slice(start, end));
    if (!Number.isFinite(n)) return undefined;
    numbers.push(n);
    start = end + 1;
  }
  if (fields.indexOf('\t', start) >= 0) return undefined;
  const [width, height, bytes, modifiedMs, dev, ino, checkedMs] = numbers as [number, number, number, number, number, number, number];
  const mimeType = fields.slice(0, mimeEnd);
  const etag = fields.slice(start);
  return etag === '' ? { mimeType, width, height, bytes, modifiedMs, dev, ino, checkedMs } : { mimeType, width, height, bytes, modifiedMs, dev, ino, checkedMs, etag };
}

export class ImageMemo {
  /** An entry, or its saved line's fields until first looked up: opening the memo of 45k images then builds no objects. */
  readonly #entries = new Map<string, Entry | string>();
  #dirty = false;
  /** Files a stat or a full check proved in this process. */
  readonly #proven = new Set<string>();
  /** Stats another thread took during this load (`usePrestats`), by relative name; dropped once the load's documents are built. */
  #prestats: StatMap | undefined;

  /** `path`: where it is saved; undefined keeps it in memory only (no CACHE_DIR). */
  private constructor(
    readonly path: string | undefined,
    private readonly stamp: string,
  ) {}

  /** An empty memo that is never saved. */
  static inMemory(): ImageMemo {
    return new ImageMemo(undefined, '');
  }

  /** The memo of `contentDir` under `cacheDir`, empty when missing, unreadable or of another stamp. */
  static open(cacheDir: string, contentDir: string, stamp: string): ImageMemo {
    const folder = createHash('sha1').update(resolve(contentDir)).digest('base64url').slice(0, 12);
    const memo = new ImageMemo(join(cacheDir, `images-${folder}.tsv`), stamp);
    try {
      const text = readFileSync(memo.path!, 'utf8');
      const headerEnd = text.indexOf('\n');
      // A header is short: a longer first line is no memo of this version (version 1 was one JSON object).
      if (headerEnd < 0 || headerEnd > 4096) return memo;
      const header = JSON.parse(text.slice(0, headerEnd)) as { format?: unknown; version?: unknown; stamp?: unknown };
      if (header.format !== FORMAT || header.version !== VERSION || header.stamp !== stamp) return memo;
      // Split here, parsed on lookup: a malformed line is then an image to check again, like a changed one.
      for (let start = headerEnd + 1; start < text.length; ) {
        let end = text.indexOf('\n', start);
        if (end < 0) end = text.length;
        const tab = text.indexOf('"\t', start) + 1;
        if (tab > start + 1 && tab < end && text[start] === '"') {
          const quoted = text.slice(start, tab);
          const file: unknown = quoted.includes('\\') ? JSON.parse(quoted) : quoted.slice(1, -1);
          if (typeof file === 'string') memo.#entries.set(file, text.slice(tab + 1, end));
        }
        start = end + 1;
      }
    } catch {
      // missing or unreadable: checked again in full
    }
    return memo;
  }

  /** The entry of `file`, its saved line parsed on first use; a malformed line is forgotten. */
  #entry(file: string): Entry | undefined {
    const entry = this.#entries.get(file);
    if (typeof entry !== 'string') return entry;
    const parsed = parseFields(entry);
    if (parsed === undefined) this.#entries.delete(file);
    else this.#entries.set(file, parsed);
    return parsed;
  }

  /** The images it remembers, relative to the content folder (what a load may stat ahead, on another thread). */
  knownFiles(): string[] {
    return [...this.#entries.keys()];
  }

  /** Stats of `knownFiles`, by relative name, taken during this load: lookups use them until `dropPrestats`. */
  usePrestats(stats: StatMap): void {
    this.#prestats = stats;
  }

  /** After the load: later lookups (a watch event) stat for themselves. */
  dropPrestats(): void {
    this.#prestats = undefined;
  }

  /** The remembered facts of `file` (at `path`), if a stat proves it unchanged since they were taken. */
  lookup(file: string, path: string): RememberedImage | undefined {
    const entry = this.#entry(file);
    if (entry === undefined) return undefined;
    const prestats = this.#prestats;
    const info = prestats?.has(file) ? prestats.get(file) : statFile(path);
    if (info === undefined || info.dev !== entry.dev || info.ino !== entry.ino || !knownByStat({ size: entry.bytes, mtimeMs: entry.modifiedMs, hash: '', checkedMs: entry.checkedMs }, info.size, info.mtimeMs)) {
      this.#proven.delete(file);
      return undefined;
    }
    this.#proven.add(file);
    return entry;
  }

  /**
   * `lookup` without the stat when this memo already proved `file` in this
   * process: for a one-shot build or export, whose load checked every image
   * it then copies (a stat per image, not two: 45k fewer at 50k documents).
   * `root`: the content folder (the path is spelled as `imagePath` spells it).
   */
  lookupOnce(file: string, root: string): RememberedImage | undefined {
    return this.#proven.has(file) ? this.#entry(file) : this.lookup(file, imagePath(root, file));
  }

  /**
   * Records what a full check of `file` found, with the identity its open
   * file had; `checkedMs` is when the check began, so an edit racing the
   * check is never trusted later.
   */
  remember(file: string, facts: Omit<RememberedImage, 'etag'>, checkedMs: number, etag?: string): void {
    const { mimeType, width, height, bytes, modifiedMs, dev, ino } = facts;
    this.#entries.set(file, { mimeType, width, height, bytes, modifiedMs, dev, ino, checkedMs, ...(etag === undefined ? {} : { etag }) });
    this.#proven.add(file);
    this.#dirty = true;
  }


  /** Writes the memo (temp file and rename) when it changed; never throws: a memo is only worth a re-check. */
  save(): void {
    if (this.path === undefined || !this.#dirty) return;
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      const temporary = `${this.path}.${process.pid}.tmp`;
      const lines = [JSON.stringify({ format: FORMAT, version: VERSION, stamp: this.stamp })];
      for (const [file, entry] of this.#entries) {
        const line = typeof entry === 'string' ? `${JSON.stringify(file)}\t${entry}` : entryLine(file, entry);
        if (line !== undefined) lines.push(line);
      }
      writeFileSync(temporary, `${lines.join('\n')}\n`);
      renameSync(temporary, this.path);
      // Version 1 was one JSON object in images-<folder>.json: never read again.
      rmSync(this.path.replace(/\.tsv$/, '.json'), { force: true });
      this.#dirty = false;
    } catch {
      // the next run checks the images in full
    }
  }
}


/** The memo of `contentDir` under CACHE_DIR, stamped like the document cache; in memory only without a cache folder. */
export function openImageMemo(site: SiteConfig, contentDir: string, cacheDir: string | undefined): ImageMemo {
  return cacheDir === undefined ? ImageMemo.inMemory() : ImageMemo.open(cacheDir, contentDir, cacheStamp(site));
}
