/**
 * The short soak: the same code as `npm run soak` (scripts/soak.ts), at a few
 * seconds, ~300 documents and 10 connections. It checks behaviour only
 * (statuses, ETag honesty, nothing lost): how much memory grows and whether a
 * 304 happens to be seen between rewrites depend on the machine's load, so
 * those bounds live in the full `npm run soak` (60 s, 100 connections, 3,000
 * documents, RSS growth < 10%).
 */
import { describe, expect, it } from 'vitest';
import { formatReport, runSoak } from '../../scripts/soak.ts';

describe('soak (short)', () => {
  it('answers every request with an expected status and keeps ETags honest while documents change', async () => {
    const lines: string[] = [];
    const report = await runSoak({
      docs: 300,
      duration: 5,
      warmup: 2,
      connections: 10,
      rewriteEveryMs: 300,
      maxRssGrowth: Number.POSITIVE_INFINITY,
      requireNotModified: false,
      log: (line) => lines.push(line),
    });
    const summary = formatReport(report);
    expect(report.failures, summary).toEqual([]);
    expect(report.errors + report.timeouts, summary).toBe(0);
    expect(report.unexpected, summary).toEqual([]);
    expect(report.etags.conflicts, summary).toEqual([]);
    expect(report.etags.checked, summary).toBeGreaterThan(0);
    expect(report.rewrites, summary).toBeGreaterThan(0);
    expect(report.reloads, summary).toBeGreaterThan(0);
    expect(report.final).toMatchObject({ documents: 300, problems: 0, serverAlive: true });
    // The answers that do not depend on timing were all seen.
    for (const status of ['200', '301', '400', '404']) expect(report.statusCounts[status] ?? 0, status).toBeGreaterThan(0);
  }, 180_000);
});
