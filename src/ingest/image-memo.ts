/**
 * What the last checks of local images found, kept beside the document cache
 * (CACHE_DIR/images-<folder>.json): a warm load, export or build stats an
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
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
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
const VERSION = 1;

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

function isEntry(value: unknown): value is Entry {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Record<string, unknown>;
  return (
    ['dev', 'ino', 'checkedMs', 'width', 'height', 'bytes', 'modifiedMs'].every((key) => typeof e[key] === 'number') &&
    typeof e.mimeType === 'string' &&
    (e.etag === undefined || typeof e.etag === 'string')
  );
}

export class ImageMemo {
  readonly #entries = new Map<string, Entry>();
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
    const memo = new ImageMemo(join(cacheDir, `images-${folder}.json`), stamp);
    try {
      const saved = JSON.parse(readFileSync(memo.path!, 'utf8')) as { format?: unknown; version?: unknown; stamp?: unknown; entries?: unknown };
      if (saved.format !== FORMAT || saved.version !== VERSION || saved.stamp !== stamp || typeof saved.entries !== 'object' || saved.entries === null) return memo;
      for (const [file, entry] of Object.entries(saved.entries)) if (isEntry(entry)) memo.#entries.set(file, entry);
    } catch {
      // missing or unreadable: checked again in full
    }
    return memo;
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
    const entry = this.#entries.get(file);
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
   */
  lookupOnce(file: string, path: string): RememberedImage | undefined {
    return this.#proven.has(file) ? this.#entries.get(file) : this.lookup(file, path);
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
      const body = JSON.stringify({ format: FORMAT, version: VERSION, stamp: this.stamp, entries: Object.fromEntries(this.#entries) });
      writeFileSync(temporary, body);
      renameSync(temporary, this.path);
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
