import type { SiteConfig } from '../config/config.ts';
import { configStamp } from '../config/config.ts';
import type { FeedDocument, LoadResult, Problem } from '../content/document.ts';
import { CONTENT_TYPES, FEED_RENDERERS } from '../feeds/index.ts';
import type { FeedFormat } from '../feeds/model.ts';
import type { TopicEntry, TopicIndex } from '../topics/index.ts';
import { buildTopicIndex, newestUpdate } from '../topics/index.ts';
import type { FeedScope } from '../topics/urls.ts';
import { feedPath } from '../topics/urls.ts';
import { contentValidators, windowValidators } from '../topics/validators.ts';
import { feedCacheControl } from './cache-policy.ts';
import { buildFeedView } from './feed-view.ts';
import { renderHomePage, renderTopicPage } from './pages.ts';
import type { HealthReport, Publication } from './publication.ts';
import type { Representation } from './representation.ts';
import { lazyRepresentation } from './representation.ts';
import { renderTopicsJson } from './topics-json.ts';

/** Bumped whenever rendered bytes change for the same content, so caches revalidate. */
export const OUTPUT_VERSION = '1';

/** Feeds at a non-default `?limit` are kept in a bounded cache, not forever. */
const MAX_CUSTOM_LIMIT_ENTRIES = 256;

const HTML_TYPE = 'text/html; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';


/**
 * Every servable representation of one content snapshot. Immutable once
 * built: a content change builds a new catalog and swaps it in whole, so a
 * request sees one snapshot or the other, never a mix.
 */
export class Catalog implements Publication {
  readonly index: TopicIndex;
  readonly problems: readonly Problem[];
  private readonly stamp: string;
  private readonly cacheControl: string;
  private readonly defaultFeeds = new Map<string, Representation>();
  private readonly customFeeds = new Map<string, Representation>();
  private readonly pages = new Map<string, Representation>();

  constructor(
    readonly site: SiteConfig,
    loaded: LoadResult,
  ) {
    this.index = buildTopicIndex(loaded.documents);
    this.problems = loaded.problems;
    this.stamp = `${OUTPUT_VERSION}\u0000${configStamp(site)}`;
    this.cacheControl = feedCacheControl(site);
  }

  hasTopic(slug: string): boolean {
    return this.index.topics.has(slug);
  }

  servesLimit(limit: number): boolean {
    return limit >= 1 && limit <= this.site.maxFeedLimit;
  }

  /** The feed for a scope, or undefined when the topic does not exist. */
  feed(scope: FeedScope, format: FeedFormat, limit = this.site.feedLimit): Representation | undefined {
    const topic = this.topicEntry(scope);
    if (scope.kind === 'topic' && !topic) return undefined;
    const key = `${feedPath(scope, format)}?limit=${limit}`;
    const cache = limit === this.site.feedLimit ? this.defaultFeeds : this.customFeeds;
    const cached = cache.get(key);
    if (cached) return cached;

    const documents = topic ? topic.documents : this.index.all;
    const window = documents.slice(0, limit);
    const representation = lazyRepresentation(
      windowValidators(key, this.stamp, window),
      CONTENT_TYPES[format],
      this.cacheControl,
      () => FEED_RENDERERS[format](buildFeedView(this.site, scope, topic?.summary, window)),
    );
    if (cache === this.customFeeds && cache.size >= MAX_CUSTOM_LIMIT_ENTRIES) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) cache.delete(oldest);
    }
    cache.set(key, representation);
    return representation;
  }

  homePage(): Representation {
    return this.page('/', () => {
      const newest = this.index.all.slice(0, this.site.feedLimit);
      return lazyRepresentation(
        contentValidators('/', this.stamp, this.topicFingerprint(newest), this.newestMs()),
        HTML_TYPE,
        this.cacheControl,
        () => renderHomePage(this.site, this.index, newest),
      );
    });
  }

  topicPage(slug: string): Representation | undefined {
    const topic = this.index.topics.get(slug);
    if (!topic) return undefined;
    return this.page(`/topic/${slug}/`, () => {
      const window = topic.documents.slice(0, this.site.feedLimit);
      return lazyRepresentation(
        windowValidators(`/topic/${slug}/`, this.stamp, window),
        HTML_TYPE,
        this.cacheControl,
        () => renderTopicPage(this.site, topic.summary, window),
      );
    });
  }

  topicsJson(): Representation {
    return this.page('/topics.json', () =>
      lazyRepresentation(
        contentValidators('/topics.json', this.stamp, this.topicFingerprint([]), this.newestMs()),
        JSON_TYPE,
        this.cacheControl,
        () => renderTopicsJson(this.site, this.index),
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

  private topicEntry(scope: FeedScope): TopicEntry | undefined {
    return scope.kind === 'topic' ? this.index.topics.get(scope.slug) : undefined;
  }

  private page(key: string, build: () => Representation): Representation {
    let representation = this.pages.get(key);
    if (!representation) {
      representation = build();
      this.pages.set(key, representation);
    }
    return representation;
  }

  private newestMs(): number {
    return newestUpdate(this.index.all)?.updatedMs ?? 0;
  }

  /** What pages listing topics depend on: each topic's label, count and newest lastMod. */
  private topicFingerprint(documents: readonly FeedDocument[]): string[] {
    const parts: string[] = [];
    for (const topic of this.index.topicList) parts.push(topic.slug, topic.name, topic.label, String(topic.count), topic.lastMod);
    for (const document of documents) parts.push(document.id, document.lastMod);
    return parts;
  }
}

export function createCatalog(site: SiteConfig, loaded: LoadResult): Catalog {
  return new Catalog(site, loaded);
}
