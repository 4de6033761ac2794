/**
 * The Node server's current snapshot: a LiveCatalog (what the Hono app serves)
 * and a FastTable (what the fast path serves), always swapped together in
 * one assignment, so a request sees the old snapshot or the new one.
 */
import type { SiteConfig } from '../config/config.ts';
import type { Problem } from '../content/document.ts';
import type { LoadReport, StoreOptions } from '../ingest/content-store.ts';
import { ContentStore } from '../ingest/content-store.ts';
import type { RenderStore } from '../ingest/render-store.ts';
import { LiveCatalog } from '../publish/live-catalog.ts';
import type { SubscriberTotals } from '../publish/subscribers.ts';
import { pathsOfTopics, topicOfPath } from '../publish/routes.ts';
import { patchTopicIndex } from '../topics/index-patch.ts';
import type { TopicIndex } from '../topics/topic-index.ts';
import { buildTopicIndex } from '../topics/topic-index.ts';
import { FastTable } from './fast-path.ts';
import type { OnDemand, Slot } from './fast-path.ts';
import { chooseWarmTopics, warmPaths } from './warm-policy.ts';

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
  /** Topics whose routes the warm-up covers (WARM_TOPICS, chosen by demand: src/node/warm-policy.ts). */
  readonly topics: number;
  /** Topics left to render (or be restored from the render store) on their first request. */
  readonly coldTopics: number;
  readonly routes: number;
  readonly rendered: number;
  /**
   * Fixed routes the render store holds: not rendered nor compressed, and not
   * read either until a request needs their bytes.
   */
  readonly fromStore: number;
  /** Other routes the last run served (archive pages) that the store holds (first warm-up only). */
  readonly servedFromStore: number;
  readonly renderMs: number;
  readonly compressMs: number;
}

export interface UpdateReport {
  readonly files: readonly string[];
  /**
   * Fixed routes whose bytes may have changed and that are warm (site-wide,
   * a warmed topic's, or served already): warmed first. A cold topic's
   * routes wait for their first request.
   */
  readonly affectedPaths: readonly string[];
  /** Topics of the documents that changed, before and after: the only topic feeds that can differ. */
  readonly affectedTopics: readonly string[];
  readonly problems: readonly Problem[];
  /** From the file event being handled to the new snapshot being served. */
  readonly applyMs: number;
  readonly previous: LiveCatalog;
  readonly next: LiveCatalog;
}

/** Every fixed route: pages, topics.json, OPML, and each scope's three feeds (what a start warms when every topic fits WARM_TOPICS). */
export function defaultPaths(index: TopicIndex): string[] {
  return pathsOfTopics(index.topicList);
}

export interface StartOptions extends StoreOptions {
  /** Rendered bytes kept across restarts (src/ingest/render-store.ts). */
  readonly renderStore?: RenderStore;
  /** WARM_TOPICS: how many topics' routes are rendered ahead; default every topic. */
  readonly warmTopics?: number;
  /** Subscriber totals of these topics: shown on the index and in topics.json, preferred by the warm-up. */
  readonly subscribers?: (slugs: Iterable<string>) => SubscriberTotals;
}

