/**
 * `/metrics` in the Prometheus text format (prom-client), Node only: the
 * Worker has no such route (the app answers 404 there). The hot path only
 * bumps plain numbers (`RequestCounts.count`: one Map lookup by a small
 * integer key); prom-client's metrics are filled from them when scraped.
 * Gauges (documents, topics, problems, snapshot age, subscribers) are read
 * from the live snapshot at scrape time too.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { BASE_HEADERS } from '../http/headers.ts';
import type { LiveCatalog } from '../publish/live-catalog.ts';
import type { RouteSpec } from '../publish/routes.ts';
import { ROUTES, formatOfFile, matchRoute } from '../publish/routes.ts';
import type { WebSubOutcome } from '../publish/websub.ts';
import type { SubscriberTracker } from './subscriber-tracker.ts';

/** How a request was answered: from the fast path's table, by the Hono app, or with a 503 while loading. */
export type ServedBy = 'fast' | 'app' | 'loading';
const SERVED_BY: readonly ServedBy[] = ['fast', 'app', 'loading'];

type KindLabel = RouteSpec['kind'] | 'other';
const KINDS: readonly KindLabel[] = [...new Set<KindLabel>([...Object.values(ROUTES).map((route) => route.kind), 'other'])];
const FORMATS = ['rss', 'atom', 'json', 'none'] as const;

/** A request's labels as one small integer: kind × format. */
export interface RouteLabel {
  readonly id: number;
  readonly kind: KindLabel;
  readonly format: (typeof FORMATS)[number];
}

const LABELS: readonly RouteLabel[] = KINDS.flatMap((kind, k) => FORMATS.map((format, f) => ({ id: k * FORMATS.length + f, kind, format })));
const labelOf = (kind: KindLabel, format: RouteLabel['format']): RouteLabel => LABELS[KINDS.indexOf(kind) * FORMATS.length + FORMATS.indexOf(format)]!;

const MAX_CACHED_URLS = 4096;
const MAX_CACHED_URL_LENGTH = 512;
const urlLabels = new Map<string, RouteLabel>();

/** The route kind and format of a request URL (query ignored); cached per URL string, bounded. */
export function routeLabel(url: string): RouteLabel {
  // Keyed by path: cache-busting queries (`?t=…`) must not fill the cache with one entry per request.
  const query = url.indexOf('?');
  const path = query < 0 ? url : url.slice(0, query);
  const known = urlLabels.get(path);
  if (known !== undefined) return known;
  const match = matchRoute(path);
  const file = match?.params.file;
  const label = labelOf(match ? ROUTES[match.name].kind : 'other', (file === undefined ? undefined : formatOfFile(file)) ?? 'none');
  if (path.length <= MAX_CACHED_URL_LENGTH) {
    if (urlLabels.size >= MAX_CACHED_URLS) urlLabels.delete(urlLabels.keys().next().value!);
    urlLabels.set(path, label);
  }
  return label;
}

const STATUS_SPAN = 1000;

/** Requests by (served by, route label, status): plain numbers, turned into a counter when scraped. */
export class RequestCounts {
  private readonly counts = new Map<number, number>();

