/**
 * The Node shells hash validators with node:crypto, the Worker with the
 * pure-JS SHA-256: an ETag must not depend on which one ran, or a Worker
 * deploy would send every poller a new tag for the same bytes.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { afterEach, describe, expect, it } from 'vitest';
import { installNativeDigest } from '../../src/node/native-digest.ts';
import { shortHash, usePureSha256 } from '../../src/topics/validators.ts';

const INPUTS: string[][] = [
  [''],
  ['/rss.xml', 'stamp', '100819', '2023-08-25T08:12:09.715277Z'],
  ['Søren Kjær', 'クリニック', '\u0000', '😀'],
  // A lone surrogate: both encode it as U+FFFD.
  ['\uD800', 'a\uDFFFb'],
  ['x'.repeat(55)],
  ['x'.repeat(56)],
  ['x'.repeat(64)],
  Array.from({ length: 200 }, (_, i) => `part ${i} ${'y'.repeat(i)}`),
];

afterEach(() => usePureSha256());

describe('validator digests', () => {
  it('are the same with node:crypto as with the pure-JS SHA-256', () => {
    const pure = INPUTS.map((parts) => shortHash(parts));
    installNativeDigest();
    const native = INPUTS.map((parts) => shortHash(parts));
    expect(native).toEqual(pure);
    // And they are what SHA-256 gives: 16 base64url characters of the digest.
    expect(pure[0]).toBe(Buffer.from(sha256(new Uint8Array(0))).toString('base64url').slice(0, 16));
    expect(new Set(pure).size).toBe(INPUTS.length);
  });
});
