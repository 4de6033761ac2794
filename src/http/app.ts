import { Hono } from 'hono';
import type { Context, Next } from 'hono';
import type { FeedFormat } from '../feeds/model.ts';
import type { Catalog } from '../publish/catalog.ts';
import type { Representation } from '../publish/representation.ts';
import type { RouteKind, RouteName } from '../publish/routes.ts';
import { isSlug } from '../content/topic-slug.ts';
import { advertisesHub } from '../publish/changes.ts';
import { COMBINED_SEPARATOR, FEED_FILE, ROUTES, ROUTE_NAMES, feedPath, formatOfFile, pathOf, sourcePagePath, topicPagePath } from '../publish/routes.ts';
import type { ArchivedScope, FeedScope } from '../topics/scope.ts';
import { isNotModified } from './conditional.ts';
import { ALLOWED_METHODS, BASE_HEADERS, CORS_HEADERS, FEED_VARY, PREFLIGHT_HEADERS } from './headers.ts';
import { wantsPreview } from './negotiate.ts';
import { parseFilter, parseFormat, parseLimit, parsePage, parseSince, parseTopicList, parseView } from './params.ts';
import { PAGE_CSP } from '../publish/pages.ts';

export interface AppOptions {
  /**
   * The current snapshot. Node swaps it on reload; the Worker builds it from
   * its bindings on first use, hence the context.
   */
  readonly catalog: (c: Context) => Catalog;
  readonly onError?: (error: unknown) => void;
  /** `/metrics`: the Node shell passes its Prometheus handler; absent (the Worker), the route is a 404. */
  readonly metrics?: (request: Request) => Promise<Response> | Response;
}

function text(status: number, message: string, extra: Record<string, string> = {}): Response {
  return new Response(`${message}\n`, {
    status,
    headers: { ...BASE_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...extra },
  });
}

function redirect(location: string): Response {
  return new Response(null, { status: 301, headers: { ...BASE_HEADERS, Location: location, 'Cache-Control': 'public, max-age=86400' } });
}

export function representationHeaders(representation: Representation, kind: RouteKind, link?: string): Record<string, string> {
  const headers: Record<string, string> = {
    ...BASE_HEADERS,
    'Content-Type': representation.contentType,
    ETag: representation.etag,
    'Last-Modified': representation.lastModified,
    'Cache-Control': representation.cacheControl,
    Vary: FEED_VARY,
  };
  // A static file (an image, the icon) is never negotiated: it varies by nothing.
  if (kind === 'file') delete headers.Vary;
  if (kind === 'html') headers['Content-Security-Policy'] = PAGE_CSP;
  else Object.assign(headers, CORS_HEADERS);
  if (link !== undefined) headers.Link = link;
  return headers;
}

/** Conditional GET from validators alone; the body is rendered only for a 200. */
export async function respondWith(request: Request, representation: Representation, kind: RouteKind, link?: string): Promise<Response> {
  const headers = representationHeaders(representation, kind, link);
  const notModified = isNotModified(
    { ifNoneMatch: request.headers.get('If-None-Match'), ifModifiedSince: request.headers.get('If-Modified-Since') },
    representation,
  );
  if (notModified) {
    delete headers['Content-Type'];
    return new Response(null, { status: 304, headers });
  }
  if (request.method === 'HEAD') {
    // The fields a GET would send (RFC 9110 §9.3.2): link checkers and enclosure checks read the length.
    const length = representation.byteLength?.();
    if (length !== undefined) headers['Content-Length'] = String(length);
    return new Response(null, { status: 200, headers });
  }
  return new Response(await representation.body(), { status: 200, headers });
}

/** WebSub discovery (the hub and the canonical self URL) as an HTTP Link header. */
export function webSubLink(catalog: Catalog, path: string): string | undefined {
  const hub = catalog.site.websubHub;
  return hub === undefined ? undefined : `<${hub}>; rel="hub", <${catalog.site.siteUrl}${path}>; rel="self"`;
}

function unknownTopic(slug: string): Response {
  const shown = slug.length > 80 ? `${slug.slice(0, 80)}…` : slug;
  return text(404, `Unknown topic ${JSON.stringify(shown)}. Every topic is listed at ${pathOf('topicsJson')}.`);
}

function notFound(): Response {
  return text(404, `Not found. The feeds are listed at ${pathOf('home')} and ${pathOf('topicsJson')}.`);
}

type Handler = (c: Context, next: Next) => Response | Promise<Response> | Promise<void>;

