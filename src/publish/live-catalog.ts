import type { SiteConfig } from '../config/config.ts';
import { configStamp } from '../config/config.ts';
import type { FeedDocument, LoadResult, Problem } from '../content/document.ts';
import { CONTENT_TYPES, renderFeedParts } from '../feeds/render.ts';
import type { FeedFormat, FeedHistory, FeedView } from '../feeds/model.ts';
import type { ItemFragments } from '../feeds/fragments.ts';
import { SHARED_FRAGMENTS } from '../feeds/fragments.ts';
import type { TopicIndex, TopicSummary } from '../topics/topic-index.ts';
import { buildTopicIndex, newestUpdate } from '../topics/topic-index.ts';
import { mergeNewestFirst, updatedMicros } from '../topics/order.ts';
import type { ArchivedScope, FeedScope } from '../topics/scope.ts';
import { archivePath, archiveUrls, feedPath, feedUrls, pathOf, sourcePagePath, topicPagePath } from './routes.ts';
import type { SourceGroup } from '../topics/sources.ts';
import { groupBySource, matchTopics } from '../topics/sources.ts';
import { contentValidators, documentFingerprint, windowDigest, windowValidators } from '../topics/validators.ts';
import type { Validators } from '../topics/validators.ts';
import { archivePageCount, archivePageItems, isSealedPage } from './archive.ts';
import { IMMUTABLE_CACHE_CONTROL, feedCacheControl } from './cache-policy.ts';
import { buildFeedView } from './feed-view.ts';
import { renderOpml } from './opml.ts';
import { renderFeedPreviewParts, renderFilterPage, renderHomePage, renderSourcePage, renderTopicPage } from './pages.ts';
import type { FeedOptions, HealthReport, Catalog } from './catalog.ts';
import type { Representation } from './representation.ts';
import { lazyParts, lazyRepresentation } from './representation.ts';
import { renderTopicsJson } from './topics-json.ts';
import type { StaticFileSource } from './static-files.ts';
import { DEFAULT_SITE_ICON, iconRepresentations } from './static-files.ts';
import { mediaFileOfPath, mediaPath } from './routes.ts';
import type { SubscriberTotals } from './subscribers.ts';
import { NO_SUBSCRIBER_TOTALS, subscriberFingerprint } from './subscribers.ts';

/** Bumped whenever rendered bytes change for the same content, so caches revalidate. */
export const OUTPUT_VERSION = '4';

/**
 * Bumped when the HTML pages (index, topic, source and filter pages) change
 * for the same content, so browsers revalidate them; feeds keep their ETags
 * (a feed ETag change is a WebSub ping).
 */
export const PAGES_VERSION = '1';

/** Variants (`?limit`, `?since`, combined topics, OPML subsets) live in a bounded cache, not forever. */
const MAX_VARIANT_ENTRIES = 512;

const HTML_TYPE = 'text/html; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';
const OPML_TYPE = 'text/x-opml; charset=utf-8';

/** A small LRU: Map keeps insertion order, so re-inserting on a hit marks it recent. */
class BoundedCache<V> {
  private readonly entries = new Map<string, V>();
  constructor(private readonly capacity: number) {}

  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, value);
  }
}

export interface LiveCatalogOptions {
  /**
   * `buildTopicIndex(loaded.documents)` made elsewhere: Node watch mode
   * patches the previous index for one changed file instead of regrouping 50k.
   */
  readonly index?: TopicIndex;
  /**
   * Keep fixed routes (and their rendered bytes) for the snapshot's life; a
   * static export, which renders each route once, passes false so memory
   * holds only the routes in flight.
   */
  readonly retain?: boolean;
  /**
   * Subscriber totals per topic (Node only) for the index and topics.json;
   * part of their validators, so a change of totals is a new snapshot.
   */
  readonly subscribers?: SubscriberTotals;
  /**
   * Bytes of the static files (the documents' local images, the site icon):
   * the content folder on Node, static assets on the Worker. Without one, the
   * built-in icon is served and no image.
   */
  readonly files?: StaticFileSource;
  /**
   * Where rendered items are kept so each is rendered once per format and
   * laid into every feed, archive page and preview that shows it
   * (src/feeds/fragments.ts). Default: the cache shared by every catalog in
   * this isolate or thread, so unchanged documents keep their fragments
   * across snapshots. `false` renders every item in every feed (same bytes).
   */
  readonly fragments?: ItemFragments | false;
}

