/**
 * The Node runtime's view of the content folder: one entry per file (its
 * stamp, parsed fields and problems), the documents built from them, and the
 * sanitized content of the documents that some feed window shows. It loads
 * with every core and the disk cache, and applies file changes one by one.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import type { SiteConfig } from '../config/config.ts';
import type { DocumentTopic, FeedDocument, LoadResult, Problem } from '../content/document.ts';
import type { DocumentContent } from '../content/load.ts';
import { byFile, dropDuplicates } from '../content/load.ts';
import { renderContent } from '../content/normalize.ts';
import { ProblemLog } from '../content/problems.ts';
import { backfillPublishedMs } from '../content/published.ts';
import type { TopicIndex } from '../topics/topic-index.ts';
import type { CacheEntry, CacheStatus } from './doc-cache.ts';
import { DocumentCache, cacheStamp } from './doc-cache.ts';
import { FirstSeenLedger } from './first-seen.ts';
import type { FileList } from './fs-source.ts';
import { listContentFiles, relativeFile, walkProblems } from './fs-source.ts';
import { LazyFields, CachedRecord, topicKey, withFields } from './cached-fields.ts';
import { LazyDocument } from './lazy-document.ts';
import { MediaLibrary, NodeStaticFiles } from './media.ts';
import type { ImageMemo } from './image-memo.ts';
import { openImageMemo } from './image-memo.ts';
import { demandRunner, inlineRunner } from './parse-pool.ts';
import type { TaskRunner } from './parse-pool.ts';
import type { BodyTask, FileStamp, ParsedRecord, ScanResult, ScanTask, TaskTimings } from './parse-tasks.ts';
import { addTimings, emptyTimings, renderBodyTask, scanFile, statHit } from './parse-tasks.ts';
import type { ContentScan } from './stat-thread.ts';
import { STAT_THREAD_MIN_PATHS, scanContentOnThread } from './stat-thread.ts';

export interface StoreOptions {
  readonly site: SiteConfig;
  readonly contentDir: string;
  /** Where the parsed-document cache lives; undefined: no disk cache. */
  readonly cacheDir?: string;
  /** Parse threads; 0 or 1 parses inline. Default: the cores, up to 4. */
  readonly threads?: number;
  /** Fewer files than this parse inline whatever `threads` says (tests lower it). */
  readonly minFilesForThreads?: number;
  /** A warm load of fewer cached documents than this lists and stats on this thread (tests lower it). */
  readonly minPathsForStatThread?: number;
  /**
   * STATE_DIR: where the first-seen ledger of this content folder lives (first-seen.ts). Items
   * are published when they first appeared; without a ledger, at their front matter's `date`.
   */
  readonly stateDir?: string;
  /** An opened ledger (tests, simulations); wins over `stateDir`. Its owner closes it, not the store. */
  readonly ledger?: FirstSeenLedger;
  /** Image facts to reuse (a build's, shared with its static files); default: the one under `cacheDir`. */
  readonly images?: ImageMemo;
}

/** Where a load's time went: wall-clock per phase, and the summed work of the parse threads. */
export interface LoadReport {
  readonly files: number;
  readonly parsed: number;
  readonly fromCache: number;
  /**
   * Cache hits a stat could not prove (a changed mtime, or one too close to when the stamp was
   * taken), read and hashed again. The new stamps prove them by stat once the cache is saved.
   */
  readonly reread: number;
  readonly cache: CacheStatus;
  readonly cacheDetail?: string;
  readonly threads: number;
  readonly wallMs: Record<string, number>;
  readonly work: TaskTimings;
}

/**
 * Files whose cache entries now carry new stamps (parsed, or read again with the same bytes): what a
 * saved cache would spare the next load. Every caller decides on saving by this count.
 */
export function restamped(report: LoadReport): number {
  return report.parsed + report.reread;
}