  count(servedBy: number, label: number, status: number): void {
    const key = (servedBy * LABELS.length + label) * STATUS_SPAN + (status >= 100 && status < STATUS_SPAN ? status : 0);
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  *entries(): Generator<{ servedBy: ServedBy; label: RouteLabel; status: number; count: number }> {
    for (const [key, count] of this.counts) {
      const status = key % STATUS_SPAN;
      const rest = (key - status) / STATUS_SPAN;
      const label = LABELS[rest % LABELS.length]!;
      yield { servedBy: SERVED_BY[Math.floor(rest / LABELS.length)]!, label, status, count };
    }
  }
}

export const SERVED_BY_INDEX: Readonly<Record<ServedBy, number>> = { fast: 0, app: 1, loading: 2 };

export interface MetricsSources {
  /** The snapshot being served; undefined while loading. */
  readonly catalog: () => LiveCatalog | undefined;
  /** When the snapshot being served was swapped in (performance.now() clock); undefined while loading. */
  readonly snapshotAt: () => number | undefined;
  readonly subscribers: SubscriberTracker;
}

export interface MetricsOptions {
  /** Bearer token required on /metrics; undefined: none. */
  readonly token?: string | undefined;
}

const DURATION_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class ServerMetrics {
  readonly registry = new Registry();
  readonly requests = new RequestCounts();
  readonly renderSeconds: Histogram;
  readonly firstFillSeconds: Histogram<'source'>;
  readonly reloadSeconds: Histogram;
  readonly appSeconds: Histogram<'route'>;
  readonly startupSeconds: Gauge<'phase'>;
  private readonly websub: Counter<'outcome'>;
  private readonly tokenDigest: Buffer | undefined;

  constructor(sources: MetricsSources, options: MetricsOptions = {}) {
    const registers = [this.registry];
    this.tokenDigest = options.token === undefined ? undefined : digest(options.token);
    collectDefaultMetrics({ register: this.registry });
    const requests = this.requests;
    new Counter({
      name: 'topic_feeds_http_requests_total',
      help: 'HTTP requests answered, by route kind, feed format, status and what answered them (fast path, app, or 503 while loading).',
      labelNames: ['route', 'format', 'status', 'served_by'] as const,
      registers,
      collect() {
        this.reset();
        for (const { servedBy, label, status, count } of requests.entries()) {
          this.inc({ route: label.kind, format: label.format, status: status === 0 ? 'other' : String(status), served_by: servedBy }, count);
        }
      },
    });
    this.renderSeconds = new Histogram({
      name: 'topic_feeds_render_duration_seconds',
      help: 'Time to render one fixed route (page, topics.json, OPML or feed) during a warm-up.',
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.firstFillSeconds = new Histogram({
      name: 'topic_feeds_first_request_fill_duration_seconds',
      help: 'Routes the warm-up left out (cold topics, archive pages), filled on their first request: restored from the render store (source="store") or rendered (source="render").',
      labelNames: ['source'] as const,
      buckets: DURATION_BUCKETS,
      registers,
    });
    for (const source of ['store', 'render'] as const) this.firstFillSeconds.zero({ source });
    this.reloadSeconds = new Histogram({
      name: 'topic_feeds_reload_duration_seconds',
      help: 'From a file change being noticed to the new snapshot being served.',
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.appSeconds = new Histogram({
      name: 'topic_feeds_app_request_duration_seconds',
      help: 'Requests the fast path passed to the Hono app (queries, previews, variants), until the response was finished.',
      labelNames: ['route'] as const,
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.startupSeconds = new Gauge({
      name: 'topic_feeds_startup_seconds',
      help: 'Seconds from process start to each start-up phase: listening, loaded, ready.',
      labelNames: ['phase'] as const,
      registers,
    });
    this.websub = new Counter({
      name: 'topic_feeds_websub_pings_total',
      help: 'WebSub publish pings: sent (accepted by the hub), attempt-failed (one try failed), gave-up (a batch ran out of tries).',
      labelNames: ['outcome'] as const,
      registers,
    });
    for (const outcome of ['sent', 'attempt-failed', 'gave-up'] as const) this.websub.inc({ outcome }, 0);
    const health = (read: (catalog: LiveCatalog) => number) =>
      function (this: Gauge) {
        const catalog = sources.catalog();
        if (catalog) this.set(read(catalog));
        else this.reset();
      };
    new Gauge({ name: 'topic_feeds_documents', help: 'Documents served.', registers, collect: health((c) => c.health().documents) });
    new Gauge({ name: 'topic_feeds_topics', help: 'Topics served.', registers, collect: health((c) => c.health().topics) });
    new Gauge({ name: 'topic_feeds_problems', help: 'Content problems (skipped or repaired documents).', registers, collect: health((c) => c.health().problems) });
    new Gauge({
      name: 'topic_feeds_ready',
      help: '1 once the content is loaded and served, 0 while loading.',
      registers,
      collect() {
        this.set(sources.catalog() ? 1 : 0);
      },
    });
    new Gauge({
      name: 'topic_feeds_snapshot_age_seconds',
      help: 'Seconds since the snapshot being served was swapped in (start-up load, file change or subscriber refresh).',
      registers,
      collect() {
        const at = sources.snapshotAt();
        if (at === undefined) this.reset();
        else this.set((performance.now() - at) / 1000);
      },
    });
    new Gauge({
      name: 'topic_feeds_feed_subscribers',
      help: 'Subscribers aggregators report in their User-Agent, by feed path and aggregator (self-reported, forgeable; see docs/operations.md).',
      labelNames: ['feed', 'aggregator'] as const,
      registers,
      collect() {
        this.reset();
        for (const { feed, aggregator, count } of sources.subscribers.counts.entries()) this.set({ feed, aggregator }, count);
      },
    });
    new Gauge({
      name: 'topic_feeds_subscriber_entries',
      help: 'Stored (feed, aggregator, feed id) subscriber reports; bounded.',
      registers,
      collect() {
        this.set(sources.subscribers.counts.size);
      },
    });
  }

  /** The WebSub publisher's hook. */
  readonly websubOutcome = (outcome: WebSubOutcome): void => {
    this.websub.inc({ outcome });
  };

  /** The `/metrics` handler the app delegates to. */
  readonly handler = async (request: Request): Promise<Response> => {
    const headers: Record<string, string> = { ...BASE_HEADERS, 'Cache-Control': 'no-store', 'CDN-Cache-Control': 'no-store' };
    if (this.tokenDigest !== undefined && !this.authorized(request.headers.get('Authorization'))) {
      return new Response('A bearer token is required (METRICS_TOKEN).\n', {
        status: 401,
        headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8', 'WWW-Authenticate': 'Bearer realm="metrics"' },
      });
    }
    const body = await this.registry.metrics();
    return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers: { ...headers, 'Content-Type': this.registry.contentType } });
  };

  private authorized(header: string | null): boolean {
    const match = header === null ? null : /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
    if (!match || this.tokenDigest === undefined) return false;
    return timingSafeEqual(digest(match[1]!), this.tokenDigest);
  }
}

/** Fixed-length digests, so the comparison takes the same time whatever the length of the guess. */
function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
