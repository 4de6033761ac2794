/**
 * Soak test: the real Node server on a generated corpus, under autocannon
 * load, while documents are rewritten under its content folder.
 *
 *   npm run soak -- [--duration 60] [--connections 100] [--docs 3000] [--warmup 10]
 *                   [--rewrite-ms 500] [--seed 42]
 *
 * The load is a fixed mix of routes, each with the statuses it may answer:
 * feeds, pages and topics.json (200), conditional GETs with validators
 * fetched first (304, or 200 once a rewrite changed the feed), HEAD (200),
 * unknown topics and paths (404), bad ?limit (400) and mixed-case slugs
 * (301). It fails (exit 1) on any connection error or timeout, any status
 * outside a route's set, any ETag seen with two different bodies, RSS growth
 * of 10% or more after warm-up, or a final state that lost documents.
 *
 * `runSoak(options)` runs the same code for the short vitest version.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { RunningServer } from '../test/support/server-process.ts';
import { residentBytes, sleep, startServer } from '../test/support/server-process.ts';
import { generateCorpus, generateDocumentText } from './generate-corpus.ts';

export interface SoakOptions {
  /** Seconds of measured load (after warm-up). */
  readonly duration: number;
  readonly connections: number;
  readonly docs: number;
  /** Seconds of load before the RSS baseline is taken. */
  readonly warmup: number;
  /** A random document is rewritten (new lastMod) this often. */
  readonly rewriteEveryMs: number;
  readonly seed: number;
  /** Largest accepted RSS growth after warm-up, as a fraction (0.1 = 10%). */
  readonly maxRssGrowth: number;
  /** Fail when no conditional request got a 304: true for the full soak; a few seconds under rewrites may see none. */
  readonly requireNotModified: boolean;
  readonly log?: (line: string) => void;
}

export const DEFAULT_SOAK: SoakOptions = {
  duration: 60,
  connections: 100,
  docs: 3000,
  warmup: 10,
  rewriteEveryMs: 500,
  seed: 42,
  maxRssGrowth: 0.1,
  requireNotModified: true,
};

export interface RouteStats {
  readonly route: string;
  readonly expected: readonly number[];
  readonly statuses: Record<string, number>;
}

export interface SoakReport {
  readonly options: SoakOptions;
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly errors: number;
  readonly timeouts: number;
  readonly statusCounts: Record<string, number>;
  readonly unexpected: readonly { readonly route: string; readonly status: number; readonly count: number }[];
  readonly routes: readonly RouteStats[];
  readonly etags: { readonly checked: number; readonly distinct: number; readonly unverifiable: number; readonly conflicts: readonly string[] };
  readonly rewrites: number;
  readonly reloads: number;
  readonly rss: { readonly baselineMb: number; readonly finalMb: number; readonly maxMb: number; readonly growth: number; readonly samples: number };
  readonly final: { readonly documents: number; readonly problems: number; readonly serverAlive: boolean };
  readonly failures: readonly string[];
}

// --- autocannon (untyped CommonJS) --------------------------------------------

