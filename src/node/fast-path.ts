/**
 * The Node hot path, answered before the router: a canonical GET/HEAD with
 * no query string is looked up in a table of rendered bytes with their
 * validators and headers, compared, and sent. Everything else (queries,
 * browsers asking for a preview, redirects, errors, other methods) falls
 * through to the Hono app. Headers come from the app's own
 * `representationHeaders`, and test/node/fast-path.test.ts checks that both paths give the
 * same status, headers and bytes for every route.
 */
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import type { FeedFormat } from '../feeds/model.ts';
import { representationHeaders, webSubLink } from '../http/app.ts';
import { isNotModified } from '../http/conditional.ts';
import { wantsPreview } from '../http/negotiate.ts';
import { parsePage } from '../http/params.ts';
import type { LiveCatalog } from '../publish/live-catalog.ts';
import type { Representation } from '../publish/representation.ts';
import type { RouteKind } from '../publish/routes.ts';
import { ROUTES, feedPath, formatOfFile, matchRoute } from '../publish/routes.ts';
import { isSlug } from '../content/topic-slug.ts';
import type { ArchivedScope } from '../topics/scope.ts';
import type { Validators } from '../topics/validators.ts';
import type { StoredRender } from '../ingest/render-store.ts';
import type { Coding } from './compress.ts';
import { MIN_COMPRESS_BYTES, acceptedCodings, compress } from './compress.ts';

export interface FastRoute {
  readonly kind: RouteKind;
  readonly representation: Representation;
  readonly link?: string;
  /** A feed URL: browsers that prefer HTML get the app's preview instead. */
  readonly negotiated: boolean;
}

function feedRoute(catalog: LiveCatalog, scope: ArchivedScope, format: FeedFormat): FastRoute | undefined {
  const representation = catalog.feed(scope, format);
  if (!representation) return undefined;
  const link = webSubLink(catalog, feedPath(scope, format));
  return { kind: 'feed', representation, negotiated: true, ...(link === undefined ? {} : { link }) };
}

function archiveRoute(catalog: LiveCatalog, scope: ArchivedScope, rawPage: string, format: FeedFormat): FastRoute | undefined {
  const page = parsePage(rawPage);
  if (page === undefined) return undefined;
  const representation = catalog.archive(scope, format, page);
  return representation ? { kind: 'feed', representation, negotiated: false } : undefined;
}

function fixed(kind: RouteKind, representation: Representation | undefined): FastRoute | undefined {
  return representation ? { kind, representation, negotiated: false } : undefined;
}

/**
 * The route of a canonical path, as app.ts would serve it to a client that
 * gets the feed (no preview); undefined for anything the app must decide.
 */
export function resolveRoute(catalog: LiveCatalog, path: string): FastRoute | undefined {
  const match = matchRoute(path);
  if (!match || !ROUTES[match.name].fixed) return undefined;
  const { slug, page = '', file = '' } = match.params;
  if (slug !== undefined && !isSlug(slug)) return undefined;
  const format = formatOfFile(file);
  const scope: ArchivedScope = slug === undefined ? { kind: 'all' } : { kind: 'topic', slug };
  switch (match.name) {
    case 'home':
      return fixed('html', catalog.homePage());
    case 'topicsJson':
      return fixed('json', catalog.topicsJson());
    case 'opml':
      return fixed('opml', catalog.opml('rss'));
    case 'topicPage':
      return fixed('html', catalog.topicPage(scope.kind === 'topic' ? scope.slug : ''));
    case 'sourcePage':
      return fixed('html', catalog.sourcePage(match.params.source ?? ''));
    case 'feed':
    case 'topicFeed':
      return format && feedRoute(catalog, scope, format);
    case 'archive':
    case 'topicArchive':
      return format && archiveRoute(catalog, scope, page, format);
    default:
      return undefined;
  }
}

/** One encoding of a slot: its bytes and the exact header lists for 200, HEAD (the 200's, Content-Length included: RFC 9110 §9.3.2) and 304. */
export interface Variant {
  readonly etag: string;
  readonly body: Buffer;
  readonly ok: readonly string[];
  readonly head: readonly string[];
  readonly notModified: readonly string[];
}

