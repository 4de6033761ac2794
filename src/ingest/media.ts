/**
 * Local images on Node: the files beside the documents that `featuredImage`
 * names (when MEDIA_BASE_URL is this site's media path). At load each one is
 * checked and measured, so the feeds carry its true type, pixel size and byte
 * length (the front matter's `size` pair is never trusted); a request reads
 * and serves it; a build or an export copies it. One rule for all three
 * (`openImage`): inside the content folder by real path (no `..`, no symlink
 * out, no hidden name), a regular file within MAX_IMAGE_BYTES, whose bytes are
 * a JPEG, PNG, GIF, WebP or AVIF image of the type its name says. SVG is refused.
 */
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readFileSync, readSync, realpathSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import type { SiteConfig } from '../config/config.ts';
import { ConfigError } from '../config/config.ts';
import type { FeedImage, Problem } from '../content/document.ts';
import type { DocumentFields } from '../content/load.ts';
import { servedImageType } from '../content/image.ts';
import { makeProblem } from '../content/problems.ts';
import type { ProblemCode, ReasonArgs } from '../content/problems.ts';
import { MEDIA_CACHE_CONTROL } from '../publish/cache-policy.ts';
import type { Representation } from '../publish/representation.ts';
import { mediaPath, pathOf } from '../publish/routes.ts';
import type { SiteIcon, StaticFileEntry, StaticFileRequest, StaticFileSource } from '../publish/static-files.ts';
import { DEFAULT_SITE_ICON, etagOfSha256, iconRepresentations } from '../publish/static-files.ts';
import { httpDate } from '../topics/validators.ts';
import { withFields } from './cached-fields.ts';
import { ImageMemo, imagePath } from './image-memo.ts';
import { RACY_MARGIN_MS } from './parse-tasks.ts';

type ImageSizeModule = typeof import('image-size');
let imageSizeModule: ImageSizeModule | undefined;

/** image-size loads on the first image that needs a full check: a warm start or export checks none (its import took 80 ms of each). */
function imageSize(bytes: Uint8Array): ReturnType<ImageSizeModule['imageSize']> {
  imageSizeModule ??= createRequire(import.meta.url)('image-size') as ImageSizeModule;
  return imageSizeModule.imageSize(bytes);
}

/** image-size's type names -> the media types served. */
const SNIFFED: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
};

/** Enough for the dimensions of nearly every image; a JPEG with a large EXIF block is read whole. */
const HEADER_BYTES = 64 * 1024;

/** A failed check, as the problem it reports (always about `featuredImage.href`). */
interface Refusal {
  readonly ok: false;
  /** The problem, reported against the document `docFile`. */
  readonly problem: (docFile: string) => Problem;
}

export interface ImageFacts {
  readonly ok: true;
  readonly mimeType: string;
  readonly width: number;
  readonly height: number;
  readonly bytes: number;
  readonly modifiedMs: number;
  /** The file's identity as the check opened it (image-memo.ts trusts a later stat that shows the same). */
  readonly dev: number;
  readonly ino: number;
}

