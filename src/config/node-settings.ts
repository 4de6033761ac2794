/**
 * Settings only the Node runtime has (the Worker never parses, caches or
 * watches). Read with the same EnvReader as the site settings, so one
 * error names every bad setting of both at once.
 */
import { EnvReader, readServer } from './config.ts';
import type { EnvRecord, ServerConfig } from './config.ts';

export interface NodeRuntimeConfig {
  /** Parsed-document cache folder; undefined when CACHE_DIR is `off`. */
  readonly cacheDir: string | undefined;
  /** Upper bound of the render store (rendered and compressed bytes kept across restarts, under CACHE_DIR); 0 turns it off. */
  readonly renderStoreMaxMb: number;
  /** Parse threads at start-up; 0 or 1 parses on the main thread. Undefined: the cores, up to 4. */
  readonly parseThreads: number | undefined;
  /** Answer canonical GET/HEAD from rendered bytes before the router (FAST_PATH=false: Hono only, for comparison). */
  readonly fastPath: boolean;
  /** Quiet period before a file change is applied. */
  readonly watchSettleMs: number;
  /** Print start-up and update timings as JSON lines (the benchmark reads them). */
  readonly report: boolean;
  /** Folder for state that must survive a restart (STATE_DIR). */
  readonly stateDir: string;
  /** SIGTERM/SIGINT: how long responses in flight may take to finish before connections are cut. */
  readonly shutdownGraceMs: number;
  /** Bearer token `/metrics` requires (401 without it); undefined: open. */
  readonly metricsToken: string | undefined;
  /** `json`: one JSON line per request on stdout; `off` (default): none. */
  readonly accessLog: 'off' | 'json';
  /** How often the subscriber totals shown on the index and in topics.json are refreshed (and saved). */
  readonly subscribersRefreshMs: number;
  /**
   * Topics whose page and feeds a start renders ahead (WARM_TOPICS), chosen by
   * demand (src/node/warm-policy.ts); the rest render on first request.
   * Site-wide routes are always rendered ahead.
   */
  readonly warmTopics: number;
}

export const DEFAULT_CACHE_DIR = '.cache/topic-feeds';
/**
 * Default warm-up budget: the index page's own threshold (it lists every
 * topic up to 200), so a small taxonomy is warmed whole, as it always was.
 */
export const DEFAULT_WARM_TOPICS = 200;
/** Largest WARM_TOPICS; `all` means every topic. */
const MAX_WARM_TOPICS = 1_000_000;

function readWarmTopics(reader: EnvReader): number {
  const raw = reader.text('WARM_TOPICS', '').trim();
  if (raw === '') return DEFAULT_WARM_TOPICS;
  if (raw.toLowerCase() === 'all') return Number.MAX_SAFE_INTEGER;
  if (!/^\d+$/.test(raw) || Number(raw) > MAX_WARM_TOPICS) {
    reader.problems.push(`WARM_TOPICS must be all or a whole number from 0 to ${MAX_WARM_TOPICS} (got ${JSON.stringify(raw)})`);
    return DEFAULT_WARM_TOPICS;
  }
  return Number(raw);
}
/** State that must survive a restart (subscriber counts, the first-seen ledger). */
export const DEFAULT_STATE_DIR = '.state/topic-feeds';

function readOperations(reader: EnvReader): Pick<NodeRuntimeConfig, 'shutdownGraceMs' | 'metricsToken' | 'accessLog' | 'subscribersRefreshMs'> {
  const accessLog = reader.text('ACCESS_LOG', 'off').toLowerCase();
  if (accessLog !== 'off' && accessLog !== 'json') reader.problems.push(`ACCESS_LOG must be off or json (got ${JSON.stringify(accessLog)})`);
  const token = reader.text('METRICS_TOKEN', '');
  return {
    shutdownGraceMs: reader.integer('SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    metricsToken: token === '' ? undefined : token,
    accessLog: accessLog === 'json' ? 'json' : 'off',
    subscribersRefreshMs: reader.integer('SUBSCRIBERS_REFRESH_MS', 300_000, 100, 86_400_000),
  };
}

function readNodeRuntime(reader: EnvReader): NodeRuntimeConfig {
  const cache = reader.text('CACHE_DIR', DEFAULT_CACHE_DIR);
  return {
    cacheDir: cache === 'off' ? undefined : cache,
    renderStoreMaxMb: reader.integer('RENDER_STORE_MAX_MB', 2048, 0, 1_048_576),
    parseThreads: reader.optionalInteger('PARSE_THREADS', 0, 64),
    fastPath: reader.boolean('FAST_PATH', true),
    watchSettleMs: reader.integer('WATCH_SETTLE_MS', 20, 0, 10_000),
    report: reader.boolean('STARTUP_REPORT', false),
    stateDir: reader.text('STATE_DIR', DEFAULT_STATE_DIR),
    warmTopics: readWarmTopics(reader),
    ...readOperations(reader),
  };
}

/** The Node-only settings (export and build commands need no server settings). */
export function parseNodeRuntimeConfig(env: EnvRecord): NodeRuntimeConfig {
  const reader = new EnvReader(env);
  const runtime = readNodeRuntime(reader);
  reader.failIfAny();
  return runtime;
}

/** Everything `npm start` reads: server, site and Node settings, every problem reported at once. */
export function parseNodeServerConfig(env: EnvRecord): { readonly config: ServerConfig; readonly runtime: NodeRuntimeConfig } {
  const reader = new EnvReader(env);
  const config = readServer(reader);
  const runtime = readNodeRuntime(reader);
  reader.failIfAny();
  return { config, runtime };
}
