/**
 * The Node server's current snapshot: a LiveCatalog (what the Hono app serves)
 * and a FastTable (what the fast path serves), always swapped together in
 * one assignment, so a request sees the old snapshot or the new one.
 */
import type { SiteConfig } from '../config/config.ts';
import type { Problem } from '../content/document.ts';
import type { LoadReport, StoreOptions } from '../ingest/content-store.ts';
import { ContentStore } from '../ingest/content-store.ts';
import type { RenderStore, StoredRender } from '../ingest/render-store.ts';
import { LiveCatalog } from '../publish/live-catalog.ts';
import type { SubscriberTotals } from '../publish/subscribers.ts';
import { pathsOfTopics } from '../publish/routes.ts';
import { patchTopicIndex } from '../topics/index-patch.ts';
import type { TopicIndex } from '../topics/topic-index.ts';
import { FastTable } from './fast-path.ts';
import type { Slot } from './fast-path.ts';

export interface Snapshot {
  readonly catalog: LiveCatalog;
  readonly table: FastTable;
}

export interface StartReport {
  readonly load: LoadReport;
  /** Wall-clock per phase after the load: index, sanitize (window bodies). */
  readonly wallMs: Record<string, number>;
  readonly documents: number;
  readonly problems: number;
}

export interface WarmReport {
  readonly routes: number;
  readonly rendered: number;
  /** Fixed routes filled from the render store (no render, no compression). */
  readonly fromStore: number;
  /**
   * Other routes the last run served (archive pages) filled from the render
   * store after the fixed ones (first warm-up only; never rendered here).
   */
  readonly servedFromStore: number;
  readonly renderMs: number;
  readonly compressMs: number;
}

export interface UpdateReport {
  readonly files: readonly string[];
  /** Fixed routes whose bytes may have changed: warmed first. */
  readonly affectedPaths: readonly string[];
  readonly problems: readonly Problem[];
  /** From the file event being handled to the new snapshot being served. */
  readonly applyMs: number;
  readonly previous: LiveCatalog;
  readonly next: LiveCatalog;
}

/** The fixed routes every start renders: pages, topics.json, OPML, and each scope's three feeds. */
export function defaultPaths(index: TopicIndex): string[] {
  return pathsOfTopics(index.topicList);
}