function refuse<C extends ProblemCode>(code: C, ...args: ReasonArgs<C>): Refusal {
  return { ok: false, problem: (docFile) => makeProblem(docFile, 'featuredImage.href', code, ...args) };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Where `file` really is, if that is a visible path inside `rootReal`; else why not. */
function placed(rootReal: string, file: string, real: string): Refusal | undefined {
  const inside = relative(rootReal, real);
  if (inside === '' || inside.startsWith('..') || inside.startsWith(sep) || real !== join(rootReal, inside)) {
    return refuse('imageFileUnsafe', file, 'is a link to a place outside the content folder');
  }
  if (inside.split(sep).some((segment) => segment.startsWith('.'))) return refuse('imageFileUnsafe', file, 'is a link to a hidden file');
  return undefined;
}

/** Type and size from the bytes (or their first part); a refusal when they are not a served image named for its type. */
function describe(file: string, head: Uint8Array): Omit<ImageFacts, 'bytes' | 'modifiedMs' | 'dev' | 'ino'> | Refusal | undefined {
  let size;
  try {
    size = imageSize(head);
  } catch {
    return undefined;
  }
  const mimeType = SNIFFED[size.type ?? ''];
  if (mimeType === undefined) return refuse('imageFileNotImage', file, size.type === 'svg' ? 'an SVG image, which is refused' : `${size.type ?? 'unknown'} data`);
  if (servedImageType(file) !== mimeType) return refuse('imageFileNameMismatch', file, mimeType);
  // EXIF orientations 5–8 turn the picture a quarter: shown, it is height × width.
  const turned = (size.orientation ?? 1) >= 5;
  const width = turned ? size.height : size.width;
  const height = turned ? size.width : size.height;
  if (!(width > 0 && height > 0)) return refuse('imageFileNotImage', file, 'an image without a size');
  return { ok: true, mimeType, width, height };
}

/**
 * Checks and measures `file` (relative to the content folder whose real path
 * is `rootReal`); with `whole`, also returns all its bytes. Sync, like the
 * rest of a load. With `folders`, the image is opened inside its folder's
 * remembered real path (RealFolders) instead of resolving its own.
 */
export function openImage(rootReal: string, file: string, maxBytes: number, whole = false, folders?: RealFolders): (ImageFacts & { data?: Uint8Array<ArrayBuffer> }) | Refusal {
  const opened = (folders === undefined ? undefined : openInRealFolder(rootReal, file, folders)) ?? openByRealPath(rootReal, file);
  if (!('fd' in opened)) return opened;
  const fd = opened.fd;
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) return refuse('imageFileUnsafe', file, 'is not a regular file');
    if (info.size > maxBytes) return refuse('imageFileTooLarge', file, info.size, maxBytes);
    const length = whole ? info.size : Math.min(info.size, HEADER_BYTES);
    let data = readExactly(fd, length);
    let facts = describe(file, data);
    if (facts === undefined && data.byteLength < info.size) {
      data = readExactly(fd, info.size);
      facts = describe(file, data);
    }
    if (facts === undefined) return refuse('imageFileNotImage', file, info.size === 0 ? 'an empty file' : 'data of no known image type');
    if (!facts.ok) return facts;
    return { ...facts, bytes: info.size, modifiedMs: info.mtimeMs, dev: info.dev, ino: info.ino, ...(whole ? { data } : {}) };
  } catch (error) {
    return refuse('imageFileUnsafe', file, `cannot be read (${message(error)})`);
  } finally {
    closeSync(fd);
  }
}

/** Why an image could not be opened: gone (or a folder on its path gone), or unreadable. */
function unopened(file: string, error: unknown): Refusal {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR' ? refuse('imageFileMissing', file) : refuse('imageFileUnsafe', file, `cannot be read (${message(error)})`);
}

/** `file` opened at its real path, once that path is known to be a visible one inside `rootReal`. */
function openByRealPath(rootReal: string, file: string): { readonly fd: number } | Refusal {
  let real: string;
  try {
    real = realpathSync.native(join(rootReal, ...file.split('/')));
  } catch (error) {
    return unopened(file, error);
  }
  const misplaced = placed(rootReal, file, real);
  if (misplaced) return misplaced;
  try {
    return { fd: openSync(real, READ_NEVER_WAITING) };
  } catch (error) {
    return refuse('imageFileUnsafe', file, `cannot be read (${message(error)})`);
  }
}

/**
 * Read-only, and an open that never waits: a FIFO named like an image would
 * block an open until something wrote to it (the load, or a request's thread,
 * stuck for good); with O_NONBLOCK it opens at once and is refused as no
 * regular file. Reads of a regular file are the same either way.
 */
const READ_NEVER_WAITING = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** Undefined where the platform has no O_NOFOLLOW: every image then takes `openByRealPath`. */
const NO_FOLLOW: number | undefined = constants.O_NOFOLLOW;

/**
 * `file` opened inside its folder's real path without following a link in
 * its own name: the same file `openByRealPath` opens when its name is not a
 * link, without resolving it. Undefined when it is a link (or the platform
 * cannot tell): `openByRealPath` resolves it and decides.
 */
function openInRealFolder(rootReal: string, file: string, folders: RealFolders): { readonly fd: number } | Refusal | undefined {
  if (NO_FOLLOW === undefined) return undefined;
  const slash = file.lastIndexOf('/');
  const folder = folders.real(slash < 0 ? rootReal : join(rootReal, ...file.slice(0, slash).split('/')));
  if (typeof folder !== 'string') return unopened(file, folder);
  const path = join(folder, file.slice(slash + 1));
  const misplaced = placed(rootReal, file, path);
  if (misplaced) return misplaced;
  try {
    return { fd: openSync(path, READ_NEVER_WAITING | NO_FOLLOW) };
  } catch (error) {
    // A link as the last name: ELOOP (Linux, macOS), EMLINK (FreeBSD).
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' || code === 'EMLINK') return undefined;
    return unopened(file, error);
  }
}

