import { DEFAULT_FRAGMENT_BUDGET } from '../feeds/fragments.ts';
import type { LiveCatalog } from '../publish/live-catalog.ts';
import type { PublishedRoute } from '../publish/published-routes.ts';
import type { FileCheck, FileOutcome, FileRecord } from './export-state.ts';
import { placeFile } from './export-state.ts';

/** Item fragments kept per render thread: enough for a stretch of time across every scope (publishedRoutesForReuse). */
export const EXPORT_FRAGMENT_BUDGET = DEFAULT_FRAGMENT_BUDGET;

/** Files written at once: rendering (this thread) overlaps the disk. */
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
 * Renders each route and puts it under `outDir` (atomically, and only when
 * its bytes differ from the file there); a route whose check says `skip` is
 * not rendered at all. Calls `done` per file.
 */
export async function writeRoutes(
  catalog: LiveCatalog,
  routes: Iterable<PublishedRoute>,
  outDir: string,
  checks: ReadonlyMap<string, FileCheck>,
  done: FileDone,
): Promise<void> {
  const made = new Set<string>();
  const inFlight = new Set<Promise<void>>();
  try {
    await writeAll();
  } catch (error) {
    // Leave no write running behind a failure (the caller may inspect or retry the folder).
    await Promise.allSettled(inFlight);
    throw error;
  }

  async function writeAll(): Promise<void> {
    for (const route of routes) {
      const check = checks.get(route.file) ?? FRESH;
      if (check.skip && check.previous) {
        done(route.file, 'unchanged', check.previous);
        continue;
      }
      const body = await route.representation.body();
      if (!(body instanceof Uint8Array)) throw new Error(`${route.path}: no rendered bytes`);
      const write: Promise<void> = placeFile(outDir, route.file, body, skipTag(catalog, route), check, made).then(({ outcome, record }) => {
        inFlight.delete(write);
        done(route.file, outcome, record);
      });
      inFlight.add(write);
      if (inFlight.size >= WRITES_IN_FLIGHT) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  }
}