interface CannonRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  onResponse?: (status: number, body: string, context: unknown, headers: Record<string, string | string[]>) => void;
}
interface CannonClient {
  parser: Record<string | number, unknown>;
  pipelinedRequests: { peek(): { req?: { method?: string } } | undefined };
}
interface CannonResult {
  requests: { total: number; average: number };
  latency: { p50: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  statusCodeStats: Record<string, { count: number }>;
}
interface CannonOptions {
  url: string;
  connections: number;
  duration: number;
  timeout: number;
  requests: CannonRequest[];
  setupClient: (client: CannonClient) => void;
}
type Cannon = (options: CannonOptions, done: (error: Error | null, result: CannonResult) => void) => unknown;

const require = createRequire(import.meta.url);
const autocannon = require('autocannon') as Cannon;
// autocannon's response parser (http-parser-js) is never told a response
// answers a HEAD, so it waits for a body that never comes. Its own copy of the
// parser gives the key of the headers-complete callback, which we wrap to skip
// the body of HEAD responses.
const parserModule = require(require.resolve('http-parser-js', { paths: [require.resolve('autocannon')] })) as {
  HTTPParser: { kOnHeadersComplete: number };
};
const HEADERS_COMPLETE = parserModule.HTTPParser.kOnHeadersComplete;

function skipHeadBodies(client: CannonClient): void {
  let handler: ((info: unknown) => unknown) | undefined;
  Object.defineProperty(client.parser, HEADERS_COMPLETE, {
    configurable: true,
    get: () => (info: unknown) => {
      const result = handler?.(info);
      return client.pipelinedRequests.peek()?.req?.method === 'HEAD' ? true : result;
    },
    set: (fn: (info: unknown) => unknown) => {
      handler = fn;
    },
  });
}

function cannon(options: CannonOptions): Promise<CannonResult> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

// --- the route mix -----------------------------------------------------------

interface Route {
  readonly name: string;
  readonly method: 'GET' | 'HEAD';
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly expected: readonly number[];
}

interface TopicsJson {
  readonly topics: readonly { readonly slug: string; readonly count: number }[];
}

async function buildRoutes(origin: string): Promise<Route[]> {
  const topics = ((await (await fetch(`${origin}/topics.json`)).json()) as TopicsJson).topics;
  const busiest = [...topics].sort((a, b) => b.count - a.count).slice(0, 12).map((t) => t.slug);
  const quiet = [...topics].sort((a, b) => a.count - b.count).slice(0, 4).map((t) => t.slug);
  const slugs = [...busiest, ...quiet];
  const routes: Route[] = [];
  const ok = (name: string, path: string): void => {
    routes.push({ name, method: 'GET', path, expected: [200] });
  };
  for (const file of ['rss.xml', 'atom.xml', 'feed.json']) ok(`overall ${file}`, `/${file}`);
  for (const [i, slug] of slugs.entries()) ok(`topic ${i} feed`, `/topic/${slug}/${['rss.xml', 'atom.xml', 'feed.json'][i % 3]}`);
  ok('home page', '/');
  ok('topics.json', '/topics.json');
  ok('topic page', `/topic/${busiest[0]}/`);
  ok('healthz', '/healthz');
  ok('feed with limit', '/feed.json?limit=120');
  // Conditional requests with real validators, fetched first. A rewrite may change the feed: 200 then.
  for (const path of ['/rss.xml', `/topic/${busiest[0]}/atom.xml`, `/topic/${quiet[0]}/feed.json`, '/topics.json']) {
    const res = await fetch(`${origin}${path}`);
    const etag = res.headers.get('etag');
    const lastModified = res.headers.get('last-modified');
    await res.arrayBuffer();
    if (etag) routes.push({ name: `If-None-Match ${path}`, method: 'GET', path, headers: { 'If-None-Match': etag }, expected: [304, 200] });
    if (lastModified) routes.push({ name: `If-Modified-Since ${path}`, method: 'GET', path, headers: { 'If-Modified-Since': lastModified }, expected: [304, 200] });
  }
  routes.push({ name: 'HEAD overall rss', method: 'HEAD', path: '/rss.xml', expected: [200] });
  routes.push({ name: 'HEAD topic feed', method: 'HEAD', path: `/topic/${busiest[1] ?? busiest[0]}/feed.json`, expected: [200] });
  routes.push({ name: 'unknown topic', method: 'GET', path: '/topic/no-such-topic/rss.xml', expected: [404] });
  routes.push({ name: 'unknown path', method: 'GET', path: '/wp-login.php', expected: [404] });
  routes.push({ name: 'bad limit', method: 'GET', path: '/rss.xml?limit=0', expected: [400] });
  routes.push({ name: 'limit not a number', method: 'GET', path: '/atom.xml?limit=1e9', expected: [400] });
  routes.push({ name: 'mixed-case slug', method: 'GET', path: `/topic/${(busiest[0] ?? 'x').toUpperCase()}/rss.xml`, expected: [301] });
  return routes;
}

// --- the run -----------------------------------------------------------------

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : (sorted[Math.floor((sorted.length - 1) / 2)] ?? 0);
};
const mb = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;