/**
 * The real paths of the folders images sit in (and of the content folder
 * itself), each resolved at most once a second: an image then needs
 * no realpath of its own, which lstat-ed every part of its path. Opening 45k
 * images took about half as long (0.55 against 0.95 s on a quiet machine), at
 * a load and again for an export's copy. A folder that cannot be resolved is
 * not remembered: the next image there tries again.
 */
export class RealFolders {
  readonly #resolved = new Map<string, { readonly real: string; readonly atMs: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The real path of `folder` (absolute), or why it has none. */
  real(folder: string): string | Error {
    const now = this.now();
    const known = this.#resolved.get(folder);
    if (known !== undefined && now - known.atMs <= FOLDER_REAL_PATH_MS) return known.real;
    let real: string;
    try {
      real = realpathSync.native(folder);
    } catch (error) {
      this.#resolved.delete(folder);
      return error instanceof Error ? error : new Error(String(error));
    }
    // Folders come and go in watch mode: a bound instead of eviction (a content folder has far fewer).
    if (this.#resolved.size >= MAX_REAL_FOLDERS) this.#resolved.clear();
    this.#resolved.set(folder, { real, atMs: now });
    return real;
  }
}

/** How long a folder's real path is trusted: a folder swapped for a link is seen within this. */
const FOLDER_REAL_PATH_MS = 1000;
const MAX_REAL_FOLDERS = 4096;

function readExactly(fd: number, length: number): Uint8Array<ArrayBuffer> {
  const data = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const read = readSync(fd, data, done, length - done, done);
    if (read === 0) break;
    done += read;
  }
  return done === length ? data : data.slice(0, done);
}

/**
 * `openImage` through the memo: a hit (same file, unchanged, within the size
 * limit) is not opened; a full check that passes is remembered.
 */
function checkImage(root: string, rootReal: () => string | undefined, file: string, maxBytes: number, memo: ImageMemo, folders: RealFolders): ImageFacts | Refusal {
  const path = imagePath(root, file);
  const known = memo.lookup(file, path);
  if (known !== undefined && known.bytes <= maxBytes) return { ok: true, mimeType: known.mimeType, width: known.width, height: known.height, bytes: known.bytes, modifiedMs: known.modifiedMs, dev: known.dev, ino: known.ino };
  const checkedMs = Date.now();
  const real = rootReal();
  const facts = real === undefined ? refuse('imageFileMissing', file) : openImage(real, file, maxBytes, false, folders);
  if (facts.ok) memo.remember(file, facts, checkedMs);
  return facts;
}

function realRoot(root: string): string | undefined {
  try {
    return realpathSync.native(root);
  } catch {
    return undefined;
  }
}

/**
 * Measures the local images of documents as they are built (ContentStore):
 * the fields come back with the image's true type, size and length, or
 * without the image and with the problem to report.
 */
export class MediaLibrary {
  constructor(
    private readonly root: string,
    private readonly site: SiteConfig,
    /** Facts of images a stat proves unchanged (image-memo.ts): those are not opened again. */
    private readonly memo: ImageMemo = ImageMemo.inMemory(),
  ) {}

  /** The content folder's and the images' folders' real paths, each resolved once a second at most. */
  private readonly folders = new RealFolders();

  private rootReal(): string | undefined {
    const real = this.folders.real(this.root);
    return typeof real === 'string' ? real : undefined;
  }

  measure(fields: DocumentFields): { readonly fields: DocumentFields; readonly problem?: Problem } {
    const image = fields.image;
    if (image?.file === undefined) return { fields };
    const facts = checkImage(this.root, () => this.rootReal(), image.file, this.site.maxImageBytes, this.memo, this.folders);
    if (!facts.ok) return { fields: withFields(fields, { image: undefined }), problem: facts.problem(fields.file) };
    const measured: FeedImage = { url: image.url, alt: image.alt, mimeType: facts.mimeType, file: image.file, width: facts.width, height: facts.height, bytes: facts.bytes };
    return { fields: withFields(fields, { image: measured }) };
  }

