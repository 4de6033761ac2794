import { describe, expect, it } from 'vitest';
import { ConfigError, parseServerConfig, parseSiteConfig } from '../../src/config/config.ts';
import { parseNodeRuntimeConfig, parseNodeServerConfig } from '../../src/config/node-settings.ts';

function problemsOf(parse: () => unknown): readonly string[] {
  try {
    parse();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('settings', () => {
  it('name every bad setting at once, site, server and Node settings together', () => {
    const env = {
      SITE_URL: 'ftp://example.org',
      FEED_LIMIT: '0',
      CACHE_MAX_AGE: 'soon',
      WEBSUB_HUB: 'javascript:alert(1)',
      PORT: '70000',
      WATCH: 'maybe',
      PARSE_THREADS: '-1',
      FAST_PATH: 'perhaps',
      WATCH_SETTLE_MS: '1e3',
      STARTUP_REPORT: '2',
      WARM_TOPICS: 'some',
    };
    const problems = problemsOf(() => parseNodeServerConfig(env));
    const named = problems.map((problem) => problem.split(' ')[0]);
    expect(named.sort()).toEqual(
      ['CACHE_MAX_AGE', 'FAST_PATH', 'FEED_LIMIT', 'PARSE_THREADS', 'PORT', 'SITE_URL', 'STARTUP_REPORT', 'WARM_TOPICS', 'WATCH', 'WATCH_SETTLE_MS', 'WEBSUB_HUB'].sort(),
    );
    for (const problem of problems) expect(problem).toMatch(/ \(got ".*"\)$/);
  });

  it('say what is wrong and what was given', () => {
    expect(problemsOf(() => parseSiteConfig({ FEED_LIMIT: '9999' }))).toEqual(['FEED_LIMIT must be a whole number from 1 to 500 (got "9999")']);
    expect(problemsOf(() => parseNodeRuntimeConfig({ FAST_PATH: 'nope' }))).toEqual(['FAST_PATH must be true or false (got "nope")']);
    for (const bad of ['-1', '1.5', '2000000', 'many']) {
      expect(problemsOf(() => parseNodeRuntimeConfig({ WARM_TOPICS: bad }))).toEqual([`WARM_TOPICS must be all or a whole number from 0 to 1000000 (got "${bad}")`]);
    }
  });

  it('have working defaults with an empty environment', () => {
    const { config, runtime } = parseNodeServerConfig({});
    expect(config).toMatchObject({ port: 3000, host: '127.0.0.1', contentDir: './content', watch: true });
    expect(config.site.siteUrl).toBe('http://localhost:3000');
    expect(runtime).toEqual({
      cacheDir: '.cache/topic-feeds',
      renderStoreMaxMb: 2048,
      parseThreads: undefined,
      fastPath: true,
      watchSettleMs: 20,
      report: false,
      stateDir: '.state/topic-feeds',
      shutdownGraceMs: 10_000,
      metricsToken: undefined,
      accessLog: 'off',
      subscribersRefreshMs: 300_000,
      warmTopics: 200,
    });
    const operations = parseNodeRuntimeConfig({ SHUTDOWN_GRACE_MS: '2500', METRICS_TOKEN: ' s3cret ', ACCESS_LOG: 'JSON', SUBSCRIBERS_REFRESH_MS: '60000' });
    expect(operations).toMatchObject({ shutdownGraceMs: 2500, metricsToken: 's3cret', accessLog: 'json', subscribersRefreshMs: 60_000 });
    expect(() => parseNodeRuntimeConfig({ SHUTDOWN_GRACE_MS: '-1', ACCESS_LOG: 'xml' })).toThrow(/SHUTDOWN_GRACE_MS[\s\S]*ACCESS_LOG|ACCESS_LOG[\s\S]*SHUTDOWN_GRACE_MS/);
    expect(parseNodeRuntimeConfig({ CACHE_DIR: 'off' }).cacheDir).toBeUndefined();
    expect(parseNodeRuntimeConfig({ WARM_TOPICS: '0' }).warmTopics).toBe(0);
    expect(parseNodeRuntimeConfig({ WARM_TOPICS: ' 25 ' }).warmTopics).toBe(25);
    expect(parseNodeRuntimeConfig({ WARM_TOPICS: 'ALL' }).warmTopics).toBe(Number.MAX_SAFE_INTEGER);
    expect(parseServerConfig({ PORT: '8080' }).site.siteUrl).toBe('http://localhost:8080');
  });
});
