/**
 * The Node UTF-8 encoder (src/node/native-utf8.ts) gives TextEncoder's bytes
 * for every string, lone surrogates included, each in a plain Uint8Array on a
 * buffer of exactly its length (never a slice of Buffer's shared pool, which
 * would carry other bytes along wherever the buffer goes).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { useUtf8Encoder, utf8 } from '../../src/feeds/bytes.ts';
import { installNativeUtf8 } from '../../src/node/native-utf8.ts';

const encoder = new TextEncoder();

/** Random UTF-16 code units, surrogates (paired or not) among them, with a fixed seed. */
function randomStrings(count: number): string[] {
  let seed = 42;
  const next = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
  const units = [0x41, 0x7f, 0x80, 0xe9, 0x7ff, 0x800, 0x2019, 0xfffd, 0xffff, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0x0];
  return Array.from({ length: count }, () => String.fromCharCode(...Array.from({ length: next() % 40 }, () => (next() % 3 === 0 ? next() % 0x10000 : units[next() % units.length]!))));
}

afterEach(() => useUtf8Encoder(undefined));

describe('UTF-8 on Node', () => {
  it('gives the bytes TextEncoder gives, lone surrogates as U+FFFD', () => {
    installNativeUtf8();
    const strings = ['', 'a', 'é’“”', '\ud83d\ude00', '\ud800', 'x\udc00y', '\ud800\ud800', `${'a'.repeat(10_000)}\ud83d`, ...randomStrings(2000)];
    for (const text of strings) expect(Buffer.from(utf8(text)).equals(Buffer.from(encoder.encode(text))), JSON.stringify(text)).toBe(true);
  });

  it('returns a plain Uint8Array on a buffer of its own, exactly its length', () => {
    installNativeUtf8();
    for (const text of ['', 'small', 'é'.repeat(5000)]) {
      const bytes = utf8(text);
      expect(Buffer.isBuffer(bytes)).toBe(false);
      expect(bytes.byteOffset).toBe(0);
      expect(bytes.buffer.byteLength).toBe(bytes.byteLength);
    }
  });
});
