/**
 * Static files the site serves besides its feeds: the images beside the
 * documents (under MEDIA_PATH) and the site icon (/favicon.ico,
 * /apple-touch-icon.png). Pure: the bytes come from a StaticFileSource that
 * each runtime provides (Node reads the content folder, src/ingest/media.ts;
 * the Worker fetches its static assets), and the built-in icon is here as bytes.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { httpDate } from '../topics/validators.ts';
import type { Validators } from '../topics/validators.ts';
import { ICON_CACHE_CONTROL } from './cache-policy.ts';
import type { Representation } from './representation.ts';

export const PNG_TYPE = 'image/png';
export const ICO_TYPE = 'image/x-icon';

/** Where the catalog asks for a static file: its canonical URL path, and for an image its path in the content folder. */
export interface StaticFileRequest {
  readonly path: string;
  readonly file?: string;
  /**
   * True when the response under these validators needs no body (the request's 304, or a HEAD):
   * a source that can prove its validators without the bytes (media.ts) may then skip reading them.
   */
  readonly answeredByValidators?: (validators: Validators) => boolean;
}

/** Bytes and validators of static files, by canonical URL path; undefined when there is no such file. */
export interface StaticFileSource {
  get(request: StaticFileRequest): Promise<Representation | undefined> | Representation | undefined;
}

/** What a build records per static file so a runtime without the files' bytes at hand can answer 304s. */
export interface StaticFileEntry {
  /** The asset's URL path without its leading slash, percent-encoded as in the URL (its file name is that path decoded). */
  readonly file: string;
  readonly contentType: string;
  readonly etag: string;
  readonly lastModifiedMs: number;
  readonly cacheControl: string;
}

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Strong ETag from the bytes alone (128 bits of their SHA-256): the same on Node, the Worker and any build. */
export function bytesEtag(bytes: Uint8Array): string {
  return etagOfSha256(sha256(bytes));
}

/** `bytesEtag` from a SHA-256 digest made elsewhere (Node's native hash, several times faster on big images). */
export function etagOfSha256(digest: Uint8Array): string {
  let out = '';
  for (let i = 0; i < 15; i += 3) {
    const n = ((digest[i] ?? 0) << 16) | ((digest[i + 1] ?? 0) << 8) | (digest[i + 2] ?? 0);
    out += BASE64URL[(n >> 18) & 63]! + BASE64URL[(n >> 12) & 63]! + BASE64URL[(n >> 6) & 63]! + BASE64URL[n & 63]!;
  }
  return `"${out}"`;
}

/** A representation of bytes at hand. */
export function bytesRepresentation(bytes: Uint8Array<ArrayBuffer>, contentType: string, lastModifiedMs: number, cacheControl: string): Representation {
  return {
    etag: bytesEtag(bytes),
    lastModifiedMs,
    lastModified: httpDate(lastModifiedMs),
    contentType,
    cacheControl,
    body: () => bytes,
    byteLength: () => bytes.byteLength,
  };
}

/** A representation whose validators were recorded by a build and whose bytes are fetched on a 200. */
export function entryRepresentation(entry: StaticFileEntry, fetchBody: () => Promise<ReadableStream<Uint8Array> | null>): Representation {
  return {
    etag: entry.etag,
    lastModifiedMs: entry.lastModifiedMs,
    lastModified: httpDate(entry.lastModifiedMs),
    contentType: entry.contentType,
    cacheControl: entry.cacheControl,
    body: fetchBody,
  };
}

/**
 * An ICO file holding one PNG image (Windows Vista+ and every browser read
 * PNG-in-ICO). Width and height 256 or more are written as 0, as ICO says.
 */
export function icoFromPng(png: Uint8Array, width: number, height: number): Uint8Array<ArrayBuffer> {
  const header = 6 + 16;
  const ico = new Uint8Array(header + png.byteLength);
  const view = new DataView(ico.buffer);
  view.setUint16(0, 0, true); // reserved
  view.setUint16(2, 1, true); // type: icon
  view.setUint16(4, 1, true); // one image
  view.setUint8(6, width >= 256 ? 0 : width);
  view.setUint8(7, height >= 256 ? 0 : height);
  view.setUint8(8, 0); // no palette
  view.setUint8(9, 0); // reserved
  view.setUint16(10, 1, true); // colour planes
  view.setUint16(12, 32, true); // bits per pixel
  view.setUint32(14, png.byteLength, true);
  view.setUint32(18, header, true);
  ico.set(png, header);
  return ico;
}

