/**
 * Runs parse tasks on every core: a few worker threads pull batches from one
 * queue, so a slow batch never leaves a core idle. Small loads run inline
 * (starting a worker costs more than it saves), and so does everything when
 * workers cannot start.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import type { ResourceLimits } from 'node:worker_threads';
import { Worker } from 'node:worker_threads';
import type { SiteConfig } from '../config/config.ts';
import type { DocumentContent } from '../content/load.ts';
import type { BodyTask, ScanResult, ScanTask, TaskTimings } from './parse-tasks.ts';
import { addTimings, emptyTimings, renderBodyTask, scanFile } from './parse-tasks.ts';

export type PoolRequest =
  | { readonly id: number; readonly kind: 'scan'; readonly tasks: readonly ScanTask[] }
  | { readonly id: number; readonly kind: 'bodies'; readonly tasks: readonly BodyTask[] };

export type PoolResponse =
  | { readonly id: number; readonly kind: 'scan'; readonly results: ScanResult[]; readonly timings: TaskTimings }
  | { readonly id: number; readonly kind: 'bodies'; readonly results: (DocumentContent | null)[]; readonly timings: TaskTimings };

export interface TaskRunner {
  /** Worker threads in use; 0 when inline. */
  readonly threads: number;
  scan(tasks: readonly ScanTask[]): Promise<{ results: ScanResult[]; timings: TaskTimings }>;
  bodies(tasks: readonly BodyTask[]): Promise<{ results: (DocumentContent | undefined)[]; timings: TaskTimings }>;
  close(): Promise<void>;
  /** About `tasks` tasks are coming in smaller batches: start threads now if that many need them. */
  expect(tasks: number): void;
}

/** Below this many files, inline is faster than starting workers. */
export const MIN_FILES_FOR_WORKERS = 1500;
const BATCH = 200;

export function defaultThreads(): number {
  return Math.max(1, Math.min(availableParallelism(), 4));
}

export function inlineRunner(site: SiteConfig): TaskRunner {
  return {
    threads: 0,
    async scan(tasks) {
      const timings = emptyTimings();
      return { results: tasks.map((task) => scanFile(task, site, timings)), timings };
    },
    async bodies(tasks) {
      const timings = emptyTimings();
      return { results: tasks.map((task) => renderBodyTask(task, site, timings)), timings };
    },
    async close() {},
    expect() {},
  };
}

/** Set (esbuild define) in a bundle built by scripts/run.mjs: the folder holding the thread entries' own bundles. */
declare const TOPIC_FEEDS_BUNDLE_DIR: string | undefined;
const bundleDir = typeof TOPIC_FEEDS_BUNDLE_DIR === 'string' ? TOPIC_FEEDS_BUNDLE_DIR : undefined;

/**
 * A worker thread running the module `entry` (a .ts URL). From a bundle
 * (scripts/run.mjs) the thread runs the entry's bundle beside it; under tsx
 * (sources run as .ts) it needs the TypeScript loader registered before it
 * imports its entry; compiled .js needs nothing.
 */
export function spawnModuleWorker(entry: URL, workerData: unknown, resourceLimits?: ResourceLimits): Worker {
  const limits = resourceLimits && { resourceLimits };
  if (bundleDir !== undefined) {
    const name = entry.pathname.slice(entry.pathname.lastIndexOf('/') + 1).replace(/\.ts$/, '.mjs');
    return new Worker(new URL(name, bundleDir), { workerData, execArgv: [], ...limits });
  }
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL(entry.href.replace(/\.ts$/, '.js')), { workerData, ...limits });
  const require = createRequire(import.meta.url);
  const api = pathToFileURL(require.resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const bootstrap = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData, execArgv: [], ...limits });
}

/**
 * Heap of one parse thread. A batch is 200 documents, and the thread keeps
 * nothing between batches; uncapped, V8 let each thread's heap grow to
 * hundreds of MB of garbage over a 50k load or export (at 10k, a 64 MB cap
 * took the export's peak from 699 to 623 MB at the same speed; 96 MB leaves
 * room for documents near the 2 MiB default size cap). A batch
 * that needs more (very large documents) ends the thread and is redone on
 * the calling thread: slower, nothing lost.
 */
export const PARSE_THREAD_LIMITS: ResourceLimits = { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 8 };

function spawn(site: SiteConfig, limits: ResourceLimits): Worker {
  return spawnModuleWorker(new URL('./parse-worker.ts', import.meta.url), { site }, limits);
}

interface Job {
  readonly request: PoolRequest;
  readonly done: (response: PoolResponse) => void;
  readonly failed: (error: unknown) => void;
}

class WorkerPool implements TaskRunner {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Job>();
  private readonly queue: Job[] = [];
  private nextId = 1;
  private broken: unknown;
  private closing = false;

  constructor(
    private readonly site: SiteConfig,
    private readonly workers: Worker[],
  ) {
    for (const worker of workers) {
      worker.on('message', (response: PoolResponse) => {
        const job = this.busy.get(worker);
        this.busy.delete(worker);
        this.idle.push(worker);
        job?.done(response);
        this.pump();
      });
      worker.on('error', (error) => this.fail(worker, error));
      worker.on('exit', (code) => {
        const job = this.busy.get(worker);
        if (job === undefined) return;
        // Closed under a batch (the caller gave up, e.g. after a failed write): nothing to redo.
        if (this.closing) {
          this.busy.delete(worker);
          job.failed(new Error('parse threads closed'));
        } else this.fail(worker, new Error(`parse worker exited with code ${code}`));
      });
      this.idle.push(worker);
    }
  }

