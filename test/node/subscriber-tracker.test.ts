import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_CACHED_AGENTS, SubscriberTracker, subscribersFile } from '../../src/node/subscriber-tracker.ts';

const FEEDLY = 'Feedly/1.0 (+http://www.feedly.com/fetcher.html; 42 subscribers; )';

describe('SubscriberTracker', () => {
  const dir = mkdtempSync(join(tmpdir(), 'topic-feeds-subscribers-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('counts the overall and per-topic feeds only, query ignored', () => {
    const tracker = new SubscriberTracker();
    tracker.observe('/topic/vaccines/rss.xml?limit=5', FEEDLY, 1);
    tracker.observe('/atom.xml', FEEDLY, 1);
    tracker.observe('/topics/a+b/rss.xml', FEEDLY, 1);
    tracker.observe('/topic/vaccines/archive/1/rss.xml', FEEDLY, 1);
    tracker.observe('/topic/vaccines/feed.json', 'Mozilla/5.0', 1);
    expect(tracker.counts.entries()).toEqual([
      { feed: '/atom.xml', aggregator: 'feedly', count: 42 },
      { feed: '/topic/vaccines/rss.xml', aggregator: 'feedly', count: 42 },
    ]);
    expect(tracker.totals(['vaccines', 'other'], 5)).toEqual({ byTopic: new Map([['vaccines', 42]]), asOfMs: 5 });
  });

  it('keeps at most MAX_CACHED_AGENTS parsed User-Agents', () => {
    const tracker = new SubscriberTracker();
    for (let i = 0; i < 3 * MAX_CACHED_AGENTS; i += 1) tracker.observe('/rss.xml', `Mozilla/5.0 (compatible; Fake${i}; ${i} subscribers)`, i);
    expect(tracker.cachedAgents).toBeLessThanOrEqual(MAX_CACHED_AGENTS);
    expect(tracker.counts.size).toBeLessThanOrEqual(8);
  });

  it('saves atomically only when changed, and loads what it saved', () => {
    const file = subscribersFile(dir, '/srv/content');
    expect(file).toMatch(/subscribers-[0-9a-f]{16}\.json$/);
    expect(subscribersFile(dir, '/srv/other')).not.toBe(file);
    const tracker = new SubscriberTracker();
    expect(tracker.save(file)).toBe(false);
    tracker.observe('/topic/vaccines/rss.xml', FEEDLY, 10);
    expect(tracker.save(file)).toBe(true);
    expect(tracker.save(file)).toBe(false);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    const warnings: string[] = [];
    const loaded = SubscriberTracker.load(file, (message) => warnings.push(message));
    expect(loaded.counts.total('/topic/vaccines/rss.xml')).toBe(42);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(tracker.counts.toJSON());
    expect(warnings).toEqual([]);
  });

  it('starts empty, with a warning, from a damaged file; silently from a missing one', () => {
    const file = join(dir, 'damaged.json');
    writeFileSync(file, '{"version":1,"feeds":[');
    const warnings: string[] = [];
    expect(SubscriberTracker.load(file, (message) => warnings.push(message)).counts.size).toBe(0);
    expect(warnings).toHaveLength(1);
    expect(SubscriberTracker.load(join(dir, 'missing.json'), (message) => warnings.push(message)).counts.size).toBe(0);
    expect(warnings).toHaveLength(1);
  });
});
