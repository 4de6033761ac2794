import { Hono } from 'hono';
import type { Context } from 'hono';
import type { FeedFormat } from '../feeds/model.ts';
import type { Publication } from '../publish/publication.ts';
import type { Representation } from '../publish/representation.ts';
import type { RouteKind } from '../publish/routes.ts';
import { isSlug } from '../content/topic-slug.ts';
import { COMBINED_SEPARATOR, FEED_FILE, feedPath } from '../topics/urls.ts';
import type { ArchivedScope, FeedScope } from '../topics/urls.ts';
import { isNotModified } from './conditional.ts';
import { ALLOWED_METHODS, BASE_HEADERS, CORS_HEADERS, FEED_VARY, PREFLIGHT_HEADERS } from './headers.ts';
import { prefersHtml } from './negotiate.ts';
import { parseFormat, parseLimit, parsePage, parseSince, parseTopicList, parseView } from './params.ts';
import { PAGE_CSP } from '../publish/pages.ts';

export interface AppOptions {
  /**
   * The current snapshot. Node swaps it on reload; the Worker builds it from
   * its bindings on first use, hence the context.
   */
  readonly catalog: (c: Context) => Publication;
  readonly onError?: (error: unknown) => void;
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
  return new Response(request.method === 'HEAD' ? null : await representation.body(), { status: 200, headers });
}

/** WebSub discovery (the hub and the canonical self URL) as an HTTP Link header. */
export function webSubLink(publication: Publication, path: string): string | undefined {
  const hub = publication.site.websubHub;
  return hub === undefined ? undefined : `<${hub}>; rel="hub", <${publication.site.siteUrl}${path}>; rel="self"`;
}

const FORMAT_BY_FILE: ReadonlyMap<string, FeedFormat> = new Map(
  Object.entries(FEED_FILE).map(([format, file]) => [file, format as FeedFormat]),
);

function unknownTopic(slug: string): Response {
  const shown = slug.length > 80 ? `${slug.slice(0, 80)}…` : slug;
  return text(404, `Unknown topic ${JSON.stringify(shown)}. Every topic is listed at /topics.json.`);
}

function notFound(): Response {
  return text(404, 'Not found. The feeds are listed at / and /topics.json.');
}