/**
 * Every servable representation of one content snapshot. Immutable once
 * built: a content change builds a new catalog and swaps it in whole, so a
 * request sees one snapshot or the other, never a mix.
 */
export class LiveCatalog implements Catalog {
  readonly dynamic = true;
  readonly index: TopicIndex;
  readonly problems: readonly Problem[];
  readonly subscribers: SubscriberTotals;
  private readonly stamp: string;
  /** The stamp of the HTML pages: `stamp` plus PAGES_VERSION. */
  private readonly pageStamp: string;
  private sourceGroups: ReadonlyMap<string, SourceGroup> | undefined;
  private readonly cacheControl: string;
  private readonly fixed = new Map<string, Representation>();
  private readonly retain: boolean;
  private readonly variants = new BoundedCache<Representation>(MAX_VARIANT_ENTRIES);
  private readonly fragments: ItemFragments | undefined;
  private lastPage: { readonly documents: readonly FeedDocument[]; readonly page: number; readonly digest: string } | undefined;

  constructor(
    readonly site: SiteConfig,
    loaded: LoadResult,
    options: LiveCatalogOptions = {},
  ) {
    this.index = options.index ?? buildTopicIndex(loaded.documents);
    this.retain = options.retain ?? true;
    this.subscribers = options.subscribers ?? NO_SUBSCRIBER_TOTALS;
    this.problems = loaded.problems;
    this.stamp = `${OUTPUT_VERSION}\u0000${configStamp(site)}`;
    this.pageStamp = `${this.stamp}\u0000pages ${PAGES_VERSION}`;
    this.cacheControl = feedCacheControl(site);
    this.files = options.files;
    this.fragments = options.fragments === false ? undefined : (options.fragments ?? SHARED_FRAGMENTS);
  }

  /** The feed view of a scope, with this catalog's fragment cache. */
  private view(scope: FeedScope, items: readonly FeedDocument[], history: FeedHistory | undefined): FeedView {
    const view = buildFeedView(this.site, scope, this.topicSummary(scope), items, history);
    return this.fragments === undefined ? view : { ...view, fragments: this.fragments };
  }

  private readonly files: StaticFileSource | undefined;
  /** Content-folder paths of the local images that served documents show: the only media served. */
  private mediaFiles: Set<string> | undefined;

  staticFile(path: string, answeredByValidators?: (validators: Validators) => boolean): ReturnType<Catalog['staticFile']> {
    if (path === pathOf('favicon') || path === pathOf('appleTouchIcon')) {
      if (this.files) return this.files.get({ path });
      const icons = iconRepresentations(DEFAULT_SITE_ICON);
      return path === pathOf('favicon') ? icons.ico : icons.png;
    }
    const file = mediaFileOfPath(path);
    if (file === undefined || this.files === undefined) return undefined;
    if (!this.mediaFiles) {
      this.mediaFiles = new Set();
      for (const document of this.index.all) if (document.image?.file !== undefined) this.mediaFiles.add(document.image.file);
    }
    return this.mediaFiles.has(file) ? this.files.get({ path: mediaPath(file), file, ...(answeredByValidators && { answeredByValidators }) }) : undefined;
  }

  hasTopic(slug: string): boolean {
    return this.index.topics.has(slug);
  }

