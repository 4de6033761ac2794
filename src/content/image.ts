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
  return { url, alt: scalarText(field(raw, 'alt')) ?? title, mimeType };
}
