/**
 * Bytes laid from parts (src/feeds/bytes.ts): text chunks encoded into one
 * buffer must give exactly what TextEncoder gives for each chunk, for any
 * text (astral characters, lone surrogates), and byte chunks must be kept as
 * they are, not copied.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Chunk } from '../../src/feeds/bytes.ts';
import { encodeChunks, joinParts } from '../../src/feeds/bytes.ts';

const encoder = new TextEncoder();

/** Strings rich in what UTF-8 length counting gets wrong: pairs, lone halves, 2- and 3-byte characters. */
const tricky = fc.string({ unit: fc.oneof(fc.constantFrom('\uD83D\uDE00', '\uD800', '\uDC00', '\uDBFF', 'é', '€', '\u07FF', '\u0800', '\uFFFF', 'a', '\n'), fc.integer({ min: 0, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp))) });
const chunk: fc.Arbitrary<Chunk> = fc.oneof(tricky, fc.uint8Array({ maxLength: 40 }));

function expected(chunks: readonly Chunk[]): Buffer {
  return Buffer.concat(chunks.map((c) => (typeof c === 'string' ? encoder.encode(c) : c)));
}

describe('encodeChunks', () => {
  it('gives the bytes TextEncoder gives, chunk by chunk, for any text', () => {
    fc.assert(
      fc.property(fc.array(chunk, { maxLength: 12 }), (chunks) => {
        const laid = encodeChunks(chunks);
        const joined = Buffer.from(joinParts(laid));
        expect(joined.equals(expected(chunks))).toBe(true);
        expect(laid.byteLength).toBe(joined.byteLength);
        // No empty parts (a writev entry of nothing).
        expect(laid.parts.every((part) => part.byteLength > 0)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps byte chunks as they are, and a string split between two chunks is encoded as each half', () => {
    const fragment = encoder.encode('<item>ü</item>');
    const laid = encodeChunks(['<rss>\n', fragment, '\n</rss>\n']);
    expect(laid.parts[1]).toBe(fragment);
    // A pair cut in two becomes two replacement characters, as TextEncoder makes of each half.
    expect(Buffer.from(joinParts(encodeChunks(['a\uD83D', '\uDE00b']))).toString('hex')).toBe(Buffer.concat([encoder.encode('a\uD83D'), encoder.encode('\uDE00b')]).toString('hex'));
    expect(joinParts(encodeChunks([])).byteLength).toBe(0);
  });
});
