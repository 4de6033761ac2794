import type { FeedDocument } from '../content/document.ts';
import { FEED_FORMATS } from '../feeds/model.ts';
import type { FeedFormat } from '../feeds/model.ts';
import type { TopicIndex } from '../topics/topic-index.ts';
import type { ArchivedScope } from '../topics/scope.ts';
import type { LiveCatalog } from './live-catalog.ts';
import type { Representation } from './representation.ts';
import type { RouteKind } from './routes.ts';
import { archivePath, feedPath, opmlFile, pathOf, sourcePagePath, topicPagePath } from './routes.ts';

export interface PublishedRoute {
  /** Lookup key: the URL path, plus `#preview` or `#<format>` for variants of one path. */
  readonly key: string;
  /** URL path, e.g. `/topic/vaccines/rss.xml`. */
  readonly path: string;
  /** Variants are negotiated or chosen by query; a plain static host can only serve `path`. */
  readonly variant?: 'preview' | FeedFormat;
  readonly kind: RouteKind;
  /** The topic it belongs to; undefined for site-wide routes. */
  readonly topic?: string;
  /** File that holds it in a static export: folders get `index.html`, variants a suffix. */
  readonly file: string;
  readonly representation: Representation;
}

export function previewKey(path: string): string {
  return `${path}#preview`;
}

export function opmlKey(format: FeedFormat): string {
  return `${pathOf('opml')}#${format}`;
}

/**
 * Every fixed route with content, in a stable order: what static export and
 * the Worker assets build write. Variants that depend on the query
 * (`?limit`, `?since`, OPML subsets, the `?q=` topic filter) and combined
 * topics are not included.
 */
export function* publishedRoutes(catalog: LiveCatalog, index: TopicIndex = catalog.index, options: { readonly archives?: boolean } = {}): Generator<PublishedRoute> {
  const archives = options.archives ?? true;
  yield route(pathOf('home'), 'html', catalog.homePage());
  yield route(pathOf('topicsJson'), 'json', catalog.topicsJson());
  for (const format of FEED_FORMATS) {
    const opml = catalog.opml(format);
    if (opml) yield { key: opmlKey(format), path: pathOf('opml'), kind: 'opml', file: opmlFile(format), representation: opml, ...(format === 'rss' ? {} : { variant: format }) };
  }
  for (const source of catalog.sources()) {
    const page = catalog.sourcePage(source.slug);
    if (page) yield route(sourcePagePath(source.slug), 'html', page);
  }
  yield* scopeRoutes(catalog, { kind: 'all' }, archives);
  for (const slug of index.topics.keys()) {
    const page = catalog.topicPage(slug);
    if (page) yield route(topicPagePath(slug), 'html', page, slug);
    yield* scopeRoutes(catalog, { kind: 'topic', slug }, archives);
  }
}

function* scopeRoutes(catalog: LiveCatalog, scope: ArchivedScope, archives: boolean): Generator<PublishedRoute> {
  const topic = scope.kind === 'topic' ? scope.slug : undefined;
  for (const format of FEED_FORMATS) {
    const path = feedPath(scope, format);
    const feed = catalog.feed(scope, format);
    if (feed) yield route(path, 'feed', feed, topic);
    const preview = catalog.feed(scope, format, { preview: true });
    if (preview) yield { key: previewKey(path), path, variant: 'preview', kind: 'html', file: `${path.slice(1)}.html`, representation: preview, ...(topic === undefined ? {} : { topic }) };
  }
  if (!archives) return;
  const pages = catalog.archivePages(scope);
  for (let page = 1; page <= pages; page++) yield* archiveRoutes(catalog, scope, page);
}

function* archiveRoutes(catalog: LiveCatalog, scope: ArchivedScope, page: number): Generator<PublishedRoute> {
  const topic = scope.kind === 'topic' ? scope.slug : undefined;
  for (const format of FEED_FORMATS) {
    const representation = catalog.archive(scope, format, page);
    if (representation) yield route(archivePath(scope, page, format), 'feed', representation, topic);
  }
}

/** One archive page of one scope, with the items it shows (newest first). */
export interface ArchiveStep {
  readonly scope: ArchivedScope;
  readonly page: number;
  readonly items: readonly FeedDocument[];
}

/**
 * The archive pages of the site-wide scope (`topic` undefined) and the topics
 * that `include` accepts, from the newest items back: the order in which
 * publishedRoutesForReuse renders them, and in which a static build needs
 * the documents' content (a sweep can sanitize just ahead of it and drop
 * what no later page shows).
 */
export function archiveSweep(catalog: LiveCatalog, include: (topic: string | undefined) => boolean = () => true): ArchiveStep[] {
  const steps: ArchiveStep[] = [];
  const scopes: ArchivedScope[] = [{ kind: 'all' }, ...[...catalog.index.topics.keys()].map((slug) => ({ kind: 'topic', slug }) as const)];
  for (const scope of scopes) {
    if (!include(scope.kind === 'topic' ? scope.slug : undefined)) continue;
    const count = catalog.archivePages(scope);
    for (let page = 1; page <= count; page++) steps.push({ scope, page, items: catalog.archiveItems(scope, page) });
  }
  // Stable, so equal times keep scope order.
  return steps.sort((a, b) => (b.items[0]?.publishedMs ?? 0) - (a.items[0]?.publishedMs ?? 0));
}

/** Every route that is not an archive page, of the scopes `include` accepts (they show only the newest items). */
export function* currentRoutes(catalog: LiveCatalog, include: (topic: string | undefined) => boolean = () => true): Generator<PublishedRoute> {
  for (const route of publishedRoutes(catalog, catalog.index, { archives: false })) if (include(route.topic)) yield route;
}

/** The routes of one archive page (one per format). */
export function archiveStepRoutes(catalog: LiveCatalog, step: ArchiveStep): Generator<PublishedRoute> {
  return archiveRoutes(catalog, step.scope, step.page);
}

/**
 * The published routes of the site-wide scope (`topic` undefined) and the
 * topics that `include` accepts, in an order that lets an item fragment
 * cache (feeds/fragments.ts) reuse what it holds: every route that is not
 * an archive page first (they show the newest items), then the archive
 * pages of every scope from the newest items back, so each document's
 * fragments are needed again soon after they were made and a byte-bounded
 * cache still holds them. The bytes of a route do not depend on the order.
 */
export function* publishedRoutesForReuse(catalog: LiveCatalog, include: (topic: string | undefined) => boolean = () => true): Generator<PublishedRoute> {
  yield* currentRoutes(catalog, include);
  for (const step of archiveSweep(catalog, include)) yield* archiveStepRoutes(catalog, step);
}

function route(path: string, kind: RouteKind, representation: Representation, topic?: string): PublishedRoute {
  const file = path.endsWith('/') ? `${path.slice(1)}index.html` : path.slice(1);
  return { key: path, path, kind, file, representation, ...(topic === undefined ? {} : { topic }) };
}
