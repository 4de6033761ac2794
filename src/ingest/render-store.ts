/**
 * On-disk store of rendered representations, so a restart serves every route
 * it served before without rendering or compressing anything again.
 *
 * Content-addressed by the representation's strong ETag: the tag already
 * covers everything the bytes depend on (route key, output version, config
 * stamp, ids, lastMods, source revisions, published times, image facts), and
 * a stamp of the code that shapes output is added to each key, so an upgrade
 * of a renderer never reuses older bytes. One folder per content folder
 * (`render-<hash>` under CACHE_DIR), one file per ETag:
 *
 *   topic-feeds/render 1\n
 *   {"stamp":…,"etag":…,"parts":[["identity",len,sha256],["br",len,sha256]|null,["gzip",…]|null]}\n
 *   identity bytes, br bytes, gzip bytes
 *
 * Every read is verified (magic line, header, stamp, the ETag asked for,
 * total length, the SHA-256 of each part): an entry that fails any check is
 * deleted and reported as a miss, so stored bytes are never served under a
 * wrong ETag and a corrupt or truncated file is never served at all. Writes
 * go to a temporary file and are renamed into place, one at a time, in the
 * background. The folder is bounded in total size: least recently used
 * entries go first (recency is kept in each file's mtime across restarts).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat, utimes } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAGIC = 'topic-feeds/render 1\n';
const ENTRY = /^([A-Za-z0-9_-]{8})-([A-Za-z0-9_-]{32})\.render$/;
/** The paths the last run served beyond the fixed routes (archives), so a restart can fill them too. */
const PATHS_FILE = 'paths.json';
const MAX_PATHS = 50_000;
/** Parallel reads at a warm start: enough to keep the disk and the libuv pool busy. */
const READ_CONCURRENCY = 8;

/** What the fast path keeps of one representation: identity bytes and its compressed variants. */
export interface StoredRender {
  readonly identity: Buffer;
  /** undefined: no variant (too small to be worth one, or not smaller). */
  readonly br: Buffer | undefined;
  readonly gzip: Buffer | undefined;
}

type Part = readonly [coding: 'identity' | 'br' | 'gzip', length: number, sha256: string];

interface Header {
  readonly stamp: string;
  readonly etag: string;
  readonly parts: readonly [Part, Part | null, Part | null];
}

interface Known {
  size: number;
  usedAt: number;
}

export interface RenderStoreOptions {
  /** CACHE_DIR: the store lives in a folder of its own below it. */
  readonly cacheDir: string;
  readonly contentDir: string;
  /** Upper bound of the folder's total size. */
  readonly maxBytes: number;
  /** The code stamp; default: `renderCodeStamp()`. Tests pass their own. */
  readonly stamp?: string;
  /** Told about entries discarded on read (corrupt, truncated, foreign). */
  readonly onDiscard?: (file: string, reason: string) => void;
}

export interface RenderStoreStats {
  readonly entries: number;
  readonly bytes: number;
  readonly hits: number;
  readonly misses: number;
  readonly discarded: number;
  readonly written: number;
  readonly evicted: number;
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('base64url');

/**
 * A stamp of the source files that shape rendered bytes: everything under
 * src/ except the shells (cli/, worker/, and node/ other than the compressor),
 * so a change to a renderer, a page or the sanitizer discards stored bytes,
 * while a change to, say, the access log does not.
 */
export function renderCodeStamp(): string {
  const root = new URL('../', import.meta.url);
  const rootPath = fileURLToPath(root);
  const files = (readdirSync(root, { recursive: true }) as string[])
    .map((name) => name.split(sep).join('/'))
    .filter((name) => /\.[jt]s$/.test(name) && !name.endsWith('.d.ts'))
    .filter((name) => !name.startsWith('cli/') && !name.startsWith('worker/') && (!name.startsWith('node/') || name === 'node/compress.ts'))
    .sort();
  const hash = createHash('sha256');
  hash.update(`${MAGIC}\u0000${process.versions.zlib ?? ''}\u0000${process.versions.brotli ?? ''}`);
  for (const name of files) hash.update(`\u0000${name}\u0000`).update(readFileSync(join(rootPath, name)));
  return hash.digest('base64url').slice(0, 8);
}

/** The store's folder for one content folder (a hash of its absolute path, as the document cache does). */
export function renderStoreDir(cacheDir: string, contentDir: string): string {
  return join(cacheDir, `render-${createHash('sha1').update(resolve(contentDir)).digest('base64url').slice(0, 12)}`);
}

export class RenderStore {
  readonly dir: string;
  readonly stamp: string;
  private readonly maxBytes: number;
  private readonly known = new Map<string, Known>();
  private total = 0;
  private readonly scanned: Promise<void>;
  private writes: Promise<void> = Promise.resolve();
  private readonly pending = new Set<Promise<unknown>>();
  private reading = 0;
  private readonly readQueue: (() => void)[] = [];
  private temporaries = 0;
  private closed = false;
  private readonly counts = { hits: 0, misses: 0, discarded: 0, written: 0, evicted: 0 };

