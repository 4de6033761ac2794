/**
 * Precompressed variants of rendered bytes, made once per render on the
 * libuv thread pool (so both cores help and the event loop keeps serving).
 * Levels trade ratio for time: on a 390 KB topic feed, gzip 6 takes ~8 ms
 * and brotli 6 ~9 ms (brotli 11 would take ~500 ms for 10% less).
 */
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { parseWeightedList } from '../http/negotiate.ts';

export type Coding = 'br' | 'gzip';

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/** Below this, a compressed variant saves too little to be worth a second ETag. */
export const MIN_COMPRESS_BYTES = 1024;

export async function compress(coding: Coding, body: Uint8Array): Promise<Buffer> {
  if (coding === 'gzip') return gzipAsync(body, { level: 6 });
  return brotliAsync(body, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 6,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength,
    },
  });
}

interface Preference {
  readonly br: number;
  readonly gzip: number;
}

function parseAcceptEncoding(header: string): Preference {
  let br = -1;
  let gz = -1;
  let any = -1;
  for (const { value: name, q } of parseWeightedList(header)) {
    if (name === 'br') br = Math.max(br, q);
    else if (name === 'gzip' || name === 'x-gzip') gz = Math.max(gz, q);
    else if (name === '*') any = Math.max(any, q);
  }
  // A coding not named takes the `*` weight (RFC 9110 §12.5.3).
  return { br: br >= 0 ? br : Math.max(any, 0), gzip: gz >= 0 ? gz : Math.max(any, 0) };
}

const MEMO_LIMIT = 256;
const memo = new Map<string, readonly Coding[]>();

/**
 * Codings the client accepts, best first (brotli wins ties: it is smaller).
 * Clients send a handful of distinct headers, so answers are memoized.
 */
export function acceptedCodings(header: string | undefined): readonly Coding[] {
  if (header === undefined || header === '') return [];
  let codings = memo.get(header);
  if (codings) return codings;
  const { br, gzip: gz } = parseAcceptEncoding(header);
  const list: Coding[] = [];
  if (br > 0 && br >= gz) list.push('br');
  if (gz > 0) list.push('gzip');
  if (br > 0 && br < gz) list.push('br');
  codings = list;
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(header, codings);
  return codings;
}
