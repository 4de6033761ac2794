import type { SiteConfig } from '../config/config.ts';
import type { Problem } from '../content/document.ts';
import { LiveCatalog } from '../publish/live-catalog.ts';
import { ContentStore, restamped } from './content-store.ts';
import type { FirstSeenLedger } from './first-seen.ts';
import type { ImageMemo } from './image-memo.ts';

export interface LoadDirOptions {
  /** Parsed-document cache folder; none by default. */
  readonly cacheDir?: string;
  /** Parse threads (see parse-pool.ts); default: the cores, up to 4, for big folders. */
  readonly threads?: number;
  /**
   * Which documents get their content sanitized up front, on every core:
   * those in feed windows (a server), or all (a static build renders archives
   * too), or none (`lazy`: a build that renders only what changed). The
   * rest are sanitized on first read.
   */
  readonly content?: 'windows' | 'all' | 'lazy';
  /** STATE_DIR: the first-seen ledger that dates items when they first appeared (first-seen.ts). */
  readonly stateDir?: string;
  /** An opened ledger instead (tests, simulations); left open. */
  readonly ledger?: FirstSeenLedger;
  /** Image facts shared with the caller's static files (image-memo.ts); saved with the cache. */
  readonly images?: ImageMemo;
  /**
   * Whether the saved cache keeps sanitized content (default true: a server's warm start reuses its
   * windows'). A build that renders few documents per run reads the cache faster without it.
   */
  readonly cacheContent?: boolean;
  /** Save the parse cache only when more than this many files were parsed or read again (default -1: always). */
  readonly saveAfterParsed?: number;
}

/** Reads, normalizes and indexes a content folder into a servable snapshot. */
export async function loadCatalogFromDir(site: SiteConfig, contentDir: string, options: LoadDirOptions = {}): Promise<LiveCatalog> {
  const { store, runner, report } = await ContentStore.open({
    site,
    contentDir,
    ...(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir }),
    ...(options.threads === undefined ? {} : { threads: options.threads }),
    ...(options.stateDir === undefined ? {} : { stateDir: options.stateDir }),
    ...(options.ledger === undefined ? {} : { ledger: options.ledger }),
    ...(options.images === undefined ? {} : { images: options.images }),
  });
  try {
    const catalog = new LiveCatalog(site, store.loadResult(), { files: store.files });
    const lazy = options.content === 'lazy';
    const sanitized = lazy ? 0 : await store.pinWindows(catalog.index, options.content === 'all' ? Number.POSITIVE_INFINITY : site.feedLimit, runner);
    // Files read again only to prove them unchanged count too: saved, their new stamps prove them by stat next time.
    if (options.cacheDir !== undefined && restamped(report) + sanitized > (options.saveAfterParsed ?? -1)) await store.saveCache(options.cacheContent === false ? new Set() : undefined);
    else options.images?.save();
    return catalog;
  } finally {
    store.close();
    await runner.close();
  }
}

export function formatProblem(problem: Problem): string {
  return `${problem.file}: ${problem.field}: ${problem.reason} (${problem.action})`;
}
