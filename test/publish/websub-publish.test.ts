import { afterEach, describe, expect, it } from 'vitest';
import { changedFeedUrls } from '../../src/publish/changes.ts';
import { LiveCatalog } from '../../src/publish/live-catalog.ts';
import { WebSubPublisher } from '../../src/publish/websub.ts';
import { startHub, stopHubs } from '../support/websub-hub-process.ts';
import { dailyDocuments, makeSite } from '../support/feature-app.ts';

afterEach(stopHubs);


async function received(hub: string): Promise<{ pings: { urls: string[] }[]; attempts: number }> {
  return (await (await fetch(`${hub}pings`)).json()) as { pings: { urls: string[] }[]; attempts: number };
}

const site = makeSite();
const catalogOf = (documents: ReturnType<typeof dailyDocuments>) => new LiveCatalog(site, { documents, problems: [] });

describe('changedFeedUrls', () => {
  it('lists exactly the feeds whose bytes change when one document changes', () => {
    const before = dailyDocuments(12);
    // Document 4 (index 3) is in cybersecurity and artificial-intelligence, not vaccines.
    const after = before.map((d, i) => (i === 3 ? { ...d, lastMod: '2024-06-01T00:00:00.000001Z', revision: 'edited' } : d));
    const expected = ['https://feeds.example.org/', 'https://feeds.example.org/topic/artificial-intelligence/', 'https://feeds.example.org/topic/cybersecurity/'].flatMap(
      (base) => ['atom.xml', 'feed.json', 'rss.xml'].map((file) => `${base}${file}`),
    );
    expect(changedFeedUrls(catalogOf(before), catalogOf(after))).toEqual(expected.sort());
  });

  it('is empty when nothing changed, and lists a topic that disappears', () => {
    expect(changedFeedUrls(catalogOf(dailyDocuments(12)), catalogOf(dailyDocuments(12)))).toEqual([]);
    const withoutVaccines = dailyDocuments(12).map((d) => ({ ...d, topics: d.topics.filter((t) => t.slug !== 'vaccines') }));
    const changed = changedFeedUrls(catalogOf(dailyDocuments(12)), catalogOf(withoutVaccines));
    expect(changed).toContain('https://feeds.example.org/topic/vaccines/rss.xml');
    expect(changed).not.toContain('https://feeds.example.org/topic/cybersecurity/rss.xml');
  });

  it('gives the same list from the changed documents\' topics alone (a live edit) as from every topic', () => {
    const before = dailyDocuments(30);
    const edits: [string, ReturnType<typeof dailyDocuments>][] = [
      ['an edit', before.map((d, i) => (i === 3 ? { ...d, lastMod: '2024-06-01T00:00:00.000001Z', revision: 'edited' } : d))],
      ['a topic move', before.map((d, i) => (i === 7 ? { ...d, topics: [before.flatMap((o) => o.topics).find((t) => !d.topics.some((own) => own.slug === t.slug))!] } : d))],
      ['a deletion', before.filter((_d, i) => i !== 12)],
      ['a topic that disappears', before.map((d) => ({ ...d, topics: d.topics.filter((t) => t.slug !== 'vaccines') }))],
    ];
    for (const [name, after] of edits) {
      const changedDocuments = [...before, ...after].filter((d) => {
        const other = (before.includes(d) ? after : before).find((o) => o.id === d.id);
        return other === undefined || JSON.stringify(other) !== JSON.stringify(d);
      });
      const topics = [...new Set(changedDocuments.flatMap((d) => d.topics.map((t) => t.slug)))];
      const full = changedFeedUrls(catalogOf(before), catalogOf(after));
      expect(full.length, name).toBeGreaterThan(0);
      expect(changedFeedUrls(catalogOf(before), catalogOf(after), topics), name).toEqual(full);
    }
  });

  it('ignores changes outside every feed window', () => {
    const before = dailyDocuments(60);
    // The oldest document is outside the 50-item windows of the overall and cybersecurity feeds.
    const after = before.map((d, i) => (i === 1 ? { ...d, revision: 'edited' } : d));
    expect(changedFeedUrls(catalogOf(before), catalogOf(after))).toEqual([]);
  });
});

describe('WebSubPublisher against a local hub process', () => {
  it('pings the hub with exactly the changed feed URLs', async () => {
    const hub = (await startHub()).url;
    const urls = ['https://feeds.example.org/rss.xml', 'https://feeds.example.org/topic/cybersecurity/atom.xml'];
    const publisher = new WebSubPublisher({ hub, log: () => {} });
    await publisher.publish(urls);
    expect((await received(hub)).pings).toEqual([{ urls, at: expect.any(Number) }]);
  });

  it('retries with backoff when the hub fails, without blocking the caller', async () => {
    const hub = (await startHub(['--fail', '2'])).url;
    const log: string[] = [];
    const publisher = new WebSubPublisher({ hub, log: (m) => log.push(m), baseDelayMs: 20 });
    let settled = false;
    const done = publisher.publish(['https://feeds.example.org/feed.json']).finally(() => (settled = true));
    // The caller gets a pending promise back at once; the retries run after it returns.
    await Promise.resolve();
    expect(settled).toBe(false);
    await done;
    const state = await received(hub);
    expect(state.attempts).toBe(3);
    expect(state.pings.map((p) => p.urls)).toEqual([['https://feeds.example.org/feed.json']]);
    expect(log.filter((line) => line.includes('503'))).toHaveLength(2);
  });

  it('gives up after the last attempt and logs it when the hub is down', async () => {
    const log: string[] = [];
    const publisher = new WebSubPublisher({ hub: 'http://127.0.0.1:9/', log: (m) => log.push(m), attempts: 2, baseDelayMs: 5, timeoutMs: 500 });
    await publisher.publish(['https://feeds.example.org/rss.xml']);
    expect(log.at(-1)).toContain('giving up');
  });

  it('splits many URLs into batches', async () => {
    const hub = (await startHub()).url;
    const urls = Array.from({ length: 7 }, (_, i) => `https://feeds.example.org/topic/t${i}/rss.xml`);
    await new WebSubPublisher({ hub, log: () => {}, batchSize: 3 }).publish(urls);
    expect((await received(hub)).pings.map((p) => p.urls.length)).toEqual([3, 3, 1]);
  });
});
