/**
 * Output assembled from pieces: text still to encode and item fragments
 * already encoded (src/feeds/fragments.ts). A feed that lays cached items
 * into its frame copies their bytes instead of joining and re-encoding them,
 * and a writer that can take the pieces as they are (the export's writev)
 * copies nothing at all.
 */
export type Chunk = string | Uint8Array;

/**
 * A body as the buffers it was laid from, in order: item fragments as the
 * cache holds them, and the text between them encoded into one buffer.
 * Joined only when a caller needs one buffer (`joinParts`). Why: a 50k export
 * lays 3.5 GB of pages; one fresh buffer per page made V8 count that much
 * external memory, and each 64 MB of it started a full marking of the heap
 * (68 of them, a third of the run).
 */
export interface ByteParts {
  readonly parts: readonly Uint8Array[];
  readonly byteLength: number;
}

const encoder = new TextEncoder();

/** `text` as UTF-8 in a buffer of its own, exactly its length (a lone surrogate becomes U+FFFD). */
export type Utf8Encode = (text: string) => Uint8Array<ArrayBuffer>;

const encodeWithTextEncoder: Utf8Encode = (text) => encoder.encode(text);
let encodeUtf8 = encodeWithTextEncoder;

/**
 * Swaps the UTF-8 encoder (any runtime: TextEncoder) for a runtime's faster
 * one that gives the same bytes: a Node shell installs one built on Buffer
 * (src/node/native-utf8.ts), twice as fast for item fragments, which a 50k
 * export encodes 200k of (6.8 s of its main thread). Undefined restores TextEncoder.
 */
export function useUtf8Encoder(encode: Utf8Encode | undefined): void {
  encodeUtf8 = encode ?? encodeWithTextEncoder;
}

export function utf8(text: string): Uint8Array<ArrayBuffer> {
  return encodeUtf8(text);
}

/** UTF-8 length of `text` as TextEncoder encodes it (a lone surrogate becomes U+FFFD, 3 bytes). */
function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) bytes += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      // A pair: two code units, four bytes.
      bytes += 2;
      i += 1;
    } else bytes += 2;
  }
  return bytes;
}

/** The chunks as parts: byte chunks kept as they are, all text encoded into one shared buffer. */
export function encodeChunks(chunks: readonly Chunk[]): ByteParts {
  let textBytes = 0;
  for (const chunk of chunks) if (typeof chunk === 'string') textBytes += utf8Length(chunk);
  const text = new Uint8Array(textBytes);
  const parts: Uint8Array[] = [];
  let at = 0;
  let byteLength = 0;
  for (const chunk of chunks) {
    let part: Uint8Array;
    if (typeof chunk === 'string') {
      const { written } = encoder.encodeInto(chunk, text.subarray(at));
      part = text.subarray(at, at + written);
      at += written;
    } else part = chunk;
    if (part.byteLength === 0) continue;
    parts.push(part);
    byteLength += part.byteLength;
  }
  if (at !== textBytes) throw new Error(`encodeChunks: text took ${at} bytes, ${textBytes} expected`);
  return { parts, byteLength };
}

/** One buffer of the parts' bytes, in order. */
export function joinParts(bytes: ByteParts): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(bytes.byteLength);
  let at = 0;
  for (const part of bytes.parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

/** Bytes already in one buffer, as parts. */
export function asParts(bytes: Uint8Array): ByteParts {
  return { parts: bytes.byteLength === 0 ? [] : [bytes], byteLength: bytes.byteLength };
}
