/**
 * One load run for bench.ts, in its own process so it can be pinned to the
 * other core (`taskset -c 1`). Prints one JSON line with the results.
 *
 *   node --import tsx scripts/bench-load.ts '{"url":…,"headers":{…},"duration":10,"connections":50}'
 */
import autocannon from 'autocannon';

export interface LoadSpec {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly duration: number;
  readonly connections: number;
  /** Seconds of unmeasured load first, so the JIT and the caches settle. */
  readonly warmup: number;
}

export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly statuses: Record<string, number>;
  readonly errors: number;
  readonly bytesPerResponse: number;
}

const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;

function run(duration: number): Promise<autocannon.Result> {
  return autocannon({ url: spec.url, headers: { ...spec.headers }, connections: spec.connections, duration });
}

if (spec.warmup > 0) await run(spec.warmup);
const result = await run(spec.duration);
const statuses: Record<string, number> = {};
for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = (stats as { count: number }).count;
const output: LoadResult = {
  requestsPerSecond: result.requests.average,
  p50: result.latency.p50,
  p99: result.latency.p99,
  statuses,
  errors: result.errors + result.timeouts,
  bytesPerResponse: result.requests.total > 0 ? result.throughput.total / result.requests.total : 0,
};
console.log(JSON.stringify(output));