interface Entry {
  readonly file: string;
  readonly path: string;
  stamp: FileStamp;
  readonly record: ParsedRecord;
  /** Sanitized content of a document in some feed window (pinned). */
  content?: DocumentContent;
  /** When the document first appeared (the first-seen ledger); unset without a ledger. */
  publishedMs?: number;
  document?: FeedDocument;
  /** Set when the document lost its id or slug to another file. */
  duplicate?: Problem;
  /** Set when its featured image file is missing or refused (src/ingest/media.ts); served without the image. */
  media?: Problem;
}

export interface ChangeSet {
  /** Files whose document was added, changed or removed. */
  readonly changed: readonly string[];
  /** Documents no longer served, and documents served now (an edit is one of each). */
  readonly removed: readonly FeedDocument[];
  readonly added: readonly FeedDocument[];
  /** Problems that are new with this change (for the log). */
  readonly problems: readonly Problem[];
}

/** Content of documents outside every window, kept briefly for `?limit` feeds. */
const LOOSE_CONTENT_LIMIT = 1000;

export class ContentStore {
  private readonly entries = new Map<string, Entry>();
  private readonly unreadable = new Map<string, Problem>();
  private walkProblems: readonly Problem[] = [];
  private readonly byId = new Map<string, string>();
  private readonly bySlug = new Map<string, string>();
  /** Served documents in the order of the last index, so the next sort is near-linear. */
  private order: FeedDocument[] = [];
  /** Files changed since `order` was taken. */
  private readonly changed = new Set<string>();
  private problemList: Problem[] | undefined;
  /** Entries left out because another file holds their id or slug. */
  private readonly duplicates = new Set<Entry>();
  /** Entries that have (or had) problems to report. */
  private readonly problemEntries = new Set<Entry>();
  private readonly topicObjects = new Map<string, DocumentTopic>();
  /** The values of `topicObjects`, by identity. */
  private readonly sharedTopics = new Set<DocumentTopic>();
  private pinned = new Set<string>();
  private readonly loose = new Map<string, DocumentContent>();
  private readonly cache: DocumentCache | undefined;
  /** First-seen instants: the documents' published times (first-seen.ts); none: front matter `date`. */
  readonly ledger: FirstSeenLedger | undefined;
  private readonly ownsLedger: boolean;
  private readonly root: string;
  readonly bodyTimings = emptyTimings();

  private constructor(
    readonly site: SiteConfig,
    readonly contentDir: string,
    cacheDir: string | undefined,
    ledger: FirstSeenLedger | undefined,
    ownsLedger: boolean,
    images: ImageMemo | undefined,
  ) {
    this.root = contentDir;
    this.ledger = ledger;
    this.ownsLedger = ownsLedger;
    this.cache = cacheDir === undefined ? undefined : new DocumentCache(cacheDir, cacheStamp(site), contentDir);
    this.images = images ?? openImageMemo(site, contentDir, cacheDir);
    this.media = new MediaLibrary(contentDir, site, this.images);
    this.files = new NodeStaticFiles(contentDir, site);
  }

  /** The icon and the local images, read from disk on request: every LiveCatalog of this store serves them. */
  readonly files: NodeStaticFiles;

  /** Measures local images as documents are built; an image a stat cannot prove unchanged is checked in full. */
  private readonly media: MediaLibrary;
  /** What the image checks found (CACHE_DIR), shared with a build's or export's static files; saved with the cache. */
  readonly images: ImageMemo;

  /**
   * What `open` starts first for a large warm load: another thread reads the cache, lists the
   * folder and stats its files, hashes the cache, then stats the images the memo remembers,
   * while this one opens the ledger and the memo and parses the cache. Only a cache can turn a
   * stat into a hit. It only reads, so a caller with work of its own before `open` (the export's
   * folder check) starts it then, and passes it to `open`, which ends it.
   */
  static scanAhead(options: Pick<StoreOptions, 'contentDir' | 'cacheDir' | 'minPathsForStatThread'>): ContentScan | undefined {
    const cacheFile = options.cacheDir === undefined ? undefined : DocumentCache.pathFor(options.cacheDir, options.contentDir);
    const cachedCount = cacheFile === undefined ? undefined : DocumentCache.peekCount(cacheFile);
    return (cachedCount ?? 0) >= (options.minPathsForStatThread ?? STAT_THREAD_MIN_PATHS) ? scanContentOnThread(options.contentDir, cacheFile) : undefined;
  }