  get threads(): number {
    return this.workers.length;
  }

  private fail(worker: Worker, error: unknown): void {
    if (this.broken === undefined && (error as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY') {
      console.warn('a parse thread ran out of heap (PARSE_THREAD_LIMITS); its work is redone on the main thread');
    }
    this.broken ??= error;
    const job = this.busy.get(worker);
    this.busy.delete(worker);
    const index = this.idle.indexOf(worker);
    if (index >= 0) this.idle.splice(index, 1);
    // The batch is redone inline: a crashed worker must not lose documents.
    if (job) this.runInline(job);
    if (this.idle.length === 0 && this.busy.size === 0) for (const queued of this.queue.splice(0)) this.runInline(queued);
  }

  private runInline(job: Job): void {
    const timings = emptyTimings();
    try {
      const request = job.request;
      job.done(
        request.kind === 'scan'
          ? { id: request.id, kind: 'scan', results: request.tasks.map((t) => scanFile(t, this.site, timings)), timings }
          : { id: request.id, kind: 'bodies', results: request.tasks.map((t) => renderBodyTask(t, this.site, timings) ?? null), timings },
      );
    } catch (error) {
      job.failed(error);
    }
  }

  private pump(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop()!;
      const job = this.queue.shift()!;
      this.busy.set(worker, job);
      worker.postMessage(job.request);
    }
    if (this.idle.length === 0 && this.busy.size === 0 && this.broken !== undefined) {
      for (const queued of this.queue.splice(0)) this.runInline(queued);
    }
  }

  private run<T>(tasks: readonly T[], request: (id: number, batch: readonly T[]) => PoolRequest): Promise<PoolResponse[]> {
    const jobs: Promise<PoolResponse>[] = [];
    for (let start = 0; start < tasks.length; start += BATCH) {
      const batch = tasks.slice(start, start + BATCH);
      jobs.push(
        new Promise<PoolResponse>((done, failed) => {
          this.queue.push({ request: request(this.nextId++, batch), done, failed });
        }),
      );
    }
    this.pump();
    return Promise.all(jobs);
  }

  async scan(tasks: readonly ScanTask[]): Promise<{ results: ScanResult[]; timings: TaskTimings }> {
    const responses = await this.run(tasks, (id, batch) => ({ id, kind: 'scan', tasks: batch as readonly ScanTask[] }));
    const timings = emptyTimings();
    const results: ScanResult[] = [];
    for (const response of responses) {
      if (response.kind !== 'scan') continue;
      addTimings(timings, response.timings);
      results.push(...response.results);
    }
    return { results, timings };
  }

  async bodies(tasks: readonly BodyTask[]): Promise<{ results: (DocumentContent | undefined)[]; timings: TaskTimings }> {
    const responses = await this.run(tasks, (id, batch) => ({ id, kind: 'bodies', tasks: batch as readonly BodyTask[] }));
    const timings = emptyTimings();
    const results: (DocumentContent | undefined)[] = [];
    for (const response of responses) {
      if (response.kind !== 'bodies') continue;
      addTimings(timings, response.timings);
      for (const result of response.results) results.push(result ?? undefined);
    }
    return { results, timings };
  }

  expect(): void {}

  async close(): Promise<void> {
    this.closing = true;
    for (const queued of this.queue.splice(0)) queued.failed(new Error('parse threads closed'));
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

/** Worker threads when the load is big enough and `threads` > 1, else inline. */
export function createRunner(site: SiteConfig, files: number, threads = defaultThreads(), minFiles = MIN_FILES_FOR_WORKERS, limits = PARSE_THREAD_LIMITS): TaskRunner {
  if (threads < 2 || files < minFiles) return inlineRunner(site);
  try {
    return new WorkerPool(site, Array.from({ length: threads }, () => spawn(site, limits)));
  } catch {
    return inlineRunner(site);
  }
}

/**
 * A runner that starts its worker threads on the first batch big enough to
 * need them, and runs smaller batches inline: a warm load that proves most
 * files unchanged by stat, or finds their content in the cache, never pays
 * for booting threads it would not use.
 */
export function demandRunner(site: SiteConfig, threads = defaultThreads(), minFiles = MIN_FILES_FOR_WORKERS): TaskRunner {
  const inline = inlineRunner(site);
  let pool: TaskRunner | undefined;
  const pick = (tasks: number): TaskRunner => {
    if (pool === undefined && tasks >= minFiles) pool = createRunner(site, tasks, threads, minFiles);
    return pool ?? inline;
  };
  return {
    get threads() {
      return pool?.threads ?? 0;
    },
    scan: (tasks) => pick(tasks.length).scan(tasks),
    bodies: (tasks) => pick(tasks.length).bodies(tasks),
    close: async () => pool?.close(),
    expect: (tasks) => void pick(tasks),
  };
}
