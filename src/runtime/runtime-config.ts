/**
 * Settings only the Node runtime has (the Worker never parses, caches or
 * watches). Same rules as config.ts: every bad value is reported at once.
 */
import { ConfigError } from '../config/config.ts';
import type { EnvRecord } from '../config/config.ts';

export interface NodeRuntimeConfig {
  /** Parsed-document cache folder; undefined when CACHE_DIR is `off`. */
  readonly cacheDir: string | undefined;
  /** Parse threads at start-up; 0 or 1 parses on the main thread. Undefined: the cores, up to 4. */
  readonly parseThreads: number | undefined;
  /** Answer canonical GET/HEAD from rendered bytes before the router (FAST_PATH=false: Hono only, for comparison). */
  readonly fastPath: boolean;
  /** Quiet period before a file change is applied. */
  readonly watchSettleMs: number;
  /** Print start-up and update timings as JSON lines (the benchmark reads them). */
  readonly report: boolean;
}

export const DEFAULT_CACHE_DIR = '.cache/topic-feeds';

function flag(env: EnvRecord, name: string, fallback: boolean, problems: string[]): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  problems.push(`${name} must be true or false (got ${JSON.stringify(env[name])})`);
  return fallback;
}

function whole(env: EnvRecord, name: string, min: number, max: number, problems: string[]): number | undefined {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    problems.push(`${name} must be a whole number from ${min} to ${max} (got ${JSON.stringify(env[name])})`);
    return undefined;
  }
  return value;
}

export function parseNodeRuntimeConfig(env: EnvRecord): NodeRuntimeConfig {
  const problems: string[] = [];
  const cache = env.CACHE_DIR?.trim();
  const config: NodeRuntimeConfig = {
    cacheDir: cache === 'off' ? undefined : cache || DEFAULT_CACHE_DIR,
    parseThreads: whole(env, 'PARSE_THREADS', 0, 64, problems),
    fastPath: flag(env, 'FAST_PATH', true, problems),
    watchSettleMs: whole(env, 'WATCH_SETTLE_MS', 0, 10_000, problems) ?? 20,
    report: flag(env, 'STARTUP_REPORT', false, problems),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