  /** Archive page size: the default window, so the current feed always reaches back to the newest page. */
  get archivePageSize(): number {
    return this.site.feedLimit;
  }

  feed(scope: FeedScope, format: FeedFormat, options: FeedOptions = {}): Representation | undefined {
    const documents = this.documentsFor(scope);
    if (!documents) return undefined;
    const limit = options.limit ?? this.site.feedLimit;
    const since = options.since;
    const isDefault = limit === this.site.feedLimit && since === undefined && scope.kind !== 'topics';
    const key = `${feedPath(scope, format)}?limit=${limit}${since ? `&since=${since.micros}` : ''}${options.preview ? '#preview' : ''}`;

    return this.cached(key, isDefault, () => {
      const window = since ? takeWhere(documents, limit, (d) => updatedMicros(d) > since.micros) : take(documents, limit);
      // Only the default window links into history: it is the one that covers the newest page.
      const history = isDefault ? this.currentHistory(scope, documents.length) : undefined;
      const render = () => {
        const view = this.view(scope, window, history);
        return options.preview ? renderFeedPreviewParts(this.site, view, format) : renderFeedParts(format, view);
      };
      return lazyParts(
        // The current feed links its newest archive page, so the page count is part of its bytes.
        windowValidators(`${key}${this.scopeStamp(scope)}${history?.prevArchive ? `\u0000${history.prevArchive.rss}` : ''}`, this.stamp, window),
        options.preview ? HTML_TYPE : CONTENT_TYPES[format],
        this.cacheControl,
        render,
      );
    });
  }

  archive(scope: ArchivedScope, format: FeedFormat, page: number): Representation | undefined {
    const documents = this.documentsFor(scope);
    if (!documents) return undefined;
    const size = this.archivePageSize;
    const pages = archivePageCount(documents.length, size);
    if (!Number.isSafeInteger(page) || page < 1 || page > pages) return undefined;
    const key = archivePath(scope, page, format);
    // Sealed pages are final; the newest one still gains a next-archive link later.
    const sealed = isSealedPage(documents.length, size, page);
    return this.cached(key, true, () => {
      const items = archivePageItems(documents, size, page);
      const history: FeedHistory = {
        isArchive: true,
        current: feedUrls(this.site, scope),
        ...(page > 1 && { prevArchive: archiveUrls(this.site, scope, page - 1) }),
        ...(page < pages && { nextArchive: archiveUrls(this.site, scope, page + 1) }),
      };
      return lazyParts(
        windowValidators(`${key}${sealed ? '#sealed' : ''}${this.scopeStamp(scope)}`, this.stamp, items, this.pageDigest(documents, page, items)),
        CONTENT_TYPES[format],
        sealed ? IMMUTABLE_CACHE_CONTROL : this.cacheControl,
        () => {
          const view = this.view(scope, items, history);
          return renderFeedParts(format, { ...view, title: `${view.title} (archive ${page})`, feedUrls: archiveUrls(this.site, scope, page) });
        },
      );
    });
  }

  /** The items of archive page `page`, newest first; empty when there is no such page. */
  archiveItems(scope: ArchivedScope, page: number): readonly FeedDocument[] {
    const documents = this.documentsFor(scope);
    return documents ? archivePageItems(documents, this.archivePageSize, page) : [];
  }

  archivePages(scope: ArchivedScope): number {
    const documents = this.documentsFor(scope);
    return documents ? archivePageCount(documents.length, this.archivePageSize) : 0;
  }