  /** Lists, reads and parses the folder (unchanged files from the cache). `scan`: from `scanAhead` with the same options. */
  static async open(options: StoreOptions, scan = ContentStore.scanAhead(options)): Promise<{ store: ContentStore; report: LoadReport; runner: TaskRunner }> {
    const wallMs: Record<string, number> = {};
    let mark = performance.now();
    const lap = (phase: string): void => {
      const now = performance.now();
      wallMs[phase] = (wallMs[phase] ?? 0) + now - mark;
      mark = now;
    };
    try {
      return await ContentStore.load(options, scan, lap, wallMs);
    } finally {
      scan?.close();
    }
  }

  private static async load(
    options: StoreOptions,
    thread: ContentScan | undefined,
    lap: (phase: string) => void,
    wallMs: Record<string, number>,
  ): Promise<{ store: ContentStore; report: LoadReport; runner: TaskRunner }> {
    const ledger = options.ledger ?? (options.stateDir === undefined ? undefined : FirstSeenLedger.open({ stateDir: options.stateDir, contentDir: options.contentDir }));
    const store = new ContentStore(options.site, options.contentDir, options.cacheDir, ledger, options.ledger === undefined, options.images);
    const imageStats = thread?.statMore(options.contentDir, store.images.knownFiles());
    lap('open');
    // The cache's records share this store's topic objects, so interning them copies nothing.
    // Read on the scan thread when there is one (it hashes the bytes while this thread parses them).
    const read = await thread?.cache;
    const cached = (read === undefined ? store.cache?.load(store.topicObjects) : await store.cache?.loadRead(read, store.topicObjects)) ?? { status: 'off' as const, entries: new Map<string, CacheEntry>() };
    for (const topic of store.topicObjects.values()) store.sharedTopics.add(topic);
    lap('cacheRead');
    const walked = await thread?.listed;
    const listing: FileList = walked ? { files: walked.files, problems: walkProblems(options.contentDir, walked.problems) } : listContentFiles(options.contentDir);
    const prestats = walked?.stats;
    store.walkProblems = listing.problems;
    lap('list');
    const images = await imageStats;
    if (images) store.images.usePrestats(images);
    lap('statWait');
    // Threads start only for a batch big enough to need them (many files to read, many bodies to sanitize).
    const runner = demandRunner(options.site, options.threads, options.minFilesForThreads);

    const tasks: ScanTask[] = listing.files.map((path) => {
      const file = relativeFile(options.contentDir, path);
      const known = cached.entries.get(file)?.stamp;
      return known === undefined ? { file, path } : { file, path, known };
    });
    // Files a stat proves unchanged are hits here, without a read; only the rest go to the threads.
    const proven = tasks.map((task) => statHit(task, prestats));
    const rest = tasks.filter((_task, i) => proven[i] === undefined);
    const scanned = rest.length === 0 ? { results: [], timings: emptyTimings() } : await runner.scan(rest);
    let next = 0;
    const scan = { results: proven.map((hit) => hit ?? scanned.results[next++]!), timings: scanned.timings };
    lap('readParse');

    let parsed = 0;
    let fromCache = 0;
    let reread = 0;
    for (const result of scanned.results) if (result.kind === 'hit') reread += 1;
    const fresh: Entry[] = [];
    scan.results.forEach((result, i) => {
      const path = tasks[i]?.path ?? join(options.contentDir, result.file);
      if (result.kind === 'unreadable') {
        store.unreadable.set(result.file, result.problem);
        return;
      }
      const hit = result.kind === 'hit' ? cached.entries.get(result.file) : undefined;
      if (hit) fromCache += 1;
      else parsed += 1;
      const record = store.interned(hit ? hit.record : result.kind === 'parsed' ? result.record : { problems: [] });
      const entry: Entry = { file: result.file, path, stamp: result.stamp, record };
      if (hit?.content) entry.content = hit.content;
      if (record.problems.length > 0) store.problemEntries.add(entry);
      fresh.push(entry);
    });
    fresh.sort(byFile);
    for (const entry of fresh) store.entries.set(entry.file, entry);
    store.resolveDuplicates(fresh);
    lap('collect');
    // Published instants before any index is built: the feeds are ordered by them.
    store.assignPublished(fresh);
    lap('ledger');

    const report: LoadReport = {
      files: listing.files.length,
      parsed,
      fromCache,
      reread,
      cache: cached.status,
      ...(cached.detail === undefined ? {} : { cacheDetail: cached.detail }),
      threads: runner.threads,
      wallMs,
      work: scan.timings,
    };
    return { store, report, runner };
  }

