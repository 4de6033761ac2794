/**
 * The one route table. Every URL path the publisher answers is spelled here,
 * once: the Hono app registers these patterns, the Node fast path matches
 * them, warm-up, live reload, export, build:content and `_headers` derive
 * their paths from them. Adding a route is one entry here plus its handler
 * (http/app.ts) and renderer.
 */
import type { SiteConfig } from '../config/config.ts';
import { MEDIA_PATH } from '../config/config.ts';
import { contentRelativePath, mediaUrlPath, servedImageType } from '../content/image.ts';
import { FEED_FORMATS } from '../topics/formats.ts';
import type { FeedFormat } from '../topics/formats.ts';
import type { ArchivedScope, FeedScope, FeedUrls } from '../topics/scope.ts';
import { sourceOf } from '../topics/sources.ts';

export type RouteKind = 'feed' | 'json' | 'html' | 'opml' | 'file';

/** How a response may be cached: by the feed policy, immutable once sealed, or never. */
export type CachePolicy = 'feed' | 'sealed-archive' | 'no-store' | 'redirect' | 'static-file';

export interface RouteSpec {
  /** Hono path pattern: `:slug`, `:slugs`, `:source`, `:page` and `:file` (a feed file name) are parameters. */
  readonly pattern: string;
  /** What the body is; `redirect` and `health` routes carry no representation. */
  readonly kind: RouteKind | 'redirect' | 'health' | 'metrics';
  /** Serves every feed format, one per `:file` name. */
  readonly formats: boolean;
  readonly cache: CachePolicy;
  /** Has a fixed set of URLs per snapshot: rendered ahead, exported, listed in `_headers`. */
  readonly fixed: boolean;
  /** Browsers that navigate here get an HTML preview instead of the feed. */
  readonly preview: boolean;
}

function spec(pattern: string, kind: RouteSpec['kind'], extra: Partial<Omit<RouteSpec, 'pattern' | 'kind'>> = {}): RouteSpec {
  return { pattern, kind, formats: false, cache: 'feed', fixed: true, preview: false, ...extra };
}

/** In match order: the first entry whose pattern fits a path answers it. */
export const ROUTES = {
  home: spec('/', 'html'),
  topicsJson: spec('/topics.json', 'json'),
  health: spec('/healthz', 'health', { cache: 'no-store', fixed: false }),
  /** Prometheus metrics: served by the Node shell only (src/node/metrics.ts); 404 elsewhere. */
  metrics: spec('/metrics', 'metrics', { cache: 'no-store', fixed: false }),
  opml: spec('/opml.xml', 'opml'),
  /**
   * Static files (src/publish/static-files.ts): the site icon, and the images
   * beside the documents under MEDIA_PATH. Their URLs are not rendered ahead:
   * build:content and export copy the files, `_headers` has their own rules.
   */
  favicon: spec('/favicon.ico', 'file', { cache: 'static-file', fixed: false }),
  appleTouchIcon: spec('/apple-touch-icon.png', 'file', { cache: 'static-file', fixed: false }),
  media: spec(`${MEDIA_PATH}*`, 'file', { cache: 'static-file', fixed: false }),
  feed: spec('/:file', 'feed', { formats: true, preview: true }),
  topicFeed: spec('/topic/:slug/:file', 'feed', { formats: true, preview: true }),
  archive: spec('/archive/:page/:file', 'feed', { formats: true, cache: 'sealed-archive' }),
  topicArchive: spec('/topic/:slug/archive/:page/:file', 'feed', { formats: true, cache: 'sealed-archive' }),
  topicPage: spec('/topic/:slug/', 'html'),
  topicPageWithoutSlash: spec('/topic/:slug', 'redirect', { cache: 'redirect', fixed: false }),
  combinedFeed: spec('/topics/:slugs/:file', 'feed', { formats: true, preview: true, fixed: false }),
  /** One source's topics (the part of a topic name before its colon): the index links here on large taxonomies. */
  sourcePage: spec('/sources/:source/', 'html'),
  sourcePageWithoutSlash: spec('/sources/:source', 'redirect', { cache: 'redirect', fixed: false }),
} as const satisfies Record<string, RouteSpec>;

export type RouteName = keyof typeof ROUTES;
export const ROUTE_NAMES = Object.keys(ROUTES) as RouteName[];

export const FEED_FILE: Readonly<Record<FeedFormat, string>> = {
  rss: 'rss.xml',
  atom: 'atom.xml',
  json: 'feed.json',
};

const FORMAT_BY_FILE: ReadonlyMap<string, FeedFormat> = new Map(
  FEED_FORMATS.map((format) => [FEED_FILE[format], format]),
);

/** The format a feed file name stands for (`rss.xml` → rss). */
export function formatOfFile(file: string): FeedFormat | undefined {
  return FORMAT_BY_FILE.get(file);
}

/** Separator of combined topics in a path: `/topics/a+b/rss.xml`. */
export const COMBINED_SEPARATOR = '+';

export type RouteParams = Readonly<Partial<Record<'slug' | 'slugs' | 'source' | 'page' | 'file', string>>>;

/** A pattern with its parameters filled in. */
export function pathOf(name: RouteName, params: RouteParams = {}): string {
  return ROUTES[name].pattern.replace(/:([a-z]+)/g, (_, key: keyof RouteParams) => {
    const value = params[key];
    if (value === undefined) throw new Error(`${name}: missing :${key}`);
    return value;
  });
}

const SEGMENTS = new Map(ROUTE_NAMES.map((name) => [name, ROUTES[name].pattern.split('/')] as const));

