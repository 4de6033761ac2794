import { FEED_FORMATS } from '../feeds/model.ts';
import type { FeedFormat } from '../feeds/model.ts';
import type { TopicIndex } from '../topics/index.ts';
import type { ArchivedScope } from '../topics/urls.ts';
import { archivePath, feedPath } from '../topics/urls.ts';
import type { Catalog } from './catalog.ts';
import type { Representation } from './representation.ts';

export type RouteKind = 'feed' | 'json' | 'html' | 'opml';

export interface PublishedRoute {
  /** Lookup key: the URL path, plus `#preview` or `#<format>` for variants of one path. */
  readonly key: string;
  /** URL path, e.g. `/topic/vaccines/rss.xml`. */
  readonly path: string;
  /** Variants are negotiated or chosen by query; a plain static host can only serve `path`. */
  readonly variant?: 'preview' | FeedFormat;
  readonly kind: RouteKind;
  /** File that holds it in a static export: folders get `index.html`, variants a suffix. */
  readonly file: string;
  readonly representation: Representation;
}

export function previewKey(path: string): string {
  return `${path}#preview`;
}

export function opmlKey(format: FeedFormat): string {
  return `/opml.xml#${format}`;
}

/**
 * Every fixed route with content, in a stable order: what static export and
 * the Worker assets build write. Variants that depend on the query
 * (`?limit`, `?since`, OPML subsets) and combined topics are not included.
 */
export function* publishedRoutes(catalog: Catalog, index: TopicIndex = catalog.index): Generator<PublishedRoute> {
  yield route('/', 'html', catalog.homePage());
  yield route('/topics.json', 'json', catalog.topicsJson());
  for (const format of FEED_FORMATS) {
    const opml = catalog.opml(format);
    if (opml) yield { key: opmlKey(format), path: '/opml.xml', kind: 'opml', file: format === 'rss' ? 'opml.xml' : `opml-${format}.xml`, representation: opml, ...(format === 'rss' ? {} : { variant: format }) };
  }
  yield* scopeRoutes(catalog, { kind: 'all' });
  for (const slug of index.topics.keys()) {
    const page = catalog.topicPage(slug);
    if (page) yield route(`/topic/${slug}/`, 'html', page);
    yield* scopeRoutes(catalog, { kind: 'topic', slug });
  }
}

function* scopeRoutes(catalog: Catalog, scope: ArchivedScope): Generator<PublishedRoute> {
  for (const format of FEED_FORMATS) {
    const path = feedPath(scope, format);
    const feed = catalog.feed(scope, format);
    if (feed) yield route(path, 'feed', feed);
    const preview = catalog.feed(scope, format, { preview: true });
    if (preview) yield { key: previewKey(path), path, variant: 'preview', kind: 'html', file: `${path.slice(1)}.html`, representation: preview };
  }
  const pages = catalog.archivePages(scope);
  for (let page = 1; page <= pages; page++) {
    for (const format of FEED_FORMATS) {
      const representation = catalog.archive(scope, format, page);
      if (representation) yield route(archivePath(scope, page, format), 'feed', representation);
    }
  }
}

function route(path: string, kind: RouteKind, representation: Representation): PublishedRoute {
  return { key: path, path, kind, file: path.endsWith('/') ? `${path.slice(1)}index.html` : path.slice(1), representation };
}