  /** Documents and problems for a LiveCatalog; documents in the last index order, so its sort is near-linear. */
  loadResult(): LoadResult {
    let documents: FeedDocument[];
    if (this.order.length === 0) {
      documents = [];
      for (const entry of this.entries.values()) if (isServed(entry)) documents.push(this.documentOf(entry));
    } else if (this.changed.size === 0) {
      documents = this.order;
    } else {
      documents = this.order.filter((document) => !this.changed.has(document.file));
      for (const file of this.changed) {
        const entry = this.entries.get(file);
        if (entry && isServed(entry)) documents.push(this.documentOf(entry));
      }
    }
    // The load's image stats were taken before these documents were built; later ones stat again.
    this.images.dropPrestats();
    return { documents, problems: this.problems() };
  }

  problems(): Problem[] {
    if (this.problemList) return this.problemList;
    const problems: Problem[] = [...this.walkProblems, ...this.unreadable.values()];
    // Only entries with problems are visited: a one-file update must not walk 50k entries.
    for (const entry of this.problemEntries) {
      if (this.entries.get(entry.file) !== entry || (entry.record.problems.length === 0 && !entry.duplicate && !entry.media)) this.problemEntries.delete(entry);
    }
    const withProblems = [...this.problemEntries].sort(byFile);
    for (const entry of withProblems) {
      problems.push(...entry.record.problems);
      if (entry.media) problems.push(entry.media);
      if (entry.duplicate) problems.push(entry.duplicate);
    }
    this.problemList = problems;
    return problems;
  }

  /**
   * One object per distinct topic: 50k documents share ~150, so the index
   * groups by identical strings and memory holds each name once.
   */
  private interned(record: ParsedRecord): ParsedRecord {
    const fields = record.fields;
    if (!fields) return record;
    // Records from the cache already hold the shared objects (it fills the same map).
    if (fields.topics.every((topic) => this.sharedTopics.has(topic))) return record;
    const topics = fields.topics.map((topic) => {
      const key = topicKey(topic);
      let shared = this.topicObjects.get(key);
      if (!shared) {
        shared = topic;
        this.topicObjects.set(key, shared);
        this.sharedTopics.add(shared);
      }
      return shared;
    });
    if (topics.every((topic, i) => topic === fields.topics[i])) return record;
    const interned = withFields(fields, { topics });
    return record instanceof CachedRecord && interned instanceof LazyFields ? new CachedRecord(interned, record.bodyStart, record.problems) : { ...record, fields: interned };
  }

  /**
   * Keeps content for the documents of `index`'s feed windows (the newest
   * `limit` overall and per topic; with `topics`, only those topics') and
   * drops it for the rest, which are sanitized again on first read. Missing
   * content is made by `runner` (every core at start-up) or inline.
   */
  async pinWindows(index: TopicIndex, limit: number, runner: TaskRunner = inlineRunner(this.site), topics?: Iterable<string>): Promise<number> {
    this.order = [...index.all];
    this.changed.clear();
    const pinned = new Set<string>();
    for (const document of index.all.slice(0, limit)) pinned.add(document.file);
    // Memory follows demand: only the windows of topics served or warmed keep their content.
    const windows = topics === undefined ? index.topics.values() : [...topics].flatMap((slug) => index.topics.get(slug) ?? []);
    for (const topic of windows) for (const document of topic.documents.slice(0, limit)) pinned.add(document.file);
    for (const file of this.pinned) {
      const entry = this.entries.get(file);
      if (entry && !pinned.has(file) && entry.content) {
        this.remember(file, entry.content);
        delete entry.content;
      }
    }
    this.pinned = pinned;
    const missing = this.withoutContent(pinned);
    await this.fill(missing, runner);
    return missing.length;
  }