  opml(format: FeedFormat, slugs?: readonly string[]): Representation | undefined {
    const topics = slugs === undefined ? this.index.topicList : slugs.map((slug) => this.index.topics.get(slug)?.summary);
    if (topics.some((topic) => topic === undefined)) return undefined;
    const chosen = topics as readonly TopicSummary[];
    const key = `${pathOf('opml')}?format=${format}${slugs ? `&topics=${slugs.join(',')}` : ''}`;
    return this.cached(key, slugs === undefined, () => {
      const modifiedMs = Math.max(0, ...chosen.map((topic) => topic.lastModMs));
      const fingerprint = chosen.flatMap((topic) => [topic.slug, topic.name, topic.label]);
      return lazyRepresentation(
        contentValidators(key, this.stamp, fingerprint, modifiedMs),
        OPML_TYPE,
        this.cacheControl,
        () => renderOpml(this.site, chosen, format, modifiedMs),
      );
    });
  }

  homePage(): Representation {
    const path = pathOf('home');
    return this.cached(path, true, () => {
      const newest = take(this.index.all, this.site.feedLimit);
      return lazyRepresentation(
        contentValidators(path, this.pageStamp, [...this.topicFingerprint(newest), ...subscriberFingerprint(this.subscribers)], this.listingModifiedMs()),
        HTML_TYPE,
        this.cacheControl,
        () => renderHomePage(this.site, this.index, newest, this.subscribers.byTopic),
      );
    });
  }

  topicPage(slug: string): Representation | undefined {
    const topic = this.index.topics.get(slug);
    if (!topic) return undefined;
    const path = topicPagePath(slug);
    return this.cached(path, true, () => {
      const window = take(topic.documents, this.site.feedLimit);
      return lazyRepresentation(
        windowValidators(`${path}\u0000${topic.summary.count}${this.scopeStamp({ kind: 'topic', slug })}`, this.pageStamp, window),
        HTML_TYPE,
        this.cacheControl,
        () => renderTopicPage(this.site, topic.summary, window),
      );
    });
  }

  /** Topics grouped by source (the part of a topic name before its colon), in slug order. */
  sources(): readonly SourceGroup[] {
    return [...this.sourceMap().values()];
  }

  /** A source's page: its topics' rows, so its ETag covers each topic's summary. */
  sourcePage(source: string): Representation | undefined {
    const group = this.sourceMap().get(source);
    if (!group) return undefined;
    const path = sourcePagePath(source);
    return this.cached(path, true, () =>
      lazyRepresentation(
        contentValidators(path, this.pageStamp, [group.name, ...group.topics.flatMap(summaryParts)], group.lastModMs),
        HTML_TYPE,
        this.cacheControl,
        () => renderSourcePage(this.site, group),
      ),
    );
  }

  /** `/?q=`: topics matching a (parsed, length-checked) query; a variant in the bounded cache. */
  topicFilter(query: string): Representation {
    const key = `${pathOf('home')}?q=${query}`;
    return this.cached(key, false, () => {
      const matches = matchTopics(this.index.topicList, query);
      let modifiedMs = 0;
      for (const topic of matches) if (topic.lastModMs > modifiedMs) modifiedMs = topic.lastModMs;
      return lazyRepresentation(
        contentValidators(key, this.pageStamp, matches.flatMap(summaryParts), modifiedMs),
        HTML_TYPE,
        this.cacheControl,
        () => renderFilterPage(this.site, query, matches),
      );
    });
  }

  topicsJson(): Representation {
    const path = pathOf('topicsJson');
    return this.cached(path, true, () =>
      lazyRepresentation(
        contentValidators(path, this.stamp, [...this.topicFingerprint([]), ...subscriberFingerprint(this.subscribers)], this.listingModifiedMs()),
        JSON_TYPE,
        this.cacheControl,
        () => renderTopicsJson(this.site, this.index, this.subscribers.byTopic),
      ),
    );
  }

  health(): HealthReport {
    return {
      status: 'ok',
      documents: this.index.all.length,
      topics: this.index.topics.size,
      problems: this.problems.length,
    };
  }