  /** Whether a changed path may be an image some document shows (watch mode re-measures those documents). */
  static mayBeImage(file: string): boolean {
    return servedImageType(file) !== undefined;
  }
}

/**
 * The site icon: SITE_ICON_FILE (a PNG, at most 1 MiB) or the built-in one.
 * A file that is missing or not a PNG stops the start, like a bad setting.
 */
export function loadSiteIcon(site: SiteConfig): SiteIcon {
  const path = site.siteIconFile;
  if (path === undefined) return DEFAULT_SITE_ICON;
  try {
    const info = statSync(path);
    if (!info.isFile() || info.size > 1024 * 1024) throw new Error('must be a file of at most 1 MiB');
    const png = new Uint8Array(readFileSync(path));
    const size = imageSize(png);
    if (size.type !== 'png') throw new Error(`must be a PNG image (got ${size.type ?? 'unknown'})`);
    return { png, width: size.width, height: size.height, modifiedMs: info.mtimeMs };
  } catch (error) {
    throw new ConfigError([`SITE_ICON_FILE ${JSON.stringify(path)}: ${message(error)}`]);
  }
}

/**
 * Static files on the Node server: the icon from memory, a local image read
 * (and checked again) for each 200, so the bytes and the ETag always agree
 * with the file on disk. A revalidation (or a HEAD) of an image whose stat
 * shows the device, inode, size, mtime and ctime of the last full read is
 * answered from that read's validators, without resolving, opening or
 * reading the file (a 200 KB image cost all three and a SHA-256 per 304).
 * Which images exist at all is the catalog's decision.
 */
export class NodeStaticFiles implements StaticFileSource {
  private readonly icons: { readonly ico: Representation; readonly png: Representation };
  /** The last full read of each image, by its path in the content folder; only the catalog's images are ever asked for. */
  readonly #served = new Map<string, ServedImage>();

  constructor(
    private readonly root: string,
    private readonly site: SiteConfig,
    icon: SiteIcon = loadSiteIcon(site),
  ) {
    this.icons = iconRepresentations(icon);
  }