function flat(headers: Readonly<Record<string, string>>, omit?: string): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(headers)) if (name !== omit) out.push(name, value);
  return out;
}

function variantOf(headers: Readonly<Record<string, string>>, body: Buffer): Variant {
  const ok = [...flat(headers), 'Content-Length', String(body.byteLength)];
  return { etag: headers.ETag ?? '', body, ok, head: ok, notModified: flat(headers, 'Content-Type') };
}

/** The ETag of a content-coded variant: its own strong tag (RFC 9110 §8.8.3), `"<tag>-gz"` or `"<tag>-br"`. */
export function codedTag(etag: string, coding: Coding): string {
  return `${etag.slice(0, -1)}-${coding === 'gzip' ? 'gz' : 'br'}"`;
}

/** Where a slot saves what it rendered and compressed (the render store, src/ingest/render-store.ts). */
export interface RenderSink {
  put(etag: string, render: Promise<StoredRender | undefined>): void;
}

/** Bytes an earlier run rendered, by ETag (the render store): `has` is a cheap index lookup, `get` reads and verifies. */
export interface RenderSource {
  has(etag: string): boolean;
  get(etag: string): Promise<StoredRender | undefined>;
}

/** How a route the warm-up left out gets its bytes on its first request. */
export interface OnDemand {
  /** Where to look first: a stored render of the slot's ETag is restored instead of rendered. */
  readonly source?: RenderSource;
  /** Told how each route got its bytes on a request (metrics), and how long that took. */
  readonly filled?: (how: 'store' | 'render', ms: number) => void;
}

/**
 * One route of one snapshot: validators from the index, bytes rendered on
 * first use (or restored from the render store) and compressed once in the
 * background. After the render it holds no reference to its catalog, so a
 * later snapshot can keep it when the validators are unchanged without
 * keeping the old snapshot alive.
 */
export class Slot implements Validators {
  readonly etag: string;
  readonly lastModified: string;
  readonly lastModifiedMs: number;
  readonly negotiated: boolean;
  private readonly headers: Readonly<Record<string, string>>;
  private representation: Representation | undefined;
  private identity: Variant | undefined;
  private readonly coded = new Map<Coding, Variant | null | 'pending'>();
  private readonly jobs = new Map<Coding, Promise<void>>();
  /** Set while a render waits for both variants before it is saved to the sink. */
  private settle: ((render: StoredRender | undefined) => void) | undefined;
  private compressFailed = false;
  /** The one read of a stored render that first requests wait for (`fill`). */
  private filling: Promise<boolean> | undefined;
  /** A request was answered from this slot (what the next start warms first). */
  requested = false;

  constructor(
    route: FastRoute,
    private readonly sink?: RenderSink,
  ) {
    const { representation } = route;
    this.etag = representation.etag;
    this.lastModified = representation.lastModified;
    this.lastModifiedMs = representation.lastModifiedMs;
    this.negotiated = route.negotiated;
    this.headers = representationHeaders(representation, route.kind, route.link);
    this.representation = representation;
  }

  get rendered(): boolean {
    return this.identity !== undefined;
  }

