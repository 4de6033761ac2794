/**
 * One render thread of a parallel export: rebuilds the catalog of the topics
 * it was given (their documents arrive with their content already
 * sanitized), then renders and writes every route of those topics.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { SiteConfig } from '../config/config.ts';
import type { FeedDocument } from '../content/document.ts';
import { LiveCatalog } from '../publish/live-catalog.ts';
import { publishedRoutes } from '../publish/published-routes.ts';
import { writeRoutes } from './export-write.ts';

export interface ExportWorkerData {
  readonly site: SiteConfig;
  readonly outDir: string;
  readonly slugs: readonly string[];
  readonly documents: readonly FeedDocument[];
}

export type ExportWorkerMessage = { readonly kind: 'progress'; readonly files: number } | { readonly kind: 'done'; readonly bytes: number };

const data = workerData as ExportWorkerData;
// Only these topics' documents: their topic entries (documents, summaries) equal the full catalog's.
// Not retained: each route's bytes are dropped once written.
const catalog = new LiveCatalog(data.site, { documents: data.documents, problems: [] }, { retain: false });
const slugs = new Set(data.slugs);
const mine = (function* () {
  for (const route of publishedRoutes(catalog)) if (slugs.has(route.topic ?? '')) yield route;
})();
let pending = 0;
const bytes = await writeRoutes(mine, data.outDir, () => {
  pending += 1;
  if (pending >= 25) {
    parentPort?.postMessage({ kind: 'progress', files: pending } satisfies ExportWorkerMessage);
    pending = 0;
  }
});
if (pending > 0) parentPort?.postMessage({ kind: 'progress', files: pending } satisfies ExportWorkerMessage);
parentPort?.postMessage({ kind: 'done', bytes } satisfies ExportWorkerMessage);
