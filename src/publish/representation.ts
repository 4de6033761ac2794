import { asParts, joinParts, utf8 } from '../feeds/bytes.ts';
import type { ByteParts } from '../feeds/bytes.ts';
import type { Validators } from '../topics/validators.ts';

/**
 * One servable response body with its validators. Validators are known up
 * front; the bytes are rendered on first use and then kept, so a request never
 * renders twice and a 304 never renders at all.
 */
export interface Representation extends Validators {
  readonly contentType: string;
  readonly cacheControl: string;
  /** Rendered bytes, or a stream of prebuilt bytes (Worker static assets). */
  body(): Uint8Array<ArrayBuffer> | Promise<ReadableStream<Uint8Array> | null>;
  /**
   * The same bytes as the buffers they were laid from (item fragments not
   * copied), for a writer that takes them as they are; not kept. Only
   * representations rendered from fragments have it.
   */
  parts?(): ByteParts;
  /**
   * The body's length when it is known without fetching a stream (a lazy
   * body is rendered and kept): what a HEAD sends as Content-Length, as a
   * GET would (RFC 9110 §9.3.2). Absent when only a fetch would tell.
   */
  byteLength?(): number;
}

/** A representation whose bytes come from `render` on first use, then are kept. */
export function lazyBytes(
  validators: Validators,
  contentType: string,
  cacheControl: string,
  render: () => Uint8Array<ArrayBuffer>,
): Representation & { body(): Uint8Array<ArrayBuffer> } {
  let bytes: Uint8Array<ArrayBuffer> | undefined;
  const body = (): Uint8Array<ArrayBuffer> => (bytes ??= render());
  return { ...validators, contentType, cacheControl, body, byteLength: () => body().byteLength };
}

/** `lazyBytes` for a renderer that gives text. */
export function lazyRepresentation(
  validators: Validators,
  contentType: string,
  cacheControl: string,
  render: () => string,
): Representation & { body(): Uint8Array<ArrayBuffer> } {
  return lazyBytes(validators, contentType, cacheControl, () => utf8(render()));
}

/**
 * `lazyBytes` for a renderer that lays fragments: `parts()` gives them
 * uncopied (and keeps nothing), `body()` joins them once and keeps that.
 */
export function lazyParts(
  validators: Validators,
  contentType: string,
  cacheControl: string,
  render: () => ByteParts,
): Representation & { body(): Uint8Array<ArrayBuffer>; parts(): ByteParts } {
  let joined: Uint8Array<ArrayBuffer> | undefined;
  const representation = lazyBytes(validators, contentType, cacheControl, () => (joined = joinParts(render())));
  return { ...representation, parts: () => (joined === undefined ? render() : asParts(joined)) };
}