  /**
   * Identity bytes; renders them on the first call. Throws when the render
   * fails. With a sink, the render is saved once both variants are made:
   * `compressLater` starts them in the background (a request's render);
   * a warm-up that compresses them itself passes false.
   */
  render(compressLater = true): Variant {
    if (this.identity) return this.identity;
    const bytes = this.representation?.body();
    if (!(bytes instanceof Uint8Array)) throw new Error('the fast path serves rendered bytes only');
    this.identity = variantOf(this.headers, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    this.representation = undefined;
    if (this.sink) {
      this.sink.put(this.etag, new Promise((resolve) => (this.settle = resolve)));
      if (compressLater) {
        const later = setTimeout(() => {
          void this.compress('br');
          void this.compress('gzip');
        }, 0);
        later.unref?.();
      }
    }
    return this.identity;
  }

  /**
   * Fills the slot from the render store (the bytes of this very ETag:
   * the store verified the tag and the hashes): no render, no compression.
   * False when the slot is rendered already.
   */
  restore(stored: StoredRender): boolean {
    if (this.identity) return false;
    this.identity = variantOf(this.headers, stored.identity);
    this.representation = undefined;
    for (const coding of ['br', 'gzip'] as const) {
      const body = stored[coding];
      this.coded.set(coding, body === undefined ? null : variantOf({ ...this.headers, ETag: codedTag(this.etag, coding), 'Content-Encoding': coding }, body));
      this.jobs.set(coding, Promise.resolve());
    }
    return true;
  }

  /**
   * Fills the slot from `source` when it holds this ETag (one read, shared by
   * the requests that wait for it); true when the bytes came from there.
   * False on a miss or a damaged entry: the caller renders. `restored` is
   * told once, by the call that started the read, if it filled the slot.
   */
  fill(source: RenderSource, restored?: () => void): Promise<boolean> {
    this.filling ??= source.get(this.etag).then(
      (stored) => {
        const filled = stored !== undefined && this.restore(stored);
        if (filled) restored?.();
        return filled;
      },
      () => false,
    );
    return this.filling;
  }

  /**
   * The header list of a 304 for a client that holds this slot's bytes
   * (`isNotModified` said so), without rendering them: the variant the
   * client's If-None-Match names, among the codings it accepts, else
   * identity. The same bytes would carry that tag, since it names them.
   */
  notModifiedHeaders(ifNoneMatch: string | undefined, codings: readonly Coding[]): readonly string[] {
    if (this.identity) return this.variantFor(codings).notModified;
    const coding = ifNoneMatch === undefined ? undefined : codings.find((c) => ifNoneMatch.includes(codedTag(this.etag, c).slice(0, -1)));
    return coding === undefined ? flat(this.headers, 'Content-Type') : flat({ ...this.headers, ETag: codedTag(this.etag, coding), 'Content-Encoding': coding }, 'Content-Type');
  }

  /** The best variant ready for these codings; missing ones are made in the background. */
  variantFor(codings: readonly Coding[]): Variant {
    const identity = this.identity ?? this.render();
    if (codings.length === 0) return identity;
    for (const coding of codings) {
      const variant = this.coded.get(coding);
      if (variant === undefined) void this.compress(coding);
      else if (variant !== null && variant !== 'pending') return variant;
    }
    return identity;
  }

  /** Makes the variant for `coding` once; resolves when it is ready (or known not to be worth it). */
  compress(coding: Coding): Promise<void> {
    let job = this.jobs.get(coding);
    if (!job) {
      job = this.makeVariant(coding);
      this.jobs.set(coding, job);
    }
    return job;
  }

  private async makeVariant(coding: Coding): Promise<void> {
    const identity = this.render(false);
    if (identity.body.byteLength < MIN_COMPRESS_BYTES) {
      this.coded.set(coding, null);
      this.settled();
      return;
    }
    this.coded.set(coding, 'pending');
    try {
      const body = await compress(coding, identity.body);
      if (body.byteLength >= identity.body.byteLength) this.coded.set(coding, null);
      else this.coded.set(coding, variantOf({ ...this.headers, ETag: codedTag(this.etag, coding), 'Content-Encoding': coding }, body));
    } catch {
      this.coded.set(coding, null);
      this.compressFailed = true;
    }
    this.settled();
  }

  /** Both variants made (or not worth making): hands the render to the sink, unless a compression failed. */
  private settled(): void {
    const settle = this.settle;
    if (!settle || !this.compressed || !this.identity) return;
    this.settle = undefined;
    if (this.compressFailed) return settle(undefined);
    const body = (coding: Coding): Buffer | undefined => {
      const variant = this.coded.get(coding);
      return variant && variant !== 'pending' ? variant.body : undefined;
    };
    settle({ identity: this.identity.body, br: body('br'), gzip: body('gzip') });
  }

  get compressed(): boolean {
    return [...this.coded.values()].every((variant) => variant !== 'pending') && this.coded.size === 2;
  }
}

/**
 * Slots of one snapshot, made on first lookup. A slot of the previous
 * snapshot with the same ETag (so the same bytes: the tag covers every
 * item's id, lastMod and source revision) is kept rather than rendered again.
 */
export class FastTable {
  private readonly slots = new Map<string, Slot>();
  private inherited: ReadonlyMap<string, Slot> | undefined;
  /** Paths requested from earlier snapshots (and, from the first one, the last run), most recent first. */
  private readonly servedBefore: ReadonlySet<string>;