  /**
   * Makes (on `runner`) and keeps the content of `files` until `release`:
   * a static build's sweep over its archive pages (content-sweep.ts).
   */
  async hold(files: readonly string[], runner: TaskRunner): Promise<void> {
    for (const file of files) if (this.entries.has(file)) this.pinned.add(file);
    await this.fill(this.withoutContent(files), runner);
  }

  /** Drops the content of `files`; it is made again on a later read. */
  release(files: readonly string[]): void {
    for (const file of files) {
      this.pinned.delete(file);
      this.loose.delete(file);
      const entry = this.entries.get(file);
      if (entry) delete entry.content;
    }
  }

  /** Files whose content is kept (the windows pinned, and what `hold` holds). */
  get heldFiles(): ReadonlySet<string> {
    return this.pinned;
  }

  /** The entries of `files` that still need content once loose content is taken back. */
  private withoutContent(files: Iterable<string>): Entry[] {
    const missing: Entry[] = [];
    for (const file of files) {
      const entry = this.entries.get(file);
      if (!entry || entry.content) continue;
      const loose = this.loose.get(file);
      if (loose) {
        entry.content = loose;
        this.loose.delete(file);
      } else missing.push(entry);
    }
    return missing;
  }

  private async fill(missing: readonly Entry[], runner: TaskRunner): Promise<void> {
    if (missing.length === 0) return;
    const { results, timings } = await runner.bodies(missing.map((entry) => bodyTask(entry)));
    addTimings(this.bodyTimings, timings);
    results.forEach((content, i) => {
      const entry = missing[i];
      // Released meanwhile: the sweep moved past it.
      if (entry && content && this.pinned.has(entry.file)) entry.content = content;
    });
  }