  async get(request: StaticFileRequest): Promise<Representation | undefined> {
    if (request.path === pathOf('favicon')) return this.icons.ico;
    if (request.path === pathOf('appleTouchIcon')) return this.icons.png;
    const file = request.file;
    if (file === undefined) return undefined;
    const known = this.#served.get(file);
    if (known !== undefined && request.answeredByValidators !== undefined) {
      // One stat, following links as an open would: the same device and inode is the file that
      // was checked in full (inside the content folder, a served image), and the same ctime says
      // nothing wrote to it since.
      let info: Stats | undefined;
      try {
        info = await stat(imagePath(this.root, file));
      } catch {
        info = undefined;
      }
      if (info !== undefined && sameServedFile(known, info)) {
        const validators = { etag: known.etag, lastModifiedMs: info.mtimeMs, lastModified: httpDate(info.mtimeMs) };
        if (request.answeredByValidators(validators)) {
          // Never asked for in a 304 or a HEAD; read and checked in full if it is.
          const maxBytes = this.site.maxImageBytes;
          const body = async (): Promise<ReadableStream<Uint8Array> | null> => {
            const image = await readImage(this.root, file, maxBytes);
            return image === undefined ? null : new Blob([image.data]).stream();
          };
          const size = info.size;
          return { ...validators, contentType: known.mimeType, cacheControl: MEDIA_CACHE_CONTROL, body, byteLength: () => size };
        }
      }
    }
    this.#served.delete(file);
    const opened = await openServedImage(this.root, file, this.site.maxImageBytes);
    if (opened === undefined) return undefined;
    const { handle, info } = opened;
    try {
      const checkedMs = Date.now();
      const image = await readOpenedImage(file, handle, info);
      if (image === undefined) return undefined;
      const etag = imageEtag(image.data);
      this.#served.set(file, { dev: info.dev, ino: info.ino, size: info.size, mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs, checkedMs, etag, mimeType: image.mimeType });
      // Oldest first: a bound for a site whose images keep changing names.
      if (this.#served.size > SERVED_IMAGES_KEPT) this.#served.delete(this.#served.keys().next().value!);
      const data = image.data;
      return { etag, lastModifiedMs: info.mtimeMs, lastModified: httpDate(info.mtimeMs), contentType: image.mimeType, cacheControl: MEDIA_CACHE_CONTROL, body: () => data, byteLength: () => data.byteLength };
    } finally {
      await handle.close();
    }
  }
}

/** Images whose last full read `NodeStaticFiles` keeps (about 150 bytes each). */
const SERVED_IMAGES_KEPT = 100_000;

/** What a request's full read of an image found, and the identity of the file it read. */
interface ServedImage {
  readonly dev: number;
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  /** When that read began: a change within the racy margin after it may leave the stat unchanged. */
  readonly checkedMs: number;
  readonly etag: string;
  readonly mimeType: string;
}

/**
 * Whether a stat shows the file read then: the same identity, and a change time the read came
 * well after (the racy-timestamp rule of parse-tasks.ts `knownByStat`; the ctime is never older
 * than the mtime, so it covers both).
 */
function sameServedFile(known: ServedImage, info: Stats): boolean {
  return (
    known.dev === info.dev &&
    known.ino === info.ino &&
    known.size === info.size &&
    known.mtimeMs === info.mtimeMs &&
    known.ctimeMs === info.ctimeMs &&
    info.ctimeMs < known.checkedMs - RACY_MARGIN_MS
  );
}

/** The image `file` opened where it really is, if that is inside the content folder and a regular file within `maxBytes`; the caller closes it. */
async function openServedImage(root: string, file: string, maxBytes: number): Promise<{ handle: FileHandle; info: Stats } | undefined> {
  let rootReal: string;
  let real: string;
  try {
    rootReal = await realpath(root);
    real = await realpath(join(rootReal, ...file.split('/')));
  } catch {
    return undefined;
  }
  if (placed(rootReal, file, real)) return undefined;
  let handle;
  try {
    handle = await open(real, READ_NEVER_WAITING);
  } catch {
    return undefined;
  }
  try {
    const info = await handle.stat();
    if (info.isFile() && info.size <= maxBytes) return { handle, info };
  } catch {
    // closed below
  }
  await handle.close();
  return undefined;
}

/** The whole bytes of an opened image and their type, if they are a served image of the type its name says. */
async function readOpenedImage(file: string, handle: FileHandle, info: Stats): Promise<{ data: Uint8Array<ArrayBuffer>; mimeType: string } | undefined> {
  try {
    const data = new Uint8Array(info.size);
    let done = 0;
    while (done < data.byteLength) {
      const { bytesRead } = await handle.read(data, done, data.byteLength - done, done);
      if (bytesRead === 0) return undefined;
      done += bytesRead;
    }
    const facts = describe(file, data);
    return facts?.ok ? { data, mimeType: facts.mimeType } : undefined;
  } catch {
    return undefined;
  }
}

/** `openImage` with non-blocking reads, for requests. */
async function readImage(root: string, file: string, maxBytes: number): Promise<{ data: Uint8Array<ArrayBuffer>; mimeType: string } | undefined> {
  const opened = await openServedImage(root, file, maxBytes);
  if (opened === undefined) return undefined;
  try {
    return await readOpenedImage(file, opened.handle, opened.info);
  } finally {
    await opened.handle.close();
  }
}

/** One static file a build or an export writes: its URL path, its bytes, and what the Worker records about it. */
export interface StaticFileOutput {
  readonly path: string;
  /** Where it goes in a static export or the Worker's assets: the URL path decoded, without its leading slash. */
  readonly outFile: string;
  /**
   * Read on use (an incremental build or export that keeps the file never reads it), and not kept
   * after: a site's images are never all in memory at once. Each read may read the file again.
   */
  readonly bytes: Uint8Array;
  readonly entry: StaticFileEntry;
}

/**
 * Image bytes that `collectStaticFiles` keeps from the read that hashed them, until each is
 * written; past this, an image is read again when it is written. Without a bound a cold export
 * held every image of the site at once (1 MB images: 214 MB more peak memory for 181 of them).
 */
export const STATIC_BYTES_HELD = 32 * 1024 * 1024;

/**
 * Every static file of a snapshot, for build:content and export: the two icon
 * files, then each local image that a served document shows (read whole and
 * checked again; one that changed into something unservable since the load is
 * left out and logged). `heldBytes`: see STATIC_BYTES_HELD (tests lower it).
 */
export function collectStaticFiles(
  site: SiteConfig,
  contentDir: string,
  documents: Iterable<{ readonly image?: FeedImage | undefined }>,
  memo: ImageMemo = ImageMemo.inMemory(),
  heldBytes = STATIC_BYTES_HELD,
): StaticFileOutput[] {
  const icons = iconRepresentations(loadSiteIcon(site));
  const out: StaticFileOutput[] = [];
  for (const [name, representation] of [['favicon', icons.ico], ['appleTouchIcon', icons.png]] as const) {
    const path = pathOf(name);
    const bytes = representation.body() as Uint8Array;
    out.push({ path, outFile: path.slice(1), bytes, entry: { file: path.slice(1), contentType: representation.contentType, etag: representation.etag, lastModifiedMs: representation.lastModifiedMs, cacheControl: representation.cacheControl } });
  }
  const rootReal = realRoot(contentDir);
  if (!site.localMedia || rootReal === undefined) return out;
  const seen = new Set<string>();
  const folders = new RealFolders();
  let held = 0;
  for (const document of documents) {
    const file = document.image?.file;
    if (file === undefined || seen.has(file)) continue;
    seen.add(file);
    const path = mediaPath(file);
    // The asset is fetched by its URL path, still percent-encoded; written under its decoded name.
    const urlFile = path.slice(1);
    const outFile = urlFile.includes('%') ? urlFile.split('/').map(decodeURIComponent).join('/') : urlFile;
    // The load measured this image a moment ago through the same memo: no second stat.
    const known = memo.lookupOnce(file, contentDir);
    if (known?.etag !== undefined && known.bytes <= site.maxImageBytes) {
      out.push(new ImageFile(path, outFile, mediaEntry(urlFile, known.mimeType, known.etag, known.modifiedMs), rootReal, folders, file, site.maxImageBytes));
      continue;
    }
    const checkedMs = Date.now();
    const image = openImage(rootReal, file, site.maxImageBytes, true, folders);
    if (!image.ok || image.data === undefined) {
      console.warn(`static files: ${file} is no longer a servable image; not copied`);
      continue;
    }
    const etag = imageEtag(image.data);
    memo.remember(file, image, checkedMs, etag);
    const fits = held + image.data.byteLength <= heldBytes;
    if (fits) held += image.data.byteLength;
    out.push(new ImageFile(path, outFile, mediaEntry(urlFile, image.mimeType, etag, image.modifiedMs), rootReal, folders, file, site.maxImageBytes, fits ? image.data : undefined));
  }
  return out;
}

function mediaEntry(urlFile: string, contentType: string, etag: string, lastModifiedMs: number): StaticFileEntry {
  return { file: urlFile, contentType, etag, lastModifiedMs, cacheControl: MEDIA_CACHE_CONTROL };
}

/**
 * An image whose ETag is known (from the memo, or from the read that hashed it): its bytes are
 * read (and checked against the ETag) when asked for, unless that read's bytes are still held;
 * those are handed over once and let go. No closure each: 45k at 50k documents.
 */
class ImageFile implements StaticFileOutput {
  #held: Uint8Array | undefined;
  constructor(
    readonly path: string,
    readonly outFile: string,
    readonly entry: StaticFileEntry,
    private readonly rootReal: string,
    private readonly folders: RealFolders,
    private readonly file: string,
    private readonly maxBytes: number,
    held?: Uint8Array,
  ) {
    this.#held = held;
  }

  get bytes(): Uint8Array {
    const held = this.#held;
    this.#held = undefined;
    return held ?? readKnownImage(this.rootReal, this.folders, this.file, this.maxBytes, this.entry.etag);
  }
}

/** The bytes of an image whose ETag is known, read and checked in full again; throws if they changed since (the run is repeated). */
function readKnownImage(rootReal: string, folders: RealFolders, file: string, maxBytes: number, etag: string): Uint8Array {
  const image = openImage(rootReal, file, maxBytes, true, folders);
  if (!image.ok || image.data === undefined || imageEtag(image.data) !== etag) throw new Error(`static files: ${file} changed during the run; run it again`);
  return image.data;
}

/** The bytes' ETag (static-files.ts bytesEtag), hashed natively. */
function imageEtag(bytes: Uint8Array): string {
  return etagOfSha256(createHash('sha256').update(bytes).digest());
}