  /**
   * `sink`: where new slots save their renders (the render store); none by
   * default. `demand`: how routes not warmed are filled on first request.
   */
  constructor(
    readonly catalog: LiveCatalog,
    previous?: FastTable,
    readonly sink?: RenderSink,
    readonly demand: OnDemand = {},
    servedBefore: Iterable<string> = [],
  ) {
    // One generation only: the previous table lets go of its own predecessor.
    if (previous) {
      // Shared while nothing new was served: an edit must not copy a long list of paths.
      const fresh = previous.newlyServed();
      this.servedBefore = fresh.length === 0 ? previous.servedBefore : new Set([...fresh, ...previous.servedBefore]);
      previous.inherited = undefined;
      this.inherited = previous.slots;
    } else this.servedBefore = new Set(servedBefore);
  }

  /** Paths requested from this table (or the one before it) and not yet in `servedBefore`. */
  private newlyServed(): string[] {
    const paths = new Set<string>();
    for (const [path, slot] of this.slots) if (slot.requested && !this.servedBefore.has(path)) paths.add(path);
    if (this.inherited) for (const [path, slot] of this.inherited) if (slot.requested && !this.servedBefore.has(path)) paths.add(path);
    return [...paths];
  }

  /** Whether this table (or the one before it) holds bytes for `path`, without making a slot. */
  holds(path: string): boolean {
    return (this.slots.get(path) ?? this.inherited?.get(path))?.rendered === true;
  }

  /** Paths requests were answered for, newest first (by first request), then those of the runs before. */
  servedPaths(): string[] {
    return [...this.newlyServed(), ...this.servedBefore];
  }

  lookup(path: string): Slot | undefined {
    const known = this.slots.get(path);
    if (known) return known;
    const route = resolveRoute(this.catalog, path);
    if (!route) return undefined;
    const old = this.inherited?.get(path);
    const slot = old && old.rendered && old.etag === route.representation.etag ? old : new Slot(route, this.sink);
    this.slots.set(path, slot);
    return slot;
  }

  /** Paths whose slots hold bytes (rendered or restored), here or in the previous snapshot not yet carried over. */
  renderedPaths(): string[] {
    const paths = new Set<string>();
    for (const [path, slot] of this.slots) if (slot.rendered) paths.add(path);
    if (this.inherited) for (const [path, slot] of this.inherited) if (slot.rendered) paths.add(path);
    return [...paths];
  }

  /** Paths the previous snapshot had slots for, so a warm-up can carry them over. */
  inheritedPaths(): string[] {
    return this.inherited ? [...this.inherited.keys()] : [];
  }

  /** Drops the link to the previous snapshot's slots (after a warm-up carried them over). */
  forgetPrevious(): void {
    this.inherited = undefined;
  }

