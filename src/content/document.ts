/**
 * The normalized document: what every renderer, the topic index and the Worker
 * bundle share. It is plain JSON data (no Date objects) so it survives the
 * build-content bundle unchanged.
 */

declare const safeHtmlBrand: unique symbol;
/** HTML that went through the one sanitize call (src/content/sanitize.ts). */
export type SafeHtml = string & { readonly [safeHtmlBrand]: true };

export interface DocumentTopic {
  /** URL-safe slug, from `categoryUrl[i]` without `topic/` (see content/topic-slug.ts). */
  readonly slug: string;
  /** `categories[i]`, e.g. "Healthcare IT News: Cybersecurity". */
  readonly name: string;
  /** `categoryLabel[i]`, e.g. "Cybersecurity". */
  readonly label: string;
  /** Optional `categoryDescription[i]`: a sentence about the topic, used as its feed description. */
  readonly description?: string;
}

export interface FeedImage {
  /** Absolute http(s) URL. */
  readonly url: string;
  readonly alt: string;
  /** The type read from the file (local images), else from `format` or the extension. */
  readonly mimeType: string;
  /**
   * Local images only (MEDIA_BASE_URL is this site's media path): the file's
   * path relative to the content folder, `/`-separated. Served at `url`.
   */
  readonly file?: string;
  /** Measured from the file on Node at load (never from the front matter's `size`): pixels as displayed. */
  readonly width?: number;
  readonly height?: number;
  /** File size in bytes. */
  readonly bytes?: number;
}

export interface RelatedLink {
  readonly label: string;
  /** Absolute http(s) URL. */
  readonly url: string;
}

export interface FeedDocument {
  /** Front matter `id`, else `slug`; stable and unique, the same in every format. */
  readonly id: string;
  readonly slug: string;
  /** Path of the source file relative to the content folder, for reports. */
  readonly file: string;
  /** Plain text. */
  readonly title: string;
  /** `SITE_URL + basePath + slug + '/'`. */
  readonly permalink: string;
  /** The original article (`link.href`), absolute http(s). */
  readonly externalUrl?: string;
  /** `link.brand`, the original publisher. */
  readonly publisher?: string;
  /** `date` at 00:00 UTC, epoch milliseconds. */
  readonly publishedMs: number;
  /** `lastMod`, epoch milliseconds (sub-millisecond digits live in `lastMod`). */
  readonly updatedMs: number;
  /** The raw `lastMod` string (or `date` when missing): validators are keyed on it. */
  readonly lastMod: string;
  /** Plain text; a description cut mid-word ends at a word boundary with "…". */
  readonly summary?: string;
  /** Sanitized body with absolute URLs, followed by the "Related" list. */
  readonly contentHtml: SafeHtml;
  readonly image?: FeedImage;
  readonly authors: readonly string[];
  readonly tags: readonly string[];
  readonly topics: readonly DocumentTopic[];
  readonly related: readonly RelatedLink[];
  readonly via?: { readonly label: string; readonly url?: string };
  readonly aliases: readonly string[];
  /** Fingerprint of the source text; part of the validators (see content/revision.ts). */
  readonly revision?: string;
}

/** One report line for a document that was skipped or repaired. */
export interface Problem {
  readonly file: string;
  /** Front-matter path such as `categoryUrl[1]`, or `file`, `yaml`, `body`. */
  readonly field: string;
  readonly reason: string;
  /** `skipped`: the document is not served. `repaired`: served with a safe fix. */
  readonly action: 'skipped' | 'repaired';
}

export interface LoadResult {
  readonly documents: readonly FeedDocument[];
  readonly problems: readonly Problem[];
}

/** Raw input to the pure loader; the runtime reads files, the core never does. */
export interface ContentSource {
  /** Path relative to the content folder, with `/` separators. */
  readonly file: string;
  readonly contents: string | Uint8Array;
}
