import { Hono } from 'hono';
import type { Context } from 'hono';
import type { FeedFormat } from '../feeds/model.ts';
import type { Publication } from '../publish/publication.ts';
import { PAGE_CSP } from '../publish/pages.ts';
import type { Representation } from '../publish/representation.ts';
import type { RouteKind } from '../publish/routes.ts';
import { isSlug } from '../topics/slug.ts';
import { FEED_FILE } from '../topics/urls.ts';
import type { FeedScope } from '../topics/urls.ts';
import { isNotModified } from './conditional.ts';
import { ALLOWED_METHODS, BASE_HEADERS, CORS_HEADERS, FEED_VARY, PREFLIGHT_HEADERS } from './headers.ts';
import { parseLimit } from './params.ts';

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

export function representationHeaders(representation: Representation, kind: RouteKind): Record<string, string> {
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
  return headers;
}

/** Conditional GET from validators alone; the body is rendered only for a 200. */
export async function respondWith(request: Request, representation: Representation, kind: RouteKind): Promise<Response> {
  const headers = representationHeaders(representation, kind);
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

const FORMAT_BY_FILE: Readonly<Record<string, FeedFormat>> = Object.fromEntries(
  Object.entries(FEED_FILE).map(([format, file]) => [file, format as FeedFormat]),
);

export function createApp(options: AppOptions): Hono {
  const app = new Hono();
  const { catalog } = options;

  function serveFeed(c: Context, scope: FeedScope, format: FeedFormat): Response | Promise<Response> {
    const limit = parseLimit(c.req.queries('limit'), catalog(c).site);
    if (!limit.ok) return text(400, `Bad request: ${limit.reason}.`);
    if (!catalog(c).servesLimit(limit.limit)) {
      return text(400, `Bad request: this deployment serves only the default window of ${catalog(c).site.feedLimit} items.`);
    }
    const representation = catalog(c).feed(scope, format, limit.limit);
    if (!representation) return unknownTopic(scope.kind === 'topic' ? scope.slug : '');
    return respondWith(c.req.raw, representation, 'feed');
  }

  /** Canonical slugs are lowercase; a known topic in another case gets a permanent redirect. */
  function resolveTopic(c: Context, slug: string): FeedScope | Response {
    if (isSlug(slug)) return { kind: 'topic', slug };
    const lower = slug.toLowerCase();
    if (lower !== slug && isSlug(lower) && catalog(c).hasTopic(lower)) {
      const url = new URL(c.req.url);
      url.pathname = url.pathname.replace(`/topic/${encodeURIComponent(slug)}/`, `/topic/${lower}/`);
      return new Response(null, { status: 301, headers: { ...BASE_HEADERS, Location: `${url.pathname}${url.search}` } });
    }
    return unknownTopic(slug);
  }

  app.get('/', (c) => respondWith(c.req.raw, catalog(c).homePage(), 'html'));
  app.get('/topics.json', (c) => respondWith(c.req.raw, catalog(c).topicsJson(), 'json'));
  app.get('/healthz', (c) =>
    Response.json(catalog(c).health(), { headers: { ...BASE_HEADERS, ...CORS_HEADERS, 'Cache-Control': 'no-store' } }),
  );

  for (const [file, format] of Object.entries(FORMAT_BY_FILE)) {
    app.get(`/${file}`, (c) => serveFeed(c, { kind: 'all' }, format));
    app.get(`/topic/:slug/${file}`, (c) => {
      const scope = resolveTopic(c, c.req.param('slug'));
      return scope instanceof Response ? scope : serveFeed(c, scope, format);
    });
  }

  app.get('/topic/:slug/', (c) => {
    const scope = resolveTopic(c, c.req.param('slug'));
    if (scope instanceof Response) return scope;
    if (scope.kind !== 'topic') return unknownTopic('');
    const page = catalog(c).topicPage(scope.slug);
    return page ? respondWith(c.req.raw, page, 'html') : unknownTopic(scope.slug);
  });
  app.get('/topic/:slug', (c) => {
    const slug = c.req.param('slug');
    return new Response(null, { status: 301, headers: { ...BASE_HEADERS, Location: `/topic/${encodeURIComponent(slug)}/` } });
  });

  app.options('*', () => new Response(null, { status: 204, headers: { ...BASE_HEADERS, ...PREFLIGHT_HEADERS, Allow: ALLOWED_METHODS } }));
  app.all('*', (c) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return text(404, 'Not found. The feeds are listed at / and /topics.json.');
    return text(405, `Method ${c.req.method} is not allowed. Use GET or HEAD.`, { Allow: ALLOWED_METHODS });
  });

  app.onError((error) => {
    options.onError?.(error);
    return text(500, 'Internal error.');
  });
  return app;
}

function unknownTopic(slug: string): Response {
  const shown = slug.length > 80 ? `${slug.slice(0, 80)}…` : slug;
  return text(404, `Unknown topic ${JSON.stringify(shown)}. Every topic is listed at /topics.json.`);
}