  /**
   * Re-reads the given paths (files or folders, absolute) and applies what
   * changed. A document that now claims another's id or slug is the one left
   * out: an edit never removes a document that was being served.
   */
  applyChanges(paths: Iterable<string>): ChangeSet {
    // The content folder itself gone (unmounted, mid-deploy swap): keep serving the last good snapshot.
    let rootIsFolder = false;
    try {
      rootIsFolder = statSync(this.root).isDirectory();
    } catch {
      rootIsFolder = false;
    }
    if (!rootIsFolder) {
      console.warn(`content folder ${this.root} is gone; still serving the last content`);
      return { changed: [], removed: [], added: [], problems: [] };
    }
    const changed = new Set<string>();
    const removed: FeedDocument[] = [];
    const newProblems: Problem[] = [];
    const timings = emptyTimings();
    const touched: Entry[] = [];
    const release = (entry: Entry): void => {
      if (this.byId.get(entry.record.fields?.id ?? '') === entry.file) this.byId.delete(entry.record.fields?.id ?? '');
      if (this.bySlug.get(entry.record.fields?.slug ?? '') === entry.file) this.bySlug.delete(entry.record.fields?.slug ?? '');
    };
    const remove = (file: string): void => {
      const entry = this.entries.get(file);
      this.unreadable.delete(file);
      if (!entry) return;
      if (isServed(entry) && entry.document) removed.push(entry.document);
      release(entry);
      this.entries.delete(file);
      this.loose.delete(file);
      changed.add(file);
    };
    const rescan = (path: string): void => {
      const file = relativeFile(this.root, path);
      const old = this.entries.get(file);
      const task: ScanTask = old ? { file, path, known: old.stamp } : { file, path };
      const result: ScanResult = scanFile(task, this.site, timings);
      if (result.kind === 'hit') {
        if (old) old.stamp = result.stamp;
        return;
      }
      remove(file);
      changed.add(file);
      if (result.kind === 'unreadable') {
        this.unreadable.set(file, result.problem);
        newProblems.push(result.problem);
        return;
      }
      const entry: Entry = { file, path, stamp: result.stamp, record: this.interned(result.record) };
      this.entries.set(file, entry);
      if (entry.record.problems.length > 0) this.problemEntries.add(entry);
      touched.push(entry);
      newProblems.push(...result.record.problems);
    };

    // An image added, replaced or removed: the documents that show it are built again (and measured).
    const remeasure = (image: string): void => {
      for (const entry of this.entries.values()) {
        if (entry.record.fields?.image?.file !== image) continue;
        if (isServed(entry) && entry.document) removed.push(entry.document);
        delete entry.document;
        delete entry.media;
        changed.add(entry.file);
      }
    };

    for (const path of new Set(paths)) {
      const file = relativeFile(this.root, path);
      if (file.startsWith('..') || file.split('/').some((part) => part.startsWith('.'))) continue;
      let kind: 'file' | 'folder' | 'gone';
      try {
        const info = statSync(path);
        kind = info.isDirectory() ? 'folder' : info.isFile() ? 'file' : 'gone';
      } catch {
        kind = 'gone';
      }
      if (kind === 'file' && file.endsWith('.md')) rescan(path);
      else if (kind !== 'folder' && MediaLibrary.mayBeImage(file)) remeasure(file);
      else if (kind === 'gone' || kind === 'folder') {
        // A folder moved away takes its files with it; one moved in brings its own.
        const prefix = file === '' ? '' : `${file}/`;
        for (const known of [...this.entries.keys(), ...this.unreadable.keys()]) {
          if (known === file || known.startsWith(prefix)) {
            if (kind === 'gone' || !existsAsFile(join(this.root, ...known.split('/')))) remove(known);
          }
        }
        if (kind === 'folder') for (const inner of listMarkdownSync(path)) rescan(inner);
      }
    }
    if (changed.size === 0) return { changed: [], removed: [], added: [], problems: [] };
    this.problemList = undefined;

    // Documents left out as duplicates may be free to claim now.
    const retry = [...this.duplicates].filter((entry) => this.entries.get(entry.file) === entry);
    for (const entry of this.duplicates) delete entry.duplicate;
    this.duplicates.clear();
    const waiting = [...touched.filter((entry) => this.entries.get(entry.file) === entry), ...retry].sort(byFile);
    for (const entry of this.resolveDuplicates(waiting)) newProblems.push(entry);
    for (const entry of retry) if (entry.duplicate === undefined) changed.add(entry.file);
    addTimings(this.bodyTimings, timings);
    // Recorded (committed) before the new documents are served: what a reader saw survives a crash.
    this.assignPublished([...changed].flatMap((file) => this.entries.get(file) ?? []));
    const added: FeedDocument[] = [];
    for (const file of changed) {
      this.changed.add(file);
      const entry = this.entries.get(file);
      if (entry && isServed(entry)) added.push(this.documentOf(entry));
    }
    return { changed: [...changed], removed, added, problems: newProblems };
  }

  /** Entries with their content as the cache stores them; with `contentOf`, content only for those files. */
  cacheEntries(contentOf?: ReadonlySet<string>): CacheEntry[] {
    const out: CacheEntry[] = [];
    for (const entry of this.entries.values()) {
      const content = contentOf === undefined || contentOf.has(entry.file) ? entry.content : undefined;
      out.push({ file: entry.file, stamp: entry.stamp, record: entry.record, ...(content ? { content } : {}) });
    }
    return out;
  }

  /**
   * Gives served documents without one their published instant from the
   * ledger: known ids keep theirs, new ones are recorded (first-seen.ts).
   */
  private assignPublished(entries: readonly Entry[]): void {
    const ledger = this.ledger;
    if (!ledger) return;
    const waiting = entries.filter((entry) => isServed(entry) && entry.publishedMs === undefined);
    const instants = ledger.assign(
      waiting.map((entry) => {
        const fields = entry.record.fields!;
        return { id: fields.id, backfillMs: backfillPublishedMs(fields) };
      }),
    );
    waiting.forEach((entry, i) => (entry.publishedMs = instants[i]));
  }