const yieldToRequests = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class LiveSite {
  private snapshot: Snapshot;
  private warming: Promise<WarmReport> | undefined;
  private pinning: ReturnType<typeof setTimeout> | undefined;
  /** The first warm-up also fills, from the store, the other routes the last run served. */
  private restoreServed = true;
  /** Told how long each fixed route took to render during a warm-up (metrics). */
  onRender: ((ms: number) => void) | undefined;

  private constructor(
    readonly site: SiteConfig,
    readonly store: ContentStore,
    catalog: LiveCatalog,
    /** Rendered bytes kept across restarts (src/ingest/render-store.ts); none when CACHE_DIR is off. */
    readonly renderStore?: RenderStore,
  ) {
    this.snapshot = { catalog, table: new FastTable(catalog, undefined, renderStore) };
  }

  static async start(options: StoreOptions & { readonly renderStore?: RenderStore }): Promise<{ live: LiveSite; report: StartReport }> {
    const { store, report: load, runner } = await ContentStore.open(options);
    const wallMs: Record<string, number> = {};
    let mark = performance.now();
    try {
      const catalog = new LiveCatalog(options.site, store.loadResult(), { files: store.files });
      wallMs.index = performance.now() - mark;
      mark = performance.now();
      // Sanitize what the feed windows show, on every core, before serving.
      await store.pinWindows(catalog.index, options.site.feedLimit, runner);
      wallMs.sanitize = performance.now() - mark;
      const live = new LiveSite(options.site, store, catalog, options.renderStore);
      const health = catalog.health();
      return { live, report: { load, wallMs, documents: health.documents, problems: health.problems } };
    } finally {
      await runner.close();
    }
  }

  get catalog(): LiveCatalog {
    return this.snapshot.catalog;
  }

  /**
   * Durable state to disk before the process exits (SIGTERM): the first-seen
   * ledger commits every instant as it is assigned, so this only closes it.
   * Safe to call twice; call it after the last `apply`.
   */
  close(): void {
    clearTimeout(this.pinning);
    this.store.close();
  }

  get table(): FastTable {
    return this.snapshot.table;
  }

  /**
   * Applies changed paths (files or folders) as a new snapshot: one edited
   * document re-parses that file, patches the index, and leaves every
   * feed whose validators did not change with its rendered bytes.
   */
  apply(paths: readonly string[], startedAt = performance.now()): UpdateReport | undefined {
    const change = this.store.applyChanges(paths);
    if (change.changed.length === 0) return undefined;
    const previous = this.snapshot;
    const index = patchTopicIndex(previous.catalog.index, change.removed, change.added);
    const catalog = new LiveCatalog(this.site, { documents: index.all, problems: this.store.problems() }, { index, subscribers: previous.catalog.subscribers, files: this.store.files });
    this.snapshot = { catalog, table: new FastTable(catalog, previous.table, this.renderStore) };
    const applyMs = performance.now() - startedAt;
    // Which documents keep their sanitized content is bookkeeping: after the requests waiting now.
    clearTimeout(this.pinning);
    this.pinning = setTimeout(() => void this.store.pinWindows(this.snapshot.catalog.index, this.site.feedLimit), 200);
    this.pinning.unref();
    const topics = new Map<string, { slug: string; name: string }>();
    for (const document of [...change.removed, ...change.added]) for (const topic of document.topics) topics.set(topic.slug, topic);
    const affectedPaths = pathsOfTopics(topics.values());
    return { files: change.changed, affectedPaths, problems: change.problems, applyMs, previous: previous.catalog, next: catalog };
  }

  /**
   * Swaps in a snapshot with new subscriber totals (same documents, same
   * index): only the index and topics.json get new validators and bytes;
   * every other slot is carried over by its unchanged ETag.
   */
  setSubscribers(totals: SubscriberTotals): LiveCatalog {
    const previous = this.snapshot;
    const { catalog: old } = previous;
    const catalog = new LiveCatalog(this.site, { documents: old.index.all, problems: old.problems }, { index: old.index, subscribers: totals, files: this.store.files });
    this.snapshot = { catalog, table: new FastTable(catalog, previous.table, this.renderStore) };
    return catalog;
  }

  /**
   * Fills the fixed routes of the current snapshot: those whose validators
   * did not change are carried over, those the render store has (by ETag)
   * are read from it, the rest are rendered and compressed (and saved to the
   * store), a few at a time so requests are served in between. A newer
   * snapshot stops an older warm-up.
   */
  warm(compress = true, onRendered?: (report: WarmReport) => void, first: readonly string[] = []): Promise<WarmReport> {
    const run = async (): Promise<WarmReport> => {
      const { table, catalog } = this.snapshot;
      const started = performance.now();
      let rendered = 0;
      let fromStore = 0;
      let routes = 0;
      const paths = [...new Set([...first, ...defaultPaths(catalog.index)])];
      // The store's reads all start now (a few run at once); the loop below takes them in order.
      // Only ETags the store knows are read (a miss costs no I/O), and the lookups yield like the
      // renders below: after an edit, requests for the changed feeds must not wait behind 600 lookups.
      const stored = new Map<string, Promise<StoredRender | undefined>>();
      let sliceStart = performance.now();
      if (this.renderStore) {
        await this.renderStore.whenScanned();
        for (const path of paths) {
          if (this.snapshot.table !== table) break;
          const slot = table.lookup(path);
          if (slot && !slot.rendered && this.renderStore.has(slot.etag)) stored.set(path, this.renderStore.get(slot.etag).catch(() => undefined));
          if (performance.now() - sliceStart > 10) {
            await yieldToRequests();
            sliceStart = performance.now();
          }
        }
      }
      sliceStart = performance.now();
      // Compression runs on the libuv pool while this thread renders the next routes.
      const compressions: Promise<void>[] = [];
      let active = 0;
      const waiting: (() => void)[] = [];
      const compressSlot = async (slot: Slot): Promise<void> => {
        while (active >= 2) await new Promise<void>((go) => waiting.push(go));
        active += 1;
        try {
          if (this.snapshot.table === table) await Promise.all([slot.compress('br'), slot.compress('gzip')]);
        } finally {
          active -= 1;
          waiting.shift()?.();
        }
      };
      for (const path of paths) {
        if (this.snapshot.table !== table) break;
        const slot = table.lookup(path);
        if (!slot) continue;
        routes += 1;
        const hit = stored.has(path) ? await stored.get(path) : undefined;
        if (hit && slot.restore(hit)) {
          fromStore += 1;
          continue;
        }
        if (!slot.rendered) {
          try {
            const renderStarted = performance.now();
            slot.render(!compress);
            this.onRender?.(performance.now() - renderStarted);
            rendered += 1;
          } catch (error) {
            console.error(`render failed for ${path}`, error);
            continue;
          }
        }
        if (compress && !slot.compressed) compressions.push(compressSlot(slot));
        if (performance.now() - sliceStart > 10) {
          await yieldToRequests();
          sliceStart = performance.now();
        }
      }
      // Routes the previous snapshot served (archives) are carried over when unchanged.
      for (const path of table.inheritedPaths()) table.lookup(path);
      table.forgetPrevious();
      const renderMs = performance.now() - started;
      onRendered?.({ routes, rendered, fromStore, servedFromStore: 0, renderMs, compressMs: 0 });
      const servedFromStore = await this.restoreServedPaths(table, new Set(paths));
      await Promise.all(compressions);
      return { routes, rendered, fromStore, servedFromStore, renderMs, compressMs: performance.now() - started - renderMs };
    };
    const previous = this.warming ?? Promise.resolve(undefined);
    this.warming = previous.then(run, run);
    return this.warming;
  }

  /** Fills the routes the last run served beyond `fixed` from the store, once; how many were filled. */
  private async restoreServedPaths(table: FastTable, fixed: ReadonlySet<string>): Promise<number> {
    const store = this.renderStore;
    if (!store || !this.restoreServed) return 0;
    this.restoreServed = false;
    const reads: [Slot, Promise<StoredRender | undefined>][] = [];
    for (const path of await store.loadPaths()) {
      if (fixed.has(path) || this.snapshot.table !== table) continue;
      const slot = table.lookup(path);
      if (slot && !slot.rendered && store.has(slot.etag)) reads.push([slot, store.get(slot.etag).catch(() => undefined)]);
    }
    let filled = 0;
    for (const [slot, read] of reads) {
      const hit = await read;
      if (hit && slot.restore(hit)) filled += 1;
    }
    return filled;
  }

  /** Tells the render store which routes this run has served, for the next start (see `restoreServedPaths`). */
  async saveServedPaths(): Promise<void> {
    if (this.renderStore) await this.renderStore.savePaths(this.snapshot.table.renderedPaths());
  }
}