  get size(): number {
    return this.slots.size;
  }
}

/** Only a browser's navigation may get the preview; HTTP libraries send no Fetch Metadata, so most requests stop at the first test. */
function wantsPreviewOf(headers: IncomingMessage['headers']): boolean {
  const dest = headers['sec-fetch-dest'];
  if (dest === undefined) return false;
  return wantsPreview({ accept: headers.accept, secFetchDest: dest, secFetchMode: headers['sec-fetch-mode'] });
}

// @hono/node-server's test for a Host it can use as is; any other Host (or
// none) is left to the adapter, which validates it or answers 400.
const PLAIN_HOST = /^[a-z0-9._-]+(?::(?:[1-5]\d{3,4}|[6-9]\d{3}))?$/;

const hostVerdicts = new Map<string, boolean>();

function isPlainHost(host: string): boolean {
  let verdict = hostVerdicts.get(host);
  if (verdict === undefined) {
    verdict = PLAIN_HOST.test(host);
    if (hostVerdicts.size >= 256) hostVerdicts.clear();
    hostVerdicts.set(host, verdict);
  }
  return verdict;
}

const IDENTITY_ONLY: readonly Coding[] = [];

/**
 * Answers the request from `table` when it can; false means the app must.
 * With `fallback` (the app), a first request for a route whose bytes the
 * render store holds waits for them instead of rendering, and is answered
 * (by the slot, or by `fallback` if that fails) asynchronously.
 */
export function serveFast(table: FastTable, request: IncomingMessage, response: ServerResponse, fallback?: RequestListener): boolean {
  const method = request.method;
  if (method !== 'GET' && method !== 'HEAD') return false;
  const url = request.url;
  // A query is a variant only the app decides: no route lookup for it here.
  if (url === undefined || url.includes('?')) return false;
  const slot = table.lookup(url);
  if (!slot) return false;
  const headers = request.headers;
  const host = headers.host;
  if (host === undefined || !isPlainHost(host)) return false;
  if (slot.negotiated && wantsPreviewOf(headers)) return false;
  if (!slot.rendered) {
    // A poller that holds this version gets its 304 from the validators: no read, no render.
    const ifNoneMatch = headers['if-none-match'];
    const ifModifiedSince = headers['if-modified-since'];
    if ((ifNoneMatch !== undefined || ifModifiedSince !== undefined) && isNotModified({ ifNoneMatch, ifModifiedSince }, slot)) {
      const acceptEncoding = headers['accept-encoding'];
      response.writeHead(304, slot.notModifiedHeaders(ifNoneMatch, acceptEncoding === undefined ? IDENTITY_ONLY : acceptedCodings(acceptEncoding)) as string[]);
      response.end();
      if (!slot.requested) slot.requested = true;
      return true;
    }
    const { source, filled } = table.demand;
    const started = performance.now();
    if (fallback !== undefined && source !== undefined && source.has(slot.etag)) {
      void slot.fill(source, () => filled?.('store', performance.now() - started)).then(() => {
        // A miss or a damaged entry: rendered here (once, whichever request gets here first).
        const rendering = !slot.rendered;
        if (!answer(slot, request, response)) fallback(request, response);
        else if (rendering) filled?.('render', performance.now() - started);
      });
      return true;
    }
    const answered = answer(slot, request, response);
    if (answered) filled?.('render', performance.now() - started);
    return answered;
  }
  return answer(slot, request, response);
}

/** Writes the slot's response (rendering it first if need be); false when the render fails. */
function answer(slot: Slot, request: IncomingMessage, response: ServerResponse): boolean {
  const headers = request.headers;
  const method = request.method;
  let variant: Variant;
  try {
    const acceptEncoding = headers['accept-encoding'];
    variant = slot.variantFor(acceptEncoding === undefined ? IDENTITY_ONLY : acceptedCodings(acceptEncoding));
  } catch {
    return false; // the app renders again and reports the error its usual way
  }
  if (!slot.requested) slot.requested = true;
  const ifNoneMatch = headers['if-none-match'];
  const ifModifiedSince = headers['if-modified-since'];
  if (
    (ifNoneMatch !== undefined || ifModifiedSince !== undefined) &&
    (ifNoneMatch === variant.etag || isNotModified({ ifNoneMatch, ifModifiedSince }, slot))
  ) {
    response.writeHead(304, variant.notModified as string[]);
    response.end();
  } else if (method === 'HEAD') {
    response.writeHead(200, variant.head as string[]);
    response.end();
  } else {
    response.writeHead(200, variant.ok as string[]);
    response.end(variant.body);
  }
  return true;
}

/** A request listener that tries the fast path, then `fallback` (the Hono app). */
export function withFastPath(table: () => FastTable | undefined, fallback: RequestListener): RequestListener {
  return (request, response) => {
    const current = table();
    if (current !== undefined && serveFast(current, request, response, fallback)) return;
    fallback(request, response);
  };
}

/**
 * Puts the fast path in front of a server's existing request listeners (the
 * Hono adapter, the hardening guards): they run, in their order, only for
 * requests the fast path passes on. Its own responses carry every header
 * those would have added.
 */
export function installFastPath(server: Server, table: () => FastTable | undefined): void {
  const listeners = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on(
    'request',
    withFastPath(table, (request, response) => {
      for (const listener of listeners) listener.call(server, request, response);
    }),
  );
}
