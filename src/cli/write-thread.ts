/**
 * A full export's files written on a thread of their own: the main thread
 * renders the next pages while this one hashes each file and makes its five
 * file-system calls (open, write, stat, close, rename). At 50k documents that
 * was 20 s of the main thread's time for 54k files as promises (SHA-1 of
 * 3.5 GB included). The bytes are copied to the thread (item fragments are
 * shared by pages, so they cannot be transferred).
 */
import type { Worker } from 'node:worker_threads';
import type { ByteParts } from '../feeds/bytes.ts';
import { spawnModuleWorker } from '../ingest/parse-pool.ts';
import type { FileCheck, Placed } from './place-file.ts';
import type { WriteRequest, WriteResponse } from './write-worker.ts';

/** How a file is put in place: here, or on the write thread. */
export type PlaceFile = (outDir: string, file: string, bytes: Uint8Array | ByteParts, etag: string, check: FileCheck, made?: Set<string>) => Promise<Placed>;

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
    // A view into a larger buffer (a small file read into Node's shared pool) would send that whole buffer.
    const sent = bytes instanceof Uint8Array && bytes.byteLength !== bytes.buffer.byteLength ? bytes.slice() : bytes;
    const request: WriteRequest = { id, outDir, file, bytes: sent, etag, check };
    return new Promise<Placed>((done, fail) => {
      this.#waiting.set(id, { done, fail });
      this.#worker.postMessage(request);
    });
  };

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