/** The route a path fits and its parameters (raw, undecoded), in table order; undefined when none does. */
export function matchRoute(path: string): { readonly name: RouteName; readonly params: RouteParams } | undefined {
  const parts = path.split('/');
  for (const [name, pattern] of SEGMENTS) {
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let fits = true;
    for (let i = 0; i < pattern.length && fits; i++) {
      const want = pattern[i]!;
      const got = parts[i]!;
      if (want.startsWith(':')) {
        if (got === '') fits = false;
        else params[want.slice(1)] = got;
      } else fits = want === got;
    }
    if (fits && (params.file === undefined || FORMAT_BY_FILE.has(params.file))) return { name, params };
  }
  return undefined;
}

/** URL path of a local image, from its path in the content folder (each segment percent-encoded). */
export function mediaPath(file: string): string {
  return `${MEDIA_PATH}${mediaUrlPath(file)}`;
}

/**
 * The content-folder path a media URL path names, or undefined: every
 * segment decoded once and checked (no empty, `.`, `..` or hidden segment, no
 * encoded `/` or `\\`, no control character), and only served image types.
 */
export function mediaFileOfPath(path: string): string | undefined {
  if (!path.startsWith(MEDIA_PATH)) return undefined;
  const segments: string[] = [];
  for (const raw of path.slice(MEDIA_PATH.length).split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    if (segment === '' || segment === '.' || segment === '..' || segment.includes('/')) return undefined;
    segments.push(segment);
  }
  const file = contentRelativePath(segments);
  return file !== undefined && file.split('/').length === segments.length && servedImageType(file) !== undefined ? file : undefined;
}

export function faviconUrl(site: SiteConfig): string {
  return `${site.siteUrl}${pathOf('favicon')}`;
}

/** The site icon as a PNG: apple-touch-icon, and the feeds' icon and logo unless FEED_ICON_URL / FEED_LOGO_URL say otherwise. */
export function siteIconUrl(site: SiteConfig): string {
  return `${site.siteUrl}${pathOf('appleTouchIcon')}`;
}

/** Path of a scope's page (the home page for all), always with a trailing slash. */
export function topicPagePath(slug: string): string {
  return pathOf('topicPage', { slug });
}

/** Path of a source's page (its topics), with a trailing slash. */
export function sourcePagePath(source: string): string {
  return pathOf('sourcePage', { source });
}

export function feedPath(scope: FeedScope, format: FeedFormat): string {
  const file = FEED_FILE[format];
  switch (scope.kind) {
    case 'all':
      return pathOf('feed', { file });
    case 'topic':
      return pathOf('topicFeed', { slug: scope.slug, file });
    case 'topics':
      return pathOf('combinedFeed', { slugs: scope.slugs.join(COMBINED_SEPARATOR), file });
  }
}

export function archivePath(scope: ArchivedScope, page: number, format: FeedFormat): string {
  const file = FEED_FILE[format];
  return scope.kind === 'all'
    ? pathOf('archive', { page: String(page), file })
    : pathOf('topicArchive', { slug: scope.slug, page: String(page), file });
}

/** File of an OPML variant in a static export: the RSS one at the route's own path. */
export function opmlFile(format: FeedFormat): string {
  const path = pathOf('opml').slice(1);
  return format === 'rss' ? path : path.replace(/\.xml$/, `-${format}.xml`);
}

export function feedUrl(site: SiteConfig, scope: FeedScope, format: FeedFormat): string {
  return `${site.siteUrl}${feedPath(scope, format)}`;
}

export function feedUrls(site: SiteConfig, scope: FeedScope): FeedUrls {
  return { rss: feedUrl(site, scope, 'rss'), atom: feedUrl(site, scope, 'atom'), json: feedUrl(site, scope, 'json') };
}

export function archiveUrls(site: SiteConfig, scope: ArchivedScope, page: number): FeedUrls {
  return {
    rss: `${site.siteUrl}${archivePath(scope, page, 'rss')}`,
    atom: `${site.siteUrl}${archivePath(scope, page, 'atom')}`,
    json: `${site.siteUrl}${archivePath(scope, page, 'json')}`,
  };
}

export function topicPageUrl(site: SiteConfig, slug: string): string {
  return `${site.siteUrl}${topicPagePath(slug)}`;
}

export function sourcePageUrl(site: SiteConfig, source: string): string {
  return `${site.siteUrl}${sourcePagePath(source)}`;
}

/** Base URL below which topic pages live (`${siteUrl}/topic/`): category domains point there. */
export function topicBaseUrl(site: SiteConfig): string {
  const marker = '\u0000';
  return `${site.siteUrl}${topicPagePath(marker).split(marker)[0]}`;
}

/** The topic a fixed path belongs to, or undefined for site-wide routes. */
export function topicOfPath(path: string): string | undefined {
  return matchRoute(path)?.params.slug;
}

/**
 * Fixed routes that change with the documents of these topics: the site-wide
 * pages and overall feeds, then each topic's page and feeds, then the pages
 * of their sources. A start warms them for every topic; a live edit for the
 * topics it touched.
 */
export function pathsOfTopics(topics: Iterable<{ readonly slug: string; readonly name: string }>): string[] {
  const paths = [pathOf('home'), pathOf('topicsJson'), pathOf('opml'), ...FEED_FORMATS.map((format) => feedPath({ kind: 'all' }, format))];
  const sources = new Set<string>();
  for (const { slug, name } of topics) {
    paths.push(topicPagePath(slug), ...FEED_FORMATS.map((format) => feedPath({ kind: 'topic', slug }, format)));
    sources.add(sourceOf(name).slug);
  }
  for (const source of sources) paths.push(sourcePagePath(source));
  return paths;
}
