import type { SiteConfig } from '../config/config.ts';
import type { Problem } from '../content/document.ts';
import { LiveCatalog } from '../publish/live-catalog.ts';
import { ContentStore } from './content-store.ts';

export interface LoadDirOptions {
  /** Parsed-document cache folder; none by default. */
  readonly cacheDir?: string;
  /** Parse threads (see parse-pool.ts); default: the cores, up to 4, for big folders. */
  readonly threads?: number;
  /**
   * Which documents get their content sanitized up front, on every core:
   * those in feed windows (a server), or all (a static build renders archives
   * too). The rest are sanitized on first read.
   */
  readonly content?: 'windows' | 'all';
}

/** Reads, normalizes and indexes a content folder into a servable snapshot. */
export async function loadCatalogFromDir(site: SiteConfig, contentDir: string, options: LoadDirOptions = {}): Promise<LiveCatalog> {
  const { store, runner } = await ContentStore.open({
    site,
    contentDir,
    ...(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir }),
    ...(options.threads === undefined ? {} : { threads: options.threads }),
  });
  try {
    const catalog = new LiveCatalog(site, store.loadResult());
    await store.pinWindows(catalog.index, options.content === 'all' ? Number.POSITIVE_INFINITY : site.feedLimit, runner);
    if (options.cacheDir !== undefined) await store.saveCache();
    return catalog;
  } finally {
    await runner.close();
  }
}

export function formatProblem(problem: Problem): string {
  return `${problem.file}: ${problem.field}: ${problem.reason} (${problem.action})`;
}