export function createApp(options: AppOptions): Hono {
  const app = new Hono();
  const { catalog } = options;

  function staticOnly(what: string): Response {
    return text(400, `Bad request: ${what} is not available on this static deployment; it serves the fixed feeds only.`);
  }

  function serveFeed(c: Context, scope: FeedScope, format: FeedFormat): Promise<Response> | Response {
    const current = catalog(c);
    const limit = parseLimit(c.req.queries('limit'), current.site);
    if (!limit.ok) return text(400, `Bad request: ${limit.reason}.`);
    const since = parseSince(c.req.queries('since'));
    if (!since.ok) return text(400, `Bad request: ${since.reason}.`);
    const view = parseView(c.req.queries('view'));
    if (!view.ok) return text(400, `Bad request: ${view.reason}.`);
    if (!current.dynamic) {
      if (limit.value !== current.site.feedLimit) return staticOnly('?limit');
      if (since.value !== undefined) return staticOnly('?since');
      if (scope.kind === 'topics') return staticOnly('a combined feed');
    }
    const preview =
      view.value === 'html' ||
      (view.value === undefined &&
        wantsPreview({ accept: c.req.header('Accept'), secFetchDest: c.req.header('Sec-Fetch-Dest'), secFetchMode: c.req.header('Sec-Fetch-Mode') }));
    const representation = current.feed(scope, format, {
      limit: limit.value,
      ...(since.value !== undefined && { since: since.value }),
      preview,
    });
    if (!representation) return unknownTopic(scope.kind === 'topic' ? scope.slug : scope.kind === 'topics' ? scope.slugs.join(COMBINED_SEPARATOR) : '');
    // Discovery only where the hub is really pinged, and only on the feed itself (the preview is a page).
    const link = preview || !advertisesHub(scope) ? undefined : webSubLink(current, feedPath(scope, format));
    return respondWith(c.req.raw, representation, preview ? 'html' : 'feed', link);
  }

  function serveArchive(c: Context, scope: ArchivedScope, format: FeedFormat, rawPage: string): Promise<Response> | Response {
    const page = parsePage(rawPage);
    const representation = page === undefined ? undefined : catalog(c).archive(scope, format, page);
    return representation ? respondWith(c.req.raw, representation, 'feed') : notFound();
  }

  /** Canonical slugs are lowercase; a known topic in another case gets a permanent redirect. */
  function resolveTopic(c: Context, slug: string, format?: FeedFormat, page?: string): ArchivedScope | Response {
    if (isSlug(slug)) return { kind: 'topic', slug };
    const lower = slug.toLowerCase();
    if (lower !== slug && isSlug(lower) && catalog(c).hasTopic(lower)) {
      const scope: ArchivedScope = { kind: 'topic', slug: lower };
      const path = format === undefined ? topicPagePath(lower) : page === undefined ? feedPath(scope, format) : pathOf('topicArchive', { slug: lower, page, file: FEED_FILE[format] });
      return redirect(`${path}${new URL(c.req.url).search}`);
    }
    return unknownTopic(slug);
  }

  /** `a+b` in canonical form (lowercase, sorted, distinct), or a redirect/error response. */
  function resolveCombined(c: Context, raw: string, format: FeedFormat): FeedScope | Response {
    const current = catalog(c);
    const slugs = raw.split(COMBINED_SEPARATOR);
    const max = current.site.maxCombinedTopics;
    if (slugs.length > max) return text(400, `Bad request: a combined feed joins at most ${max} topics.`);
    const canonical = [...new Set(slugs.map((slug) => slug.toLowerCase()))].sort();
    const malformed = canonical.find((slug) => !isSlug(slug));
    if (malformed !== undefined) return unknownTopic(malformed);
    const search = new URL(c.req.url).search;
    if (canonical.length === 1) return redirect(`${feedPath({ kind: 'topic', slug: canonical[0]! }, format)}${search}`);
    if (canonical.join(COMBINED_SEPARATOR) !== raw) return redirect(`${feedPath({ kind: 'topics', slugs: canonical }, format)}${search}`);
    const missing = canonical.find((slug) => !current.hasTopic(slug));
    if (missing !== undefined) return unknownTopic(missing);
    return { kind: 'topics', slugs: canonical };
  }

  /** One handler per route of the table; `next()` passes a path the route does not serve on to the 404. */
  /** An image or the icon: validators and bytes from the catalog's static files, or a 404. */
  async function serveFile(c: Context, path: string): Promise<Response> {
    const request = c.req.raw;
    const conditional = { ifNoneMatch: request.headers.get('If-None-Match'), ifModifiedSince: request.headers.get('If-Modified-Since') };
    // A revalidation or a HEAD needs the validators only: an image then costs a stat, not a read (media.ts).
    const representation = await catalog(c).staticFile(path, (validators) => request.method === 'HEAD' || isNotModified(conditional, validators));
    return representation ? respondWith(c.req.raw, representation, 'file') : notFound();
  }

  const handlers: Record<RouteName, Handler> = {
    favicon: (c) => serveFile(c, pathOf('favicon')),
    appleTouchIcon: (c) => serveFile(c, pathOf('appleTouchIcon')),
    // The raw path, still percent-encoded: the route table decodes and checks each segment once.
    media: (c) => serveFile(c, new URL(c.req.url).pathname),
    home: (c) => {
      const current = catalog(c);
      const query = parseFilter(c.req.queries('q'));
      if (!query.ok) return text(400, `Bad request: ${query.reason}.`);
      if (query.value === undefined) return respondWith(c.req.raw, current.homePage(), 'html');
      const filtered = current.dynamic ? current.topicFilter(query.value) : undefined;
      return filtered ? respondWith(c.req.raw, filtered, 'html') : staticOnly('?q (the topic filter)');
    },
    topicsJson: (c) => respondWith(c.req.raw, catalog(c).topicsJson(), 'json'),
    metrics: (c) => (options.metrics ? options.metrics(c.req.raw) : notFound()),
    health: (c) => Response.json(catalog(c).health(), { headers: { ...BASE_HEADERS, ...CORS_HEADERS, 'Cache-Control': 'no-store' } }),
    opml: (c) => {
      const current = catalog(c);
      const format = parseFormat(c.req.queries('format'));
      if (!format.ok) return text(400, `Bad request: ${format.reason}.`);
      const topics = parseTopicList(c.req.queries('topics'), 500);
      if (!topics.ok) return text(400, `Bad request: ${topics.reason}.`);
      if (topics.value !== undefined && !current.dynamic) return staticOnly('?topics');
      const representation = current.opml(format.value, topics.value);
      if (!representation) {
        const missing = topics.value?.find((slug) => !current.hasTopic(slug)) ?? '';
        return unknownTopic(missing);
      }
      return respondWith(c.req.raw, representation, 'opml');
    },
    feed: (c, next) => {
      const format = formatOfFile(c.req.param('file') ?? '');
      return format ? serveFeed(c, { kind: 'all' }, format) : next();
    },
    archive: (c, next) => {
      const format = formatOfFile(c.req.param('file') ?? '');
      return format ? serveArchive(c, { kind: 'all' }, format, c.req.param('page') ?? '') : next();
    },
    topicPage: (c) => {
      const scope = resolveTopic(c, c.req.param('slug') ?? '');
      if (scope instanceof Response) return scope;
      const page = scope.kind === 'topic' ? catalog(c).topicPage(scope.slug) : undefined;
      return page ? respondWith(c.req.raw, page, 'html') : unknownTopic(scope.kind === 'topic' ? scope.slug : '');
    },
    topicPageWithoutSlash: (c) => redirect(topicPagePath(encodeURIComponent(c.req.param('slug') ?? ''))),
    sourcePage: (c) => {
      const current = catalog(c);
      const source = c.req.param('source') ?? '';
      const page = current.sourcePage(source);
      if (page) return respondWith(c.req.raw, page, 'html');
      const lower = source.toLowerCase();
      if (lower !== source && isSlug(lower) && current.sourcePage(lower)) return redirect(sourcePagePath(lower));
      const shown = source.length > 80 ? `${source.slice(0, 80)}…` : source;
      return text(404, `Unknown source ${JSON.stringify(shown)}. The sources are listed at ${pathOf('home')}.`);
    },
    sourcePageWithoutSlash: (c) => redirect(sourcePagePath(encodeURIComponent(c.req.param('source') ?? ''))),
    topicFeed: (c, next) => {
      const file = c.req.param('file') ?? '';
      const format = formatOfFile(file);
      if (!format) return next();
      const scope = resolveTopic(c, c.req.param('slug') ?? '', format);
      return scope instanceof Response ? scope : serveFeed(c, scope, format);
    },
    topicArchive: (c, next) => {
      const file = c.req.param('file') ?? '';
      const format = formatOfFile(file);
      if (!format) return next();
      const page = c.req.param('page') ?? '';
      const scope = resolveTopic(c, c.req.param('slug') ?? '', format, page);
      return scope instanceof Response ? scope : serveArchive(c, scope, format, page);
    },
    combinedFeed: (c, next) => {
      const format = formatOfFile(c.req.param('file') ?? '');
      if (!format) return next();
      const scope = resolveCombined(c, c.req.param('slugs') ?? '', format);
      return scope instanceof Response ? scope : serveFeed(c, scope, format);
    },
  };
  for (const name of ROUTE_NAMES) app.get(ROUTES[name].pattern, handlers[name]);

  app.options('*', () => new Response(null, { status: 204, headers: { ...BASE_HEADERS, ...PREFLIGHT_HEADERS, Allow: ALLOWED_METHODS } }));
  app.all('*', (c) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return notFound();
    return text(405, `Method ${c.req.method} is not allowed. Use GET or HEAD.`, { Allow: ALLOWED_METHODS });
  });

  app.onError((error) => {
    options.onError?.(error);
    return text(500, 'Internal error.');
  });
  return app;
}