const yieldToRequests = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class LiveSite {
  private snapshot: Snapshot;
  private warming: Promise<WarmReport> | undefined;
  private pinning: ReturnType<typeof setTimeout> | undefined;
  /** The first warm-up also counts the other routes the last run served that the store holds. */
  private countServed = true;
  /** Topics whose routes every warm-up covers (at most `budget`); the rest are served on demand. */
  private readonly warmTopics: Set<string>;
  private warmPathCache: { index: TopicIndex; version: number; paths: readonly string[] } | undefined;
  private warmVersion = 0;
  /** Told how long each fixed route took to render during a warm-up (metrics). */
  onRender: ((ms: number) => void) | undefined;
  /** Told how a route the warm-up left out got its bytes on its first request, and how long it took (metrics). */
  onDemandFill: ((how: 'store' | 'render', ms: number) => void) | undefined;
  private readonly demand: OnDemand;

  private constructor(
    readonly site: SiteConfig,
    readonly store: ContentStore,
    catalog: LiveCatalog,
    /** Rendered bytes kept across restarts (src/ingest/render-store.ts); none when CACHE_DIR is off. */
    readonly renderStore: RenderStore | undefined,
    /** WARM_TOPICS. */
    readonly budget: number,
    warmTopics: readonly string[],
    /** The paths the last run served, most recent first (the render store's paths.json). */
    private readonly servedLastRun: readonly string[],
  ) {
    this.warmTopics = new Set(warmTopics);
    this.demand = {
      ...(renderStore === undefined ? {} : { source: renderStore }),
      filled: (how, ms) => this.onDemandFill?.(how, ms),
    };
    this.snapshot = { catalog, table: new FastTable(catalog, undefined, renderStore, this.demand, servedLastRun) };
  }

  static async start(options: StartOptions): Promise<{ live: LiveSite; report: StartReport }> {
    const { store, report: load, runner } = await ContentStore.open(options);
    const wallMs: Record<string, number> = {};
    let mark = performance.now();
    try {
      const loaded = store.loadResult();
      const index = buildTopicIndex(loaded.documents);
      const subscribers = options.subscribers?.(index.topics.keys());
      const catalog = new LiveCatalog(options.site, loaded, { index, files: store.files, ...(subscribers === undefined ? {} : { subscribers }) });
      wallMs.index = performance.now() - mark;
      // Listed while the content loaded: what the last run served is what this one warms first.
      const servedLastRun = options.renderStore ? await options.renderStore.loadPaths() : [];
      const budget = options.warmTopics ?? Number.POSITIVE_INFINITY;
      const warmTopics = chooseWarmTopics(index, budget, { servedPaths: servedLastRun, ...(subscribers === undefined ? {} : { subscribers: subscribers.byTopic }) });
      mark = performance.now();
      // Sanitize what the warmed feed windows show, on every core, before serving; other windows on first read.
      await store.pinWindows(index, options.site.feedLimit, runner, warmTopics.length === index.topics.size ? undefined : warmTopics);
      wallMs.sanitize = performance.now() - mark;
      const live = new LiveSite(options.site, store, catalog, options.renderStore, budget, warmTopics, servedLastRun);
      const health = catalog.health();
      return { live, report: { load, wallMs, documents: health.documents, problems: health.problems } };
    } finally {
      await runner.close();
    }
  }

  /** The fixed routes every warm-up of this snapshot covers: site-wide ones and the warm topics'. */
  private warmPathsOf(catalog: LiveCatalog): readonly string[] {
    const cached = this.warmPathCache;
    if (cached && cached.index === catalog.index && cached.version === this.warmVersion) return cached.paths;
    const paths = warmPaths(catalog, this.warmTopics);
    this.warmPathCache = { index: catalog.index, version: this.warmVersion, paths };
    return paths;
  }

  /**
   * Topics whose windows keep their sanitized content: the warm ones (undefined: every topic).
   * Not those served on demand: pinning them after an edit would sanitize all their windows at
   * once, on this thread; a cold topic's window is sanitized again only when it changes.
   */
  private pinnedTopics(index: TopicIndex): Set<string> | undefined {
    const topics = new Set<string>();
    for (const slug of this.warmTopics) if (index.topics.has(slug)) topics.add(slug);
    return topics.size === index.topics.size ? undefined : topics;
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
    this.snapshot = { catalog, table: new FastTable(catalog, previous.table, this.renderStore, this.demand) };
    const applyMs = performance.now() - startedAt;
    const topics = new Map<string, { slug: string; name: string }>();
    for (const document of [...change.removed, ...change.added]) for (const topic of document.topics) topics.set(topic.slug, topic);
    // A topic that is gone leaves the warm set; a new one joins it while the budget allows
    // (a small taxonomy stays wholly warm). A touched cold topic stays cold.
    for (const slug of topics.keys()) {
      if (!index.topics.has(slug)) {
        if (this.warmTopics.delete(slug)) this.warmVersion += 1;
      } else if (!previous.catalog.index.topics.has(slug) && this.warmTopics.size < this.budget) {
        this.warmTopics.add(slug);
        this.warmVersion += 1;
      }
    }
    // Which documents keep their sanitized content is bookkeeping: after the requests waiting now.
    clearTimeout(this.pinning);
    this.pinning = setTimeout(() => {
      const current = this.snapshot.catalog.index;
      void this.store.pinWindows(current, this.site.feedLimit, undefined, this.pinnedTopics(current));
    }, 200);
    this.pinning.unref();
    // Only routes that are warm get rendered ahead again; the others render when next asked for.
    const affectedPaths = pathsOfTopics(topics.values()).filter((path) => {
      const slug = topicOfPath(path);
      return slug === undefined || this.warmTopics.has(slug) || previous.table.holds(path);
    });
    return { files: change.changed, affectedPaths, affectedTopics: [...topics.keys()], problems: change.problems, applyMs, previous: previous.catalog, next: catalog };
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
    this.snapshot = { catalog, table: new FastTable(catalog, previous.table, this.renderStore, this.demand) };
    return catalog;
  }

  /**
   * Fills the warm routes of the current snapshot (site-wide ones and the
   * warm topics', `warmPaths`), `first` before them: those whose validators
   * did not change are carried over, those the render store has (by ETag)
   * are left to it (read on their first request), the rest are rendered and compressed (and saved to the
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
      const firstPaths = [...new Set(first)];
      const paths = [...new Set([...firstPaths, ...this.warmPathsOf(catalog)])];
      let topics = 0;
      for (const slug of this.warmTopics) if (catalog.index.topics.has(slug)) topics += 1;
      const coldTopics = catalog.index.topics.size - topics;
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
      const fill = async (batch: readonly string[], sliceMs: number): Promise<void> => {
        await this.renderStore?.whenScanned();
        let sliceStart = performance.now();
        for (const path of batch) {
          if (this.snapshot.table !== table) return;
          const slot = table.lookup(path);
          if (!slot) continue;
          routes += 1;
          // Stored bytes stay on disk until a request needs them: a poller holding this version
          // gets its 304 from the validators, and a first 200 reads and verifies one entry.
          if (!slot.rendered && this.renderStore?.has(slot.etag)) {
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
          if (performance.now() - sliceStart > sliceMs) {
            await yieldToRequests();
            sliceStart = performance.now();
          }
        }
      };
      // After an edit, the changed routes are rendered before the other ~600 are even looked up,
      // yielding after each: a poller of a changed feed waits behind one render at most.
      await fill(firstPaths, 0);
      await fill(paths.slice(firstPaths.length), 10);
      // Routes the previous snapshot served (archives) are carried over when unchanged.
      for (const path of table.inheritedPaths()) table.lookup(path);
      table.forgetPrevious();
      const renderMs = performance.now() - started;
      onRendered?.({ topics, coldTopics, routes, rendered, fromStore, servedFromStore: 0, renderMs, compressMs: 0 });
      const servedFromStore = this.snapshot.table === table ? this.storedServedPaths(table, new Set(paths)) : 0;
      await Promise.all(compressions);
      return { topics, coldTopics, routes, rendered, fromStore, servedFromStore, renderMs, compressMs: performance.now() - started - renderMs };
    };
    const previous = this.warming ?? Promise.resolve(undefined);
    this.warming = previous.then(run, run);
    return this.warming;
  }

  /**
   * How many routes the last run served beyond `fixed` (archive pages of the
   * overall feed and warm topics) the store holds: each is a read away, like
   * the fixed ones. Counted once, at the first warm-up.
   */
  private storedServedPaths(table: FastTable, fixed: ReadonlySet<string>): number {
    const store = this.renderStore;
    if (!store || !this.countServed) return 0;
    this.countServed = false;
    let stored = 0;
    for (const path of this.servedLastRun) {
      if (fixed.has(path)) continue;
      const slug = topicOfPath(path);
      if (slug !== undefined && !this.warmTopics.has(slug)) continue;
      const slot = table.lookup(path);
      if (slot && !slot.rendered && store.has(slot.etag)) stored += 1;
    }
    return stored;
  }

  /**
   * Tells the render store which routes requests were answered for (this run's
   * first, then the runs before), for the next start: its warm-up takes their
   * topics first.
   */
  async saveServedPaths(): Promise<void> {
    if (!this.renderStore) return;
    const { table, catalog } = this.snapshot;
    const served = table.servedPaths().filter((path) => {
      const slug = topicOfPath(path);
      return slug === undefined || catalog.index.topics.has(slug);
    });
    await this.renderStore.savePaths(served);
  }
}