  /** Newest-first documents of a scope; undefined when a topic does not exist. */
  private documentsFor(scope: FeedScope): readonly FeedDocument[] | undefined {
    switch (scope.kind) {
      case 'all':
        return this.index.all;
      case 'topic':
        return this.index.topics.get(scope.slug)?.documents;
      case 'topics': {
        const lists = scope.slugs.map((slug) => this.index.topics.get(slug)?.documents);
        if (lists.some((list) => list === undefined)) return undefined;
        return [...mergeNewestFirst(lists as readonly (readonly FeedDocument[])[])];
      }
    }
  }

  /**
   * What a feed's own text depends on besides its items: the topic names,
   * labels and descriptions (taken from documents that may be outside the
   * window), so a relabelled topic changes the ETag too.
   */
  private scopeStamp(scope: FeedScope): string {
    const topics = this.topicSummary(scope);
    const list = topics === undefined ? [] : Array.isArray(topics) ? topics : [topics as TopicSummary];
    return list.map((topic) => `\u0000${topic.name}\u0000${topic.label}\u0000${topic.description ?? ''}`).join('');
  }

  private topicSummary(scope: FeedScope): TopicSummary | readonly TopicSummary[] | undefined {
    if (scope.kind === 'topic') return this.index.topics.get(scope.slug)?.summary;
    if (scope.kind === 'topics') return scope.slugs.map((slug) => this.index.topics.get(slug)!.summary);
    return undefined;
  }

  private currentHistory(scope: ArchivedScope, total: number): FeedHistory | undefined {
    const pages = archivePageCount(total, this.archivePageSize);
    return pages > 0 ? { isArchive: false, prevArchive: archiveUrls(this.site, scope, pages) } : undefined;
  }

  /** The digest of an archive page's items, shared by its formats (asked for one after another). */
  private pageDigest(documents: readonly FeedDocument[], page: number, items: readonly FeedDocument[]): string {
    const last = this.lastPage;
    if (last?.documents === documents && last.page === page) return last.digest;
    const digest = windowDigest(items);
    this.lastPage = { documents, page, digest };
    return digest;
  }

  /** Fixed routes are kept for the snapshot's life; variants in the bounded cache. */
  private cached(key: string, fixed: boolean, build: () => Representation): Representation {
    const existing = fixed ? this.fixed.get(key) : this.variants.get(key);
    if (existing) return existing;
    const representation = build();
    if (fixed && this.retain) this.fixed.set(key, representation);
    else if (!fixed) this.variants.set(key, representation);
    return representation;
  }

  private sourceMap(): ReadonlyMap<string, SourceGroup> {
    this.sourceGroups ??= new Map(groupBySource(this.index.topicList).map((group) => [group.slug, group]));
    return this.sourceGroups;
  }

  /** Pages that list topics changed when a document did, or when the subscriber totals they show were taken. */
  private listingModifiedMs(): number {
    return Math.max(this.newestMs(), this.subscribers.asOfMs);
  }

  private newestMs(): number {
    return newestUpdate(this.index.all)?.updatedMs ?? 0;
  }

  /** What pages listing topics depend on: each topic's label, count and newest lastMod. */
  private topicFingerprint(documents: readonly FeedDocument[]): string[] {
    const parts: string[] = [];
    for (const topic of this.index.topicList) parts.push(...summaryParts(topic));
    for (const document of documents) documentFingerprint(parts, document);
    return parts;
  }
}

/** What a topic's row on a page shows: slug, name, label, count and newest lastMod. */
function summaryParts(topic: TopicSummary): string[] {
  return [topic.slug, topic.name, topic.label, String(topic.count), topic.lastMod];
}

function take(documents: readonly FeedDocument[], limit: number): readonly FeedDocument[] {
  return documents.length <= limit ? documents : documents.slice(0, limit);
}

function takeWhere(documents: readonly FeedDocument[], limit: number, keep: (document: FeedDocument) => boolean): FeedDocument[] {
  const out: FeedDocument[] = [];
  for (const document of documents) {
    if (out.length >= limit) break;
    if (keep(document)) out.push(document);
  }
  return out;
}