  constructor(private readonly options: RenderStoreOptions) {
    this.dir = renderStoreDir(options.cacheDir, options.contentDir);
    this.stamp = options.stamp ?? renderCodeStamp();
    this.maxBytes = options.maxBytes;
    this.scanned = this.scan();
  }

  /** The file of an ETag under this code stamp. */
  fileOf(etag: string): string {
    const key = createHash('sha256').update(`${this.stamp}\u0000${etag}`).digest('base64url').slice(0, 32);
    return `${this.stamp}-${key}.render`;
  }

  /**
   * Lists the folder: entries of this code stamp are indexed (by size and
   * mtime, the last use); entries of another stamp, leftover temporary files
   * and anything else are removed.
   */
  private async scan(): Promise<void> {
    let names: string[];
    try {
      await mkdir(this.dir, { recursive: true });
      names = await readdir(this.dir);
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(this.dir, name);
      if (name === PATHS_FILE) continue;
      const match = ENTRY.exec(name);
      if (!match || match[1] !== this.stamp) {
        await rm(path, { force: true, recursive: true }).catch(() => undefined);
        continue;
      }
      try {
        const info = await stat(path);
        if (!info.isFile()) throw new Error('not a file');
        this.known.set(name, { size: info.size, usedAt: info.mtimeMs });
        this.total += info.size;
      } catch {
        await rm(path, { force: true, recursive: true }).catch(() => undefined);
      }
    }
    if (this.total > this.maxBytes) await this.evict();
  }

  /** Resolves once the folder has been listed (tests). */
  whenScanned(): Promise<void> {
    return this.scanned;
  }

  private async slot(): Promise<void> {
    if (this.reading < READ_CONCURRENCY) {
      this.reading += 1;
      return;
    }
    await new Promise<void>((go) => this.readQueue.push(go));
  }

  private release(): void {
    const next = this.readQueue.shift();
    if (next) next();
    else this.reading -= 1;
  }

  /** The verified stored render of `etag`, or undefined (missing, or discarded as unusable). */
  async get(etag: string): Promise<StoredRender | undefined> {
    await this.scanned;
    const name = this.fileOf(etag);
    const entry = this.known.get(name);
    if (!entry || this.closed) {
      this.counts.misses += 1;
      return undefined;
    }
    await this.slot();
    let bytes: Buffer;
    try {
      bytes = await readFile(join(this.dir, name));
    } catch {
      this.forget(name);
      this.counts.misses += 1;
      return undefined;
    } finally {
      this.release();
    }
    const verdict = this.verify(bytes, etag);
    if (typeof verdict === 'string') {
      await this.discard(name, verdict);
      this.counts.misses += 1;
      return undefined;
    }
    this.counts.hits += 1;
    entry.usedAt = Date.now();
    // Recency survives a restart as the file's mtime; losing it costs nothing but LRU precision.
    const now = new Date(entry.usedAt);
    void utimes(join(this.dir, name), now, now).catch(() => undefined);
    return verdict;
  }

  /** The parts of an entry, or why it cannot be used. */
  private verify(bytes: Buffer, etag: string): StoredRender | string {
    if (bytes.length < MAGIC.length || bytes.toString('latin1', 0, MAGIC.length) !== MAGIC) return 'not a render entry';
    const end = bytes.indexOf(10, MAGIC.length);
    if (end < 0) return 'truncated header';
    let header: Header;
    try {
      header = JSON.parse(bytes.toString('utf8', MAGIC.length, end)) as Header;
    } catch {
      return 'unreadable header';
    }
    if (typeof header !== 'object' || header === null || !Array.isArray(header.parts) || header.parts.length !== 3) return 'unreadable header';
    if (header.stamp !== this.stamp) return 'another code stamp';
    if (header.etag !== etag) return 'another ETag';
    const codings = ['identity', 'br', 'gzip'] as const;
    const out: (Buffer | undefined)[] = [];
    let at = end + 1;
    for (let i = 0; i < 3; i += 1) {
      const part = header.parts[i];
      if (part === null && i > 0) {
        out.push(undefined);
        continue;
      }
      if (!Array.isArray(part) || part[0] !== codings[i] || !Number.isSafeInteger(part[1]) || part[1] < 0 || typeof part[2] !== 'string') return 'unreadable header';
      const length = part[1];
      if (at + length > bytes.length) return 'truncated';
      const body = bytes.subarray(at, at + length);
      if (sha256(body) !== part[2]) return `${codings[i]} bytes do not match their hash`;
      out.push(body);
      at += length;
    }
    if (at !== bytes.length) return 'trailing bytes';
    return { identity: out[0]!, br: out[1], gzip: out[2] };
  }

  private forget(name: string): void {
    const entry = this.known.get(name);
    if (!entry) return;
    this.total -= entry.size;
    this.known.delete(name);
  }

  private async discard(name: string, reason: string): Promise<void> {
    this.forget(name);
    this.counts.discarded += 1;
    this.options.onDiscard?.(name, reason);
    await rm(join(this.dir, name), { force: true }).catch(() => undefined);
  }