  /** Closes the first-seen ledger it opened (every instant is already committed). Safe to call twice. */
  close(): void {
    if (this.ownsLedger) this.ledger?.close();
  }

  /**
   * Writes the parse cache. `contentOf` limits the sanitized content saved to
   * those files (an export holds every document's: a warm load reads only
   * what the feed windows need, not all of it).
   */
  async saveCache(contentOf?: ReadonlySet<string>): Promise<boolean> {
    this.images.save();
    if (!this.cache) return false;
    await this.cache.save(this.cacheEntries(contentOf));
    return true;
  }

  /** Claims ids and slugs in order; returns the duplicate problems it made. */
  private resolveDuplicates(entries: readonly Entry[]): Problem[] {
    const candidates = entries.filter((entry) => entry.record.fields !== undefined);
    const identities = candidates.map((entry) => ({ id: entry.record.fields!.id, slug: entry.record.fields!.slug, file: entry.file }));
    const { problems } = dropDuplicates(identities, { byId: this.byId, bySlug: this.bySlug });
    const byFileName = new Map(problems.map((problem) => [problem.file, problem]));
    for (const entry of candidates) {
      const problem = byFileName.get(entry.file);
      if (problem) {
        entry.duplicate = problem;
        this.duplicates.add(entry);
        this.problemEntries.add(entry);
      }
    }
    return problems;
  }

  private documentOf(entry: Entry): FeedDocument {
    const fields = entry.record.fields;
    if (!fields) throw new Error(`${entry.file} has no document`);
    if (entry.document) return entry.document;
    const publishedMs = entry.publishedMs ?? fields.publishedMs;
    // The image's true type, size and length come from its file, measured now (a missing one is reported).
    const measured = this.media.measure(fields);
    if (measured.problem) {
      entry.media = measured.problem;
      this.problemEntries.add(entry);
      this.problemList = undefined;
    }
    const served = measured.fields;
    // The record keeps the front matter's date (the disk cache stores it); the document carries the ledger's.
    entry.document = new LazyDocument(publishedMs === served.publishedMs ? served : withFields(served, { publishedMs }), () => this.contentOf(entry));
    return entry.document;
  }

  private contentOf(entry: Entry): DocumentContent {
    if (entry.content) return entry.content;
    const loose = this.loose.get(entry.file);
    if (loose) return loose;
    const content = renderBodyTask(bodyTask(entry), this.site, this.bodyTimings) ?? placeholder(entry);
    if (this.pinned.has(entry.file)) entry.content = content;
    else this.remember(entry.file, content);
    return content;
  }

  private remember(file: string, content: DocumentContent): void {
    this.loose.delete(file);
    this.loose.set(file, content);
    if (this.loose.size > LOOSE_CONTENT_LIMIT) {
      const oldest = this.loose.keys().next().value;
      if (oldest !== undefined) this.loose.delete(oldest);
    }
  }
}

function isServed(entry: Entry): boolean {
  return entry.record.fields !== undefined && entry.duplicate === undefined;
}

function bodyTask(entry: Entry): BodyTask {
  const { fields, description, bodyStart } = entry.record;
  if (!fields) throw new Error(`${entry.file} has no document`);
  return {
    file: entry.file,
    path: entry.path,
    fields: { permalink: fields.permalink, related: fields.related, revision: fields.revision },
    ...(description === undefined ? {} : { description }),
    ...(bodyStart === undefined ? {} : { bodyStart }),
  };
}

/** The file vanished between its parse and its render: the Related list and summary still stand. */
function placeholder(entry: Entry): DocumentContent {
  const fields = entry.record.fields!;
  return renderContent(fields, entry.record.description, '', new ProblemLog(entry.file));
}

function existsAsFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function listMarkdownSync(dir: string): string[] {
  // Small: only a folder that was moved in, during watch mode.
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = `${dir}${sep}${entry.name}`;
    if (entry.isDirectory()) out.push(...listMarkdownSync(path));
    else if (entry.isFile() && entry.name.endsWith('.md')) out.push(path);
  }
  return out;
}