export async function runSoak(partial: Partial<SoakOptions> = {}): Promise<SoakReport> {
  const options: SoakOptions = { ...DEFAULT_SOAK, ...partial };
  const log = options.log ?? ((line: string) => console.log(line));
  const root = mkdtempSync(join(tmpdir(), 'topic-feeds-soak-'));
  const contentDir = join(root, 'content');
  let server: RunningServer | undefined;
  let rewriter: ReturnType<typeof setInterval> | undefined;
  let sampler: ReturnType<typeof setInterval> | undefined;
  try {
    log(`generating ${options.docs} documents (seed ${options.seed}) in ${contentDir}`);
    await generateCorpus({ count: options.docs, outDir: contentDir, seed: options.seed });
    server = await startServer({ contentDir, env: { WATCH: 'true' }, startTimeoutMs: 120_000 });
    const origin = server.origin;
    log(`server pid ${server.pid} on ${origin}`);
    const routes = await buildRoutes(origin);

    // Every route's status tally, and (path, ETag) -> body hash for every 200 body.
    const statuses = routes.map(() => new Map<number, number>());
    const bodies = new Map<string, string>();
    const conflicts: string[] = [];
    let checked = 0;
    let unverifiable = 0;
    const requests: CannonRequest[] = routes.map((route, i) => ({
      method: route.method,
      path: route.path,
      ...(route.headers && { headers: route.headers }),
      onResponse: (status, body, _context, headers) => {
        const tally = statuses[i];
        tally?.set(status, (tally.get(status) ?? 0) + 1);
        if (status !== 200 || route.method !== 'GET') return;
        const etagHeader = headers['etag'] ?? headers['ETag'];
        const etag = Array.isArray(etagHeader) ? etagHeader.join(',') : etagHeader;
        if (!etag) return;
        // autocannon decodes each network chunk on its own, so a split UTF-8
        // sequence turns into U+FFFD; our output never contains U+FFFD.
        if (body.includes('\uFFFD')) {
          unverifiable += 1;
          return;
        }
        checked += 1;
        const key = `${route.path} ${etag}`;
        const hash = createHash('sha1').update(body).digest('hex');
        const seen = bodies.get(key);
        if (seen === undefined) bodies.set(key, hash);
        else if (seen !== hash && conflicts.length < 20 && !conflicts.includes(key)) conflicts.push(key);
      },
    }));

    // Rewrites: a random document gets a new lastMod, written in place as most tools do.
    let rewrites = 0;
    let next = options.seed;
    const random = (): number => {
      next = (Math.imul(next, 1_103_515_245) + 12_345) >>> 0;
      return next / 2 ** 32;
    };
    const startedAt = Date.UTC(2027, 0, 1);
    rewriter = setInterval(() => {
      const index = Math.floor(random() * options.docs);
      const doc = generateDocumentText(index, { seed: options.seed });
      const lastMod = new Date(startedAt + rewrites * 1000).toISOString().replace('Z', `${String(rewrites % 1000).padStart(3, '0')}Z`);
      const text = doc.text.replace(/^lastMod: .*$/m, `lastMod: '${lastMod}'`);
      writeFileSync(join(contentDir, doc.relativePath), text);
      rewrites += 1;
    }, options.rewriteEveryMs);

    const pid = server.pid;
    const samples: { readonly at: number; readonly rss: number }[] = [];
    let phase: 'warmup' | 'main' = 'warmup';
    sampler = setInterval(() => {
      const rss = residentBytes(pid);
      if (rss !== undefined && phase === 'main') samples.push({ at: Date.now(), rss });
    }, 500);

    const base = { url: origin, connections: options.connections, timeout: 10, requests, setupClient: skipHeadBodies };
    log(`warm-up: ${options.warmup} s at ${options.connections} connections over ${routes.length} routes`);
    const warm = await cannon({ ...base, duration: options.warmup });
    phase = 'main';
    log(`load: ${options.duration} s at ${options.connections} connections`);
    const result = await cannon({ ...base, duration: options.duration });
    clearInterval(rewriter);
    rewriter = undefined;
    clearInterval(sampler);
    sampler = undefined;

    // Let the last rewrite settle, then check nothing was lost. A busy machine
    // may take longer to apply the first reload: wait for it, with a deadline.
    await sleep(1_500);
    for (let waited = 0; rewrites > 0 && waited < 30_000 && server.lines(/^(reloaded|updated)\b/).length === 0; waited += 250) await sleep(250);
    const serverAlive = server.child.exitCode === null && server.child.signalCode === null;
    let final = { documents: -1, problems: -1 };
    if (serverAlive) final = (await (await fetch(`${origin}/healthz`)).json()) as { documents: number; problems: number };

    const window = Math.max(3, Math.floor(samples.length / 10));
    const baseline = median(samples.slice(0, window).map((s) => s.rss));
    const finalRss = median(samples.slice(-window).map((s) => s.rss));
    const growth = baseline === 0 ? 0 : finalRss / baseline - 1;

    const statusCounts: Record<string, number> = {};
    for (const [code, { count }] of Object.entries(result.statusCodeStats)) statusCounts[code] = count;
    const unexpected: { route: string; status: number; count: number }[] = [];
    const routeStats: RouteStats[] = routes.map((route, i) => {
      const tally = statuses[i] ?? new Map<number, number>();
      for (const [status, count] of tally) if (!route.expected.includes(status)) unexpected.push({ route: route.name, status, count });
      return { route: route.name, expected: route.expected, statuses: Object.fromEntries([...tally].map(([s, c]) => [String(s), c])) };
    });
    const reloads = server.lines(/^(reloaded|updated)\b/).length;

    const failures: string[] = [];
    if (warm.errors + result.errors > 0) failures.push(`${warm.errors + result.errors} connection errors`);
    if (warm.timeouts + result.timeouts > 0) failures.push(`${warm.timeouts + result.timeouts} timeouts`);
    for (const u of unexpected) failures.push(`${u.count} unexpected ${u.status} on ${u.route}`);
    if (conflicts.length > 0) failures.push(`${conflicts.length} ETag(s) seen with two different bodies: ${conflicts.slice(0, 3).join('; ')}`);
    if (checked === 0) failures.push('no 200 body was checked against its ETag');
    if (growth >= options.maxRssGrowth) failures.push(`RSS grew ${(growth * 100).toFixed(1)}% after warm-up (limit ${options.maxRssGrowth * 100}%)`);
    if (!serverAlive) failures.push('the server exited during the run');
    if (final.documents !== options.docs) failures.push(`${final.documents} documents served at the end, expected ${options.docs}`);
    if (final.problems !== 0) failures.push(`${final.problems} content problems at the end`);
    if (rewrites > 0 && reloads === 0) failures.push(`${rewrites} rewrites but the server never reloaded`);
    const notModified = routeStats.filter((r) => r.expected.includes(304)).reduce((sum, r) => sum + (r.statuses['304'] ?? 0), 0);
    if (notModified === 0 && options.requireNotModified) failures.push('no conditional request was answered 304');

    return {
      options,
      requests: result.requests.total,
      requestsPerSecond: Math.round(result.requests.average),
      latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
      errors: result.errors,
      timeouts: result.timeouts,
      statusCounts,
      unexpected,
      routes: routeStats,
      etags: { checked, distinct: bodies.size, unverifiable, conflicts },
      rewrites,
      reloads,
      rss: { baselineMb: mb(baseline), finalMb: mb(finalRss), maxMb: mb(Math.max(0, ...samples.map((s) => s.rss))), growth, samples: samples.length },
      final: { ...final, serverAlive },
      failures,
    };
  } finally {
    if (rewriter) clearInterval(rewriter);
    if (sampler) clearInterval(sampler);
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

export function formatReport(report: SoakReport): string {
  const o = report.options;
  const lines = [
    `soak: ${o.docs} documents, ${o.connections} connections, ${o.warmup} s warm-up + ${o.duration} s load, a rewrite every ${o.rewriteEveryMs} ms`,
    `requests:   ${report.requests} (${report.requestsPerSecond}/s), latency p50 ${report.latencyMs.p50} ms, p99 ${report.latencyMs.p99} ms, max ${report.latencyMs.max} ms`,
    `errors:     ${report.errors} connection errors, ${report.timeouts} timeouts`,
    `statuses:   ${Object.entries(report.statusCounts).map(([code, count]) => `${code}: ${count}`).join(', ')}`,
    `unexpected: ${report.unexpected.length === 0 ? 'none' : report.unexpected.map((u) => `${u.count}x ${u.status} on ${u.route}`).join('; ')}`,
    `etags:      ${report.etags.checked} bodies checked, ${report.etags.distinct} distinct (path, ETag), ${report.etags.unverifiable} unverifiable, ${report.etags.conflicts.length} conflicts`,
    `content:    ${report.rewrites} rewrites, ${report.reloads} reloads; at the end ${report.final.documents} documents, ${report.final.problems} problems`,
    `memory:     RSS ${report.rss.baselineMb} MB after warm-up -> ${report.rss.finalMb} MB at the end (${(report.rss.growth * 100).toFixed(1)}%), max ${report.rss.maxMb} MB, ${report.rss.samples} samples`,
    report.failures.length === 0 ? 'result:     PASS' : `result:     FAIL\n  - ${report.failures.join('\n  - ')}`,
  ];
  return lines.join('\n');
}

function cli(): void {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string' },
      connections: { type: 'string' },
      docs: { type: 'string' },
      warmup: { type: 'string' },
      'rewrite-ms': { type: 'string' },
      seed: { type: 'string' },
    },
  });
  const number = (raw: string | undefined, name: string, fallback: number): number => {
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number (got ${JSON.stringify(raw)})`);
    return value;
  };
  const options: Partial<SoakOptions> = {
    duration: number(values.duration, 'duration', DEFAULT_SOAK.duration),
    connections: Math.round(number(values.connections, 'connections', DEFAULT_SOAK.connections)),
    docs: Math.round(number(values.docs, 'docs', DEFAULT_SOAK.docs)),
    warmup: number(values.warmup, 'warmup', DEFAULT_SOAK.warmup),
    rewriteEveryMs: number(values['rewrite-ms'], 'rewrite-ms', DEFAULT_SOAK.rewriteEveryMs),
    seed: Math.round(number(values.seed, 'seed', DEFAULT_SOAK.seed)),
  };
  runSoak(options).then(
    (report) => {
      console.log(formatReport(report));
      process.exitCode = report.failures.length === 0 ? 0 : 1;
    },
    (error: unknown) => {
      console.error('soak could not run:', error);
      process.exitCode = 1;
    },
  );
}

// Run only as a script, not when imported by the vitest version.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) cli();
