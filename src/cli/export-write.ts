import { DEFAULT_FRAGMENT_BUDGET } from '../feeds/fragments.ts';
import type { LiveCatalog } from '../publish/live-catalog.ts';
import type { PublishedRoute } from '../publish/published-routes.ts';
import type { StaticFileOutput } from '../ingest/media.ts';
import type { FileCheck, FileOutcome, FileRecord } from './export-state.ts';
import { placeFile } from './export-state.ts';
import type { PlaceFile } from './write-thread.ts';

/** Item fragments kept per render thread: enough for a stretch of time across every scope (publishedRoutesForReuse). */
export const EXPORT_FRAGMENT_BUDGET = DEFAULT_FRAGMENT_BUDGET;

/** Files written at once: rendering (this thread) overlaps the write thread's hashing and disk work in a full render. */
const WRITES_IN_FLIGHT = 16;

/** Told of each file: whether it was written or already held these bytes, and its manifest record. */
export type FileDone = (file: string, outcome: FileOutcome, record: FileRecord) => void;

const FRESH: FileCheck = { intact: false, skip: false };

/**
 * What a route's bytes depend on, for skipping its render: its ETag, plus the
 * number of archive pages of its scope. A feed's prev-archive link and an
 * archive page's next-archive link name page numbers that the ETag (computed
 * from the items shown) does not cover: a document added or removed outside
 * the window can move them.
 */
export function skipTag(catalog: LiveCatalog, route: PublishedRoute): string {
  const scope = route.topic === undefined ? ({ kind: 'all' } as const) : ({ kind: 'topic', slug: route.topic } as const);
  return `${route.representation.etag} ${catalog.archivePages(scope)}`;
}

/**
 * Writes started one after another, at most WRITES_IN_FLIGHT at once: the
 * caller's thread renders (or reads) the next file while the disk writes.
 */
class WriteQueue {
  private readonly running = new Set<Promise<void>>();
  /** The first write that failed: thrown by the next `add` or `drain`, whenever it failed. */
  private failure: { readonly error: unknown } | undefined;

  /** Adds a write; resolves once there is room for another. */
  async add(write: Promise<void>): Promise<void> {
    const tracked: Promise<void> = write.then(
      () => void this.running.delete(tracked),
      (error: unknown) => {
        this.running.delete(tracked);
        this.failure ??= { error };
      },
    );
    this.running.add(tracked);
    if (this.running.size >= WRITES_IN_FLIGHT) await Promise.race(this.running);
    this.throwFailure();
  }

  async drain(): Promise<void> {
    await Promise.all(this.running);
    this.throwFailure();
  }

  /** After a failure: leave no write running behind it (the caller may inspect or retry the folder). */
  async settle(): Promise<void> {
    await Promise.all(this.running);
  }

  private throwFailure(): void {
    if (this.failure) throw this.failure.error;
  }
}

/** A write under way (boxed: an async function would otherwise wait for it), or none for a file left as it is. */
type Started = { readonly write: Promise<void> } | undefined;

/** Writes every item; stops (throwing) at the first failure, or when `stop` is aborted (the other writer of the same run failed). */
async function writeAll<T>(items: Iterable<T> | AsyncIterable<T>, start: (item: T) => Promise<Started>, stop?: AbortSignal): Promise<void> {
  const queue = new WriteQueue();
  try {
    for await (const item of items) {
      stop?.throwIfAborted();
      const started = await start(item);
      if (started) await queue.add(started.write);
    }
    await queue.drain();
  } catch (error) {
    await queue.settle();
    throw error;
  }
}

async function bytesOf(route: PublishedRoute): Promise<Uint8Array> {
  const body = await route.representation.body();
  if (!(body instanceof Uint8Array)) throw new Error(`${route.path}: no rendered bytes`);
  return body;
}

/**
 * Renders each route and puts it under `outDir` (atomically, and only when
 * its bytes differ from the file there); a route whose check says `skip` is
 * not rendered at all. Calls `done` per file.
 */
export async function writeRoutes(
  catalog: LiveCatalog,
  routes: Iterable<PublishedRoute> | AsyncIterable<PublishedRoute>,
  outDir: string,
  checks: ReadonlyMap<string, FileCheck>,
  done: FileDone,
  made = new Set<string>(),
  stop?: AbortSignal,
  place: PlaceFile = placeFile,
): Promise<void> {
  await writeAll(routes, async (route) => {
    const check = checks.get(route.file) ?? FRESH;
    if (check.skip && check.previous) {
      done(route.file, 'unchanged', check.previous);
      return undefined;
    }
    // Parts where the route has them: the page's fragments go to the disk as they are, never joined.
    const body = route.representation.parts?.() ?? (await bytesOf(route));
    return { write: place(outDir, route.file, body, skipTag(catalog, route), check, made).then(({ outcome, record }) => done(route.file, outcome, record)) };
  }, stop);
}

/**
 * Copies the static files (icons, images) under `outDir`, several at once;
 * one whose bytes' ETag matches an intact earlier copy is not even read.
 */
export async function placeStaticFiles(
  files: readonly StaticFileOutput[],
  outDir: string,
  checkOf: (file: StaticFileOutput) => FileCheck,
  done: FileDone,
  made = new Set<string>(),
  stop?: AbortSignal,
  place: PlaceFile = placeFile,
): Promise<void> {
  await writeAll(files, async (file) => {
    const check = checkOf(file);
    if (check.skip && check.previous) {
      done(file.outFile, 'unchanged', check.previous);
      return undefined;
    }
    return { write: place(outDir, file.outFile, file.bytes, file.entry.etag, check, made).then(({ outcome, record }) => done(file.outFile, outcome, record)) };
  }, stop);
}