export function createApp(options: AppOptions): Hono {
  const app = new Hono();
  const { catalog } = options;

  function staticOnly(what: string): Response {
    return text(400, `Bad request: ${what} is not available on this static deployment; it serves the fixed feeds only.`);
  }

  function serveFeed(c: Context, scope: FeedScope, format: FeedFormat): Promise<Response> | Response {
    const publication = catalog(c);
    const limit = parseLimit(c.req.queries('limit'), publication.site);
    if (!limit.ok) return text(400, `Bad request: ${limit.reason}.`);
    const since = parseSince(c.req.queries('since'));
    if (!since.ok) return text(400, `Bad request: ${since.reason}.`);
    const view = parseView(c.req.queries('view'));
    if (!view.ok) return text(400, `Bad request: ${view.reason}.`);
    if (!publication.dynamic) {
      if (limit.value !== publication.site.feedLimit) return staticOnly('?limit');
      if (since.value !== undefined) return staticOnly('?since');
      if (scope.kind === 'topics') return staticOnly('a combined feed');
    }
    const preview = view.value === 'html' || (view.value === undefined && prefersHtml(c.req.header('Accept')));
    const representation = publication.feed(scope, format, {
      limit: limit.value,
      ...(since.value !== undefined && { since: since.value }),
      preview,
    });
    if (!representation) return unknownTopic(scope.kind === 'topic' ? scope.slug : scope.kind === 'topics' ? scope.slugs.join(COMBINED_SEPARATOR) : '');
    return respondWith(c.req.raw, representation, preview ? 'html' : 'feed', webSubLink(publication, feedPath(scope, format)));
  }

  function serveArchive(c: Context, scope: ArchivedScope, format: FeedFormat, rawPage: string): Promise<Response> | Response {
    const page = parsePage(rawPage);
    const representation = page === undefined ? undefined : catalog(c).archive(scope, format, page);
    return representation ? respondWith(c.req.raw, representation, 'feed') : notFound();
  }

  /** Canonical slugs are lowercase; a known topic in another case gets a permanent redirect. */
  function resolveTopic(c: Context, slug: string, rest: string): ArchivedScope | Response {
    if (isSlug(slug)) return { kind: 'topic', slug };
    const lower = slug.toLowerCase();
    if (lower !== slug && isSlug(lower) && catalog(c).hasTopic(lower)) {
      return redirect(`/topic/${lower}/${rest}${new URL(c.req.url).search}`);
    }
    return unknownTopic(slug);
  }

  /** `a+b` in canonical form (lowercase, sorted, distinct), or a redirect/error response. */
  function resolveCombined(c: Context, raw: string, file: string): FeedScope | Response {
    const publication = catalog(c);
    const slugs = raw.split(COMBINED_SEPARATOR);
    const max = publication.site.maxCombinedTopics;
    if (slugs.length > max) return text(400, `Bad request: a combined feed joins at most ${max} topics.`);
    const canonical = [...new Set(slugs.map((slug) => slug.toLowerCase()))].sort();
    const malformed = canonical.find((slug) => !isSlug(slug));
    if (malformed !== undefined) return unknownTopic(malformed);
    const search = new URL(c.req.url).search;
    if (canonical.length === 1) return redirect(`/topic/${canonical[0]}/${file}${search}`);
    if (canonical.join(COMBINED_SEPARATOR) !== raw) return redirect(`/topics/${canonical.join(COMBINED_SEPARATOR)}/${file}${search}`);
    const missing = canonical.find((slug) => !publication.hasTopic(slug));
    if (missing !== undefined) return unknownTopic(missing);
    return { kind: 'topics', slugs: canonical };
  }

  app.get('/', (c) => respondWith(c.req.raw, catalog(c).homePage(), 'html'));
  app.get('/topics.json', (c) => respondWith(c.req.raw, catalog(c).topicsJson(), 'json'));
  app.get('/healthz', (c) =>
    Response.json(catalog(c).health(), { headers: { ...BASE_HEADERS, ...CORS_HEADERS, 'Cache-Control': 'no-store' } }),
  );

  app.get('/opml.xml', (c) => {
    const publication = catalog(c);
    const format = parseFormat(c.req.queries('format'));
    if (!format.ok) return text(400, `Bad request: ${format.reason}.`);
    const topics = parseTopicList(c.req.queries('topics'), 500);
    if (!topics.ok) return text(400, `Bad request: ${topics.reason}.`);
    if (topics.value !== undefined && !publication.dynamic) return staticOnly('?topics');
    const representation = publication.opml(format.value, topics.value);
    if (!representation) {
      const missing = topics.value?.find((slug) => !publication.hasTopic(slug)) ?? '';
      return unknownTopic(missing);
    }
    return respondWith(c.req.raw, representation, 'opml');
  });

  app.get('/:file', (c, next) => {
    const format = FORMAT_BY_FILE.get(c.req.param('file'));
    return format ? serveFeed(c, { kind: 'all' }, format) : next();
  });
  app.get('/archive/:page/:file', (c, next) => {
    const format = FORMAT_BY_FILE.get(c.req.param('file'));
    return format ? serveArchive(c, { kind: 'all' }, format, c.req.param('page')) : next();
  });

  app.get('/topic/:slug/', (c) => {
    const scope = resolveTopic(c, c.req.param('slug'), '');
    if (scope instanceof Response) return scope;
    const page = scope.kind === 'topic' ? catalog(c).topicPage(scope.slug) : undefined;
    return page ? respondWith(c.req.raw, page, 'html') : unknownTopic(scope.kind === 'topic' ? scope.slug : '');
  });
  app.get('/topic/:slug', (c) => redirect(`/topic/${encodeURIComponent(c.req.param('slug'))}/`));
  app.get('/topic/:slug/:file', (c, next) => {
    const file = c.req.param('file');
    const format = FORMAT_BY_FILE.get(file);
    if (!format) return next();
    const scope = resolveTopic(c, c.req.param('slug'), file);
    return scope instanceof Response ? scope : serveFeed(c, scope, format);
  });
  app.get('/topic/:slug/archive/:page/:file', (c, next) => {
    const file = c.req.param('file');
    const format = FORMAT_BY_FILE.get(file);
    if (!format) return next();
    const scope = resolveTopic(c, c.req.param('slug'), `archive/${c.req.param('page')}/${file}`);
    return scope instanceof Response ? scope : serveArchive(c, scope, format, c.req.param('page'));
  });
  app.get('/topics/:slugs/:file', (c, next) => {
    const file = c.req.param('file');
    const format = FORMAT_BY_FILE.get(file);
    if (!format) return next();
    const scope = resolveCombined(c, c.req.param('slugs'), file);
    return scope instanceof Response ? scope : serveFeed(c, scope, format);
  });

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
