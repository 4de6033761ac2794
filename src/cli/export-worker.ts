/**
 * One render thread of a parallel export: rebuilds the catalog of the topics
 * it was given (their documents arrive with their content already
 * sanitized), then renders and writes every route of those topics that the
 * main thread did not mark as unchanged.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { SiteConfig } from '../config/config.ts';
import type { FeedDocument } from '../content/document.ts';
import { LiveCatalog } from '../publish/live-catalog.ts';
import { publishedRoutesForReuse } from '../publish/published-routes.ts';
import { ItemFragmentCache } from '../feeds/fragments.ts';
import type { FileCheck, FileOutcome, FileRecord } from './export-state.ts';
import { EXPORT_FRAGMENT_BUDGET, writeRoutes } from './export-write.ts';

export interface ExportWorkerData {
  readonly site: SiteConfig;
  readonly outDir: string;
  readonly slugs: readonly string[];
  readonly documents: readonly FeedDocument[];
  /** What the previous export left, for these topics' files. */
  readonly checks: readonly (readonly [string, FileCheck])[];
}

export interface WorkerFile {
  readonly file: string;
  readonly outcome: FileOutcome;
  readonly record: FileRecord;
}

export type ExportWorkerMessage = { readonly kind: 'progress'; readonly files: readonly WorkerFile[] } | { readonly kind: 'done' };

const data = workerData as ExportWorkerData;
// Only these topics' documents: their topic entries (documents, summaries) equal the full catalog's.
// Not retained: each route's bytes are dropped once written. Item fragments in the thread's own
// cache, routes in the order that reuses them (as on the main thread).
const catalog = new LiveCatalog(data.site, { documents: data.documents, problems: [] }, { retain: false, fragments: new ItemFragmentCache(EXPORT_FRAGMENT_BUDGET) });
const slugs = new Set(data.slugs);
const mine = publishedRoutesForReuse(catalog, (topic) => topic !== undefined && slugs.has(topic));
let pending: WorkerFile[] = [];
await writeRoutes(catalog, mine, data.outDir, new Map(data.checks), (file, outcome, record) => {
  pending.push({ file, outcome, record });
  if (pending.length >= 25) {
    parentPort?.postMessage({ kind: 'progress', files: pending } satisfies ExportWorkerMessage);
    pending = [];
  }
});
if (pending.length > 0) parentPort?.postMessage({ kind: 'progress', files: pending } satisfies ExportWorkerMessage);
parentPort?.postMessage({ kind: 'done' } satisfies ExportWorkerMessage);
