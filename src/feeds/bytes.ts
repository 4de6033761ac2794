/**
 * Output assembled from pieces: text still to encode and item fragments
 * already encoded (src/feeds/fragments.ts). A feed that lays cached items
 * into its frame copies their bytes instead of joining and re-encoding them.
 */
export type Chunk = string | Uint8Array;

const encoder = new TextEncoder();

export function utf8(text: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(text);
}

/** The chunks' bytes, in order, in one buffer (text as UTF-8). */
export function concatChunks(chunks: readonly Chunk[]): Uint8Array<ArrayBuffer> {
  const parts = chunks.map((chunk) => (typeof chunk === 'string' ? encoder.encode(chunk) : chunk));
  let total = 0;
  for (const part of parts) total += part.byteLength;
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}
