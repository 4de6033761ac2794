/** `featuredImage` -> an absolute http(s) image with a known media type, or none. */
import type { SiteConfig } from '../config/config.ts';
import type { FeedImage } from './document.ts';
import { field, isAbsent, isMap, scalarText } from './fields.ts';
import type { ProblemLog } from './problems.ts';
import { describeValue } from './problems.ts';
import { resolveUrl } from './urls.ts';

const BY_FORMAT: Readonly<Record<string, string>> = {
  JPEG: 'image/jpeg',
  JPG: 'image/jpeg',
  PNG: 'image/png',
  GIF: 'image/gif',
  WEBP: 'image/webp',
  SVG: 'image/svg+xml',
  AVIF: 'image/avif',
};

/**
 * What a local image may be, by extension: raster types only. SVG can carry
 * script and is refused rather than sanitized.
 */
const SERVED_BY_EXTENSION: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
};

/** The media type a served image file of this name has, or undefined when such a file is never served. */
export function servedImageType(file: string): string | undefined {
  const extension = /\.([a-z0-9]+)$/i.exec(file)?.[1]?.toLowerCase();
  return extension === undefined || !Object.hasOwn(SERVED_BY_EXTENSION, extension) ? undefined : SERVED_BY_EXTENSION[extension];
}

/**
 * A relative path that stays inside the content folder, `/`-separated, or
 * undefined: no `..` above the root, no empty or hidden (`.`) segment, no
 * backslash or control character. Used for references and for request paths.
 */
export function contentRelativePath(segments: readonly string[]): string | undefined {
  const out: string[] = [];
  for (const segment of segments) {
    if (segment === '.' || segment === '') continue;
    if (segment === '..') {
      if (out.length === 0) return undefined;
      out.pop();
      continue;
    }
    if (segment.startsWith('.') || /[\\\u0000-\u001f\u007f]/.test(segment)) return undefined;
    out.push(segment);
  }
  return out.length === 0 ? undefined : out.join('/');
}

/** A relative `href` (a file name, maybe with folders) beside the document `docFile`; undefined when it is a URL or a site path. */
function localReference(href: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:/i.test(href) && !href.startsWith('/') && !href.startsWith('\\') && !/[?#]/.test(href);
}

/** `file` as a URL path below the media base: each segment percent-encoded. */
export function mediaUrlPath(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

function localImage(href: string, alt: string, docFile: string, site: SiteConfig, log: ProblemLog): FeedImage | undefined {
  const folder = docFile.split('/').slice(0, -1);
  const relative = contentRelativePath([...folder, ...href.split('/')]);
  // No `..` at all, even one that would stay inside: a reference names a file beside the document or below it.
  if (relative === undefined || href.split('/').includes('..')) {
    log.add('featuredImage.href', 'imageOutsideContent', href);
    return undefined;
  }
  const mimeType = servedImageType(relative);
  if (mimeType === undefined) {
    log.add('featuredImage.href', 'imageFileNotImage', relative, `a file named ${JSON.stringify(relative.split('/').at(-1))}`);
    return undefined;
  }
  return { url: `${site.mediaBaseUrl}${mediaUrlPath(relative)}`, alt, mimeType, file: relative };
}

function mimeFromPath(url: string): string | undefined {
  const extension = /\.([a-z0-9]+)$/i.exec(new URL(url).pathname)?.[1]?.toUpperCase();
  return extension === undefined ? undefined : BY_FORMAT[extension];
}

export function normalizeImage(raw: unknown, title: string, site: SiteConfig, log: ProblemLog): FeedImage | undefined {
  if (isAbsent(raw)) return undefined;
  if (!isMap(raw)) {
    log.add('featuredImage', 'imageNotMap', describeValue(raw));
    return undefined;
  }
  if (field(raw, 'valid') === false) {
    log.add('featuredImage.valid', 'imageNotValid');
    return undefined;
  }
  const href = scalarText(field(raw, 'href'));
  if (href === undefined) {
    log.add('featuredImage.href', 'imageNoHref');
    return undefined;
  }
  const alt = scalarText(field(raw, 'alt')) ?? title;
  // The measured facts (width, height, bytes, the true type) are added on Node at load (src/ingest/media.ts).
  if (site.localMedia && localReference(href)) return localImage(href, alt, log.file, site, log);
  const url = resolveUrl(href, site.mediaBaseUrl);
  if (url === undefined) {
    log.add('featuredImage.href', 'imageUrlInvalid', href);
    return undefined;
  }
  const format = scalarText(field(raw, 'format'))?.toUpperCase();
  const mimeType = (format === undefined ? undefined : BY_FORMAT[format]) ?? mimeFromPath(url);
  if (mimeType === undefined) {
    log.add('featuredImage.format', 'imageTypeUnknown');
    return undefined;
  }
  return { url, alt, mimeType };
}