  /** Whether an entry for `etag` is known (not verified). */
  has(etag: string): boolean {
    return this.known.has(this.fileOf(etag));
  }

  /**
   * Saves the render of `etag` once `render` resolves (undefined: nothing to
   * save), in the background: writes go one at a time, to a temporary file
   * renamed into place, and never delay a request.
   */
  put(etag: string, render: StoredRender | Promise<StoredRender | undefined>): void {
    if (this.closed) return;
    const job = Promise.resolve(render).then(
      (value) => {
        if (value === undefined || this.closed) return;
        this.writes = this.writes.then(() => this.write(etag, value)).catch(() => undefined);
        return this.writes;
      },
      () => undefined,
    );
    this.pending.add(job);
    void job.finally(() => this.pending.delete(job));
  }

  private async write(etag: string, render: StoredRender): Promise<void> {
    await this.scanned;
    if (this.closed) return;
    const name = this.fileOf(etag);
    const known = this.known.get(name);
    if (known) {
      known.usedAt = Date.now();
      return;
    }
    const parts = [render.identity, render.br, render.gzip] as const;
    const header: Header = {
      stamp: this.stamp,
      etag,
      parts: [
        ['identity', render.identity.byteLength, sha256(render.identity)],
        render.br ? ['br', render.br.byteLength, sha256(render.br)] : null,
        render.gzip ? ['gzip', render.gzip.byteLength, sha256(render.gzip)] : null,
      ],
    };
    const head = Buffer.from(`${MAGIC}${JSON.stringify(header)}\n`, 'utf8');
    const buffers = [head, ...parts.filter((part): part is Buffer => part !== undefined)];
    const size = buffers.reduce((sum, part) => sum + part.byteLength, 0);
    if (size > this.maxBytes) return;
    this.temporaries += 1;
    const temporary = join(this.dir, `${name}.${process.pid}.${this.temporaries}.tmp`);
    try {
      await mkdir(this.dir, { recursive: true });
      const handle = await open(temporary, 'w');
      try {
        await handle.writev(buffers);
      } finally {
        await handle.close();
      }
      await rename(temporary, join(this.dir, name));
    } catch {
      await rm(temporary, { force: true }).catch(() => undefined);
      return;
    }
    this.known.set(name, { size, usedAt: Date.now() });
    this.total += size;
    this.counts.written += 1;
    if (this.total > this.maxBytes) await this.evict();
  }

  /** Least recently used entries first, down to 90% of the bound (so not every write evicts). */
  private async evict(): Promise<void> {
    const target = Math.floor(this.maxBytes * 0.9);
    const oldest = [...this.known.entries()].sort((a, b) => a[1].usedAt - b[1].usedAt);
    for (const [name] of oldest) {
      if (this.total <= target) break;
      this.forget(name);
      this.counts.evicted += 1;
      await rm(join(this.dir, name), { force: true }).catch(() => undefined);
    }
  }

  /**
   * Records which paths were served (rendered) this run, beyond the fixed
   * routes, so the next start can fill those from the store as well.
   * Atomic (temporary file and rename); a failure only costs renders later.
   */
  async savePaths(paths: readonly string[]): Promise<void> {
    await this.scanned;
    const temporary = join(this.dir, `${PATHS_FILE}.${process.pid}.${(this.temporaries += 1)}.tmp`);
    try {
      await mkdir(this.dir, { recursive: true });
      const handle = await open(temporary, 'w');
      try {
        await handle.writeFile(JSON.stringify({ stamp: this.stamp, paths: paths.slice(0, MAX_PATHS) }));
      } finally {
        await handle.close();
      }
      await rename(temporary, join(this.dir, PATHS_FILE));
    } catch {
      await rm(temporary, { force: true }).catch(() => undefined);
    }
  }

  /** The paths `savePaths` recorded (none when missing, unreadable or from other code). */
  async loadPaths(): Promise<string[]> {
    await this.scanned;
    try {
      const saved = JSON.parse(await readFile(join(this.dir, PATHS_FILE), 'utf8')) as { stamp?: unknown; paths?: unknown };
      if (saved.stamp !== this.stamp || !Array.isArray(saved.paths)) return [];
      return saved.paths.filter((path): path is string => typeof path === 'string' && path.startsWith('/')).slice(0, MAX_PATHS);
    } catch {
      return [];
    }
  }

  /** Resolves when every save asked for so far is on disk (or given up). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
    await this.writes;
  }

  /** Stops taking saves; those in flight finish. */
  close(): void {
    this.closed = true;
  }

  stats(): RenderStoreStats {
    return { entries: this.known.size, bytes: this.total, ...this.counts };
  }

  /** Where an entry lives, for tests that damage one. */
  pathOf(etag: string): string {
    return join(this.dir, this.fileOf(etag));
  }

  /** The folder, relative to the cache folder (log lines). */
  get label(): string {
    return relative(this.options.cacheDir, this.dir);
  }
}