/** The site icon: one square PNG, served as itself and wrapped in an ICO. */
export interface SiteIcon {
  readonly png: Uint8Array<ArrayBuffer>;
  readonly width: number;
  readonly height: number;
  readonly modifiedMs: number;
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * The built-in icon (180×180 PNG, a feed symbol with a plus on teal), used
 * when SITE_ICON_FILE is unset. Its date is fixed so every runtime sends the
 * same Last-Modified.
 */
export const DEFAULT_SITE_ICON: SiteIcon = {
  png: fromBase64('iVBORw0KGgoAAAANSUhEUgAAALQAAAC0BAMAAADP4xsBAAAAMFBMVEULbmn////L4N/1+fnb6ukVdG8rgX1MlZKny8lhop4+jIiMu7ns9PO92NdyrKn6/f1J7YCVAAAACXBIWXMAAAsTAAALEwEAmpwYAAAEt0lEQVR42u1aPWhTURiNpkma1BReErW16U+QdimCkSKiS0J0cdBna1ERS6xbrZAiSgTBFIeiIsTBRRRSdCmItoOoQ6EdrIIiFnEqSDMIgggGKlJwsLHm5f58Ny/fzc2g3jPel5zc993v55zbOhwaGhoaGhoaGn8lhrbv+lQfZnfEMALJulD3G2vorgt1vkjdURfqSJE6UBfqaJE6WBdq4zf+dep0Ivhm/44bzy8qpx42SlhZumOqpPZEDQIr15LqqM8YNMIfk6qoIwaL0FNTCbXHAPAqpYK6EaI2wtcVUDcYMA6ZNVM7BdTGnlzdqI1Alhwu/HPbcdMgpDZCWXK4AL+dlDlGhrsfft4tkXwsdx5+3IEuGfKdc5U+E0AWOo2WpDVceARR7YnDPlOemmiqIA7KB6Q4CipyP5E+xiJcgyOXvtw8LEiTlGTykT8wNTsPMbSZciXDaLrPcYCjR67QOfKvfDoEs4rEwrGrfHabinSI6x4QElUS5yx7nOGcMvV0gj3NVXXCzLPIcC+r03wsd4tCOelhyiSjUKl66Hi3mwpF8Em6eD6o1Nfn6JZhqpTud9ltq6N2U2nSrtQmNUfpJFFp7h7Qua3SkrrGqZJUaqSbCwR1q1r7f5mcCTmllxZusigX6nBRQZSNQrjI5J7GfTed+LlmdsVu9Dh5kCjmkjAL994WfIJIwCAmPUg52XvBVt5jkpoSwcEJu223Ye98yngNGa9TxAdS1cejkvGykoT4/QNVUzdWMF5lHJWJCGDuQst8SRKaJ+eowZKG+HhekYiIU2yOqAYoERHY7b6tkH9VV43A7fZUOMhMLVcta1XPhttdLtpt8hdEcETzCE9n43bZkPjLj7JSl3G8WgdSO4a/QqTxUhiRVsQogB14ShSREKL7DY5MPeOd4aowR7IOHB69Z7kZhhl8sK3WmWZO9Ieoarbih/cQneRBOkm8pGZFw0ebo72i6srVzB2mO9EYuo1UMEddgvT7LmeOCsJO4kPd39ipdbpsFmWKRqTWFwTBzjlqVusBwUjKyFE7znO2n8vsOUlqHyENXlCxmq+hHtcxyt4ocG2kRdpkzAty5LRVTNL24L4Bdzm/hKpka7IAjxSvrPMApxVVHa6odMuGlE8WrMctmIybTfQtWUXmisPBviXRRbxxWls/hkfKAD77Sne9lgFvgmvdSpFw1dQPWfVRLjyqFZXFcBKdbJ0pNqpUnrnRgmGUb6N+uBXFsb0vwrdRH3yO48jE9kLCJgImQx45HinXEWNHStCEGlSVAn6SpC59ZyPYijYh5eoM5AeawRTxI40Ye1O4ntkFSI00IcUZJWtCXDJshk48hPi3D+6PZmNQWK2c7KyFegAKqwtZ6XBA/GCDmseNMPAYyycWBgs3K598RKmbUKVPy5cMcQQ5aBvT8oUuePc8rvV5Yd8FvrvVx99JN1Xy3TOQEO6SHgWiDU4iGzYwwEiWLqirxmTHrj31nKxYEG7wCFq9sxJHyGIt7pQUZjTLN2JxA7SIhhPaoBO/60pFGrNblFfCGbtFvDeAWrOnZstB1n/AfhGNP3eAu+0X8RGJAldn4CIew9A9JbiIRzrRN1HdooaGhoaGhoaGhsZ/iF9vfJK/n3Z/5wAAAABJRU5ErkJggg=='),
  width: 180,
  height: 180,
  modifiedMs: Date.UTC(2026, 0, 1),
};

/** The two icon files of `icon`: the ICO for /favicon.ico, the PNG for /apple-touch-icon.png. */
export function iconRepresentations(icon: SiteIcon): { readonly ico: Representation; readonly png: Representation } {
  return {
    ico: bytesRepresentation(icoFromPng(icon.png, icon.width, icon.height), ICO_TYPE, icon.modifiedMs, ICON_CACHE_CONTROL),
    png: bytesRepresentation(icon.png, PNG_TYPE, icon.modifiedMs, ICON_CACHE_CONTROL),
  };
}
