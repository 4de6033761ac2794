import { sha256 } from '@noble/hashes/sha2.js';
import type { FeedDocument } from '../content/document.ts';
import { newestUpdate } from './topic-index.ts';

export interface Validators {
  /** Strong entity tag, quoted. */
  readonly etag: string;
  readonly lastModifiedMs: number;
  /** IMF-fixdate, second precision. */
  readonly lastModified: string;
}

const encoder = new TextEncoder();
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

type TextDigest = (text: string) => Uint8Array;

let sha256OfText: TextDigest = (text) => sha256(encoder.encode(text));

/**
 * Swaps the pure-JS SHA-256 (any runtime) for a runtime's native one, which
 * gives the same digests of a text's UTF-8: a Node shell installs
 * node:crypto's (src/node/native-digest.ts). At 50k documents the export's
 * ~500k window digests took 0.4 s in JS.
 */
export function useSha256(digest: TextDigest): void {
  sha256OfText = digest;
}

/** The pure-JS SHA-256 again (tests). */
export function usePureSha256(): void {
  sha256OfText = (text) => sha256(encoder.encode(text));
}

/** 96 bits of a SHA-256 as 16 base64url characters: collision-safe, short on the wire. */
export function shortHash(parts: readonly string[]): string {
  const digest = sha256OfText(parts.join('\u0000'));
  let out = '';
  for (let i = 0; i < 12; i += 3) {
    const n = ((digest[i] ?? 0) << 16) | ((digest[i + 1] ?? 0) << 8) | (digest[i + 2] ?? 0);
    out += BASE64URL[(n >> 18) & 63]! + BASE64URL[(n >> 12) & 63]! + BASE64URL[(n >> 6) & 63]! + BASE64URL[n & 63]!;
  }
  return out;
}

export function httpDate(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toUTCString();
}

/**
 * What a document contributes to a tag: its id, raw lastMod and source
 * revision, its published instant (the first-seen ledger's, which can
 * differ for the same lastMod: a ledger started again, or a build without it)
 * and its image facts, as one JSON text (unambiguous, and hashed as part of
 * each window instead of alone: at 50k documents a digest per document was
 * 0.25 s of every export). Made once per document object (documents are
 * immutable; an edit makes a new one).
 */
export function documentFingerprint(parts: string[], document: FeedDocument): void {
  let fingerprint = fingerprints.get(document);
  if (fingerprint === undefined) {
    fingerprint = JSON.stringify([document.id, document.lastMod, document.revision ?? '', document.publishedMs, imageFacts(document)]);
    fingerprints.set(document, fingerprint);
  }
  parts.push(fingerprint);
}

const fingerprints = new WeakMap<FeedDocument, string>();

/** A digest of a window's documents (`documentFingerprint`), in order: what `windowValidators` tags. */
export function windowDigest(window: readonly FeedDocument[]): string {
  const parts: string[] = [];
  for (const document of window) documentFingerprint(parts, document);
  return shortHash(parts);
}

/** The measured image facts a feed shows: an image replaced beside an unchanged document changes the tag. */
function imageFacts(document: FeedDocument): string {
  const image = document.image;
  return image === undefined ? '' : `${image.mimeType} ${image.width ?? ''}x${image.height ?? ''} ${image.bytes ?? ''}`;
}

/**
 * Validators for a feed window, computed from the documents' fields only
 * (`documentFingerprint`), so a 304 never needs a render. The route and the
 * stamp are part of the tag: an item leaving the window, or a config change,
 * changes it too. `digest`: the window's `windowDigest`, when the caller
 * already has it (an archive page's three formats share one).
 */
export function windowValidators(key: string, stamp: string, window: readonly FeedDocument[], digest = windowDigest(window)): Validators {
  const lastModifiedMs = newestUpdate(window)?.updatedMs ?? 0;
  return { etag: `"${shortHash([key, stamp, digest])}"`, lastModifiedMs, lastModified: httpDate(lastModifiedMs) };
}

/** Validators for a representation whose bytes are already known (pages, topics.json). */
export function contentValidators(key: string, stamp: string, fingerprint: readonly string[], lastModifiedMs: number): Validators {
  return {
    // The date is part of the tag: OPML's dateModified and the pages print it, so it is part of the bytes.
    etag: `"${shortHash([key, stamp, String(lastModifiedMs), ...fingerprint])}"`,
    lastModifiedMs,
    lastModified: httpDate(lastModifiedMs),
  };
}
