/**
 * A full export's files written on a thread of their own: the main thread
 * renders the next pages while this one hashes each file and makes its five
 * file-system calls (open, write, stat, close, rename). At 50k documents that
 * was 20 s of the main thread's time for 54k files as promises (SHA-1 of
 * 3.5 GB included). Item fragments are shared by pages, so they cannot be
 * handed over themselves: a page is laid into a buffer lent to the thread,
 * which hands it back once written; other bytes (images) are copied.
 */
import type { Worker } from 'node:worker_threads';
import type { ByteParts } from '../feeds/bytes.ts';
import { spawnModuleWorker } from '../ingest/parse-pool.ts';
import type { FileCheck, Placed } from './place-file.ts';
import type { WriteRequest, WriteResponse } from './write-worker.ts';

/** How a file is put in place: here, or on the write thread. */
export type PlaceFile = (outDir: string, file: string, bytes: Uint8Array | ByteParts, etag: string, check: FileCheck, made?: Set<string>) => Promise<Placed>;

/** Spare buffers kept: the writes in flight (export-write.ts) and a few more. */
const SPARE_BUFFERS = 24;
/** Smallest buffer lent, so that most pages fit any spare one. */
const MIN_LENT_BYTES = 256 * 1024;

interface Waiting {
  readonly done: (placed: Placed) => void;
  readonly fail: (error: Error) => void;
}

export class WriteThread {
  readonly #worker: Worker;
  readonly #waiting = new Map<number, Waiting>();
  #next = 1;
  /** Set once the thread is gone: every later request fails with it. */
  #broken: Error | undefined;

  constructor() {
    this.#worker = spawnModuleWorker(new URL('./write-worker.ts', import.meta.url), undefined);
    this.#worker.on('message', (response: WriteResponse) => {
      if (response.lent !== undefined && this.#spare.length < SPARE_BUFFERS) this.#spare.push(response.lent);
      const waiting = this.#waiting.get(response.id);
      if (waiting === undefined) return;
      this.#waiting.delete(response.id);
      if ('placed' in response) waiting.done(response.placed);
      else waiting.fail(Object.assign(new Error(response.error.message), response.error.code === undefined ? {} : { code: response.error.code }));
    });
    this.#worker.on('error', (error) => this.#breakWith(error));
    this.#worker.on('exit', (code) => this.#breakWith(new Error(`export write thread exited with code ${code}`)));
  }

  /** `placeFile`, on the thread. `made` is not used: the thread keeps its own set of folders made. */
  readonly place: PlaceFile = (outDir, file, bytes, etag, check) => {
    if (this.#broken) return Promise.reject(this.#broken);
    const id = this.#next++;
    let request: WriteRequest;
    let transfer: ArrayBuffer[] = [];
    if (bytes instanceof Uint8Array) {
      // Copied by the message. A view into a larger buffer (a small file read into Node's shared pool) would send that whole buffer.
      request = { id, outDir, file, bytes: bytes.byteLength !== bytes.buffer.byteLength ? bytes.slice() : bytes, etag, check };
    } else {
      // A page's parts laid into a spare buffer and handed over, which the thread hands back once written:
      // cloning each part cost the main thread 1.6 s of a 10k export (0.8 GB of pages), and a fresh
      // buffer per page nearly as much in first-touch page faults.
      const lent = this.#borrow(bytes.byteLength);
      let at = 0;
      for (const part of bytes.parts) {
        lent.set(part, at);
        at += part.byteLength;
      }
      request = { id, outDir, file, bytes: lent, etag, check, lent: true };
      transfer = [lent.buffer];
    }
    return new Promise<Placed>((done, fail) => {
      this.#waiting.set(id, { done, fail });
      this.#worker.postMessage(request, transfer);
    });
  };

  /** Buffers the thread handed back, for the next pages. */
  readonly #spare: ArrayBuffer[] = [];

  /** A view of `length` bytes on a spare buffer big enough, or on a new one. */
  #borrow(length: number): Uint8Array<ArrayBuffer> {
    const index = this.#spare.findIndex((buffer) => buffer.byteLength >= length);
    const buffer = index < 0 ? new ArrayBuffer(Math.max(length, MIN_LENT_BYTES)) : this.#spare.splice(index, 1)[0]!;
    return new Uint8Array(buffer, 0, length);
  }

  /** Ends the thread; a request still waiting fails. */
  async close(): Promise<void> {
    this.#breakWith(new Error('export write thread closed'));
    await this.#worker.terminate();
  }

  #breakWith(error: Error): void {
    this.#broken ??= error;
    for (const waiting of this.#waiting.values()) waiting.fail(this.#broken);
    this.#waiting.clear();
  }
}
