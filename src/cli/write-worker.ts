/**
 * The export's write thread (write-thread.ts): puts each file it is sent in
 * place, in the order sent, and answers with the outcome or the error.
 */
import { parentPort } from 'node:worker_threads';
import type { ByteParts } from '../feeds/bytes.ts';
import type { FileCheck, Placed } from './place-file.ts';
import { placeFileSync } from './place-file.ts';

export interface WriteRequest {
  readonly id: number;
  readonly outDir: string;
  readonly file: string;
  readonly bytes: Uint8Array | ByteParts;
  readonly etag: string;
  readonly check: FileCheck;
  /** `bytes` is a view on a buffer handed over (transferred) to be handed back with the response. */
  readonly lent?: true;
}

export type WriteResponse = ({ readonly id: number; readonly placed: Placed } | { readonly id: number; readonly error: { readonly message: string; readonly code?: string } }) & {
  /** The buffer the request lent, handed back. */
  readonly lent?: ArrayBuffer;
};

const made = new Set<string>();
const port = parentPort;
if (port === null) throw new Error('write-worker.ts runs as a worker thread');
port.on('message', (request: WriteRequest) => {
  let response: WriteResponse;
  try {
    response = { id: request.id, placed: placeFileSync(request.outDir, request.file, request.bytes, request.etag, request.check, made) };
  } catch (error) {
    const { message, code } = error as NodeJS.ErrnoException;
    response = { id: request.id, error: { message: String(message ?? error), ...(typeof code === 'string' && { code }) } };
  }
  if (request.lent && request.bytes instanceof Uint8Array) {
    const buffer = request.bytes.buffer as ArrayBuffer;
    port.postMessage({ ...response, lent: buffer }, [buffer]);
  } else port.postMessage(response);
});
