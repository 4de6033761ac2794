/**
 * Published times newsletter tools can trust, from the outside: the real
 * server (src/node/main.ts) as a child process with its own STATE_DIR. Items
 * present at the first start keep their own day; an item added while it runs
 * is published when it arrived (between clock readings taken before and
 * after), and that instant survives an edit, a restart, a crash and a second
 * instance. Feeds are read back with real parsers. No assertion depends on
 * machine speed: only on before/after clock bounds.
 */
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSiteConfig } from '../../src/config/config.ts';
import { FirstSeenLedger } from '../../src/ingest/first-seen.ts';
import { LiveSite } from '../../src/node/live.ts';
import { parseWithFeedParser } from '../support/feed-parser.ts';
import { readAtom, readJsonFeed, readRss } from '../support/feed-extract.ts';
import type { RunningServer } from '../support/server-process.ts';
import { startServer, waitFor } from '../support/server-process.ts';
import { documentSource, goodFields } from '../support/source-text.ts';

/** `date: 2024-02-01` with a lastMod that day (backfill: lastMod) or a later day (backfill: date at 00:00). */
function docText(n: number, options: { title?: string; date?: string; lastMod?: string } = {}): string {
  const fields = goodFields(n, {
    slug: `dated-${n}`,
    title: options.title ?? `Dated document ${n}`,
    ...(options.date ? { date: options.date } : {}),
    lastMod: options.lastMod ?? `2024-02-01T08:00:00.${String(n).padStart(6, '0')}Z`,
  });
  return documentSource(fields, `<p>Body of ${n}.</p>`);
}

function writeAtomic(path: string, text: string): void {
  const temp = join(path, '..', `.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`);
  writeFileSync(temp, text);
  renameSync(temp, path);
}

const second = (ms: number): number => Math.floor(ms / 1000) * 1000;

interface Dates {
  /** From the RSS pubDate (second precision), read by a reader-like parser. */
  readonly rss: number;
  /** Atom published / updated and JSON Feed date_published, read strictly. */
  readonly atom: number;
  readonly atomUpdated: number;
  readonly json: number;
}

async function datesOf(server: RunningServer, title: string): Promise<Dates | undefined> {
  const [rss, atom, json] = await Promise.all(
    ['/rss.xml?limit=500', '/atom.xml?limit=500', '/feed.json?limit=500'].map(async (path) => {
      const res = await fetch(`${server.origin}${path}`);
      expect(res.status).toBe(200);
      return res.text();
    }),
  );
  const rssItem = parseWithFeedParser(rss!).items.find((item) => item.title === title);
  const strictRss = readRss(rss!).items.find((item) => item.title === title);
  const atomItem = readAtom(atom!).items.find((item) => item.title === title);
  const jsonItem = readJsonFeed(json!).items.find((item) => item.title === title);
  if (!rssItem || !strictRss || !atomItem || !jsonItem) return undefined;
  const rssMs = Date.parse(rssItem.published ?? '');
  expect(strictRss.publishedMs).toBe(rssMs);
  return { rss: rssMs, atom: atomItem.publishedMs, atomUpdated: atomItem.updatedMs!, json: jsonItem.publishedMs };
}

const until = <T>(what: string, check: () => Promise<T | undefined>): Promise<T> => waitFor(what, check, 20_000, 100);

describe('item published times on the real server', () => {
  let content: string;
  let stateDir: string;
  let server: RunningServer;
  const servers: RunningServer[] = [];
  let arrived: Dates;

  const start = async (): Promise<RunningServer> => {
    const started = await startServer({ contentDir: content, env: { STATE_DIR: stateDir } });
    servers.push(started);
    return started;
  };

  beforeAll(async () => {
    content = mkdtempSync(join(tmpdir(), 'topic-feeds-dates-content-'));
    stateDir = mkdtempSync(join(tmpdir(), 'topic-feeds-dates-state-'));
    writeFileSync(join(content, 'doc-1.md'), docText(1));
    writeFileSync(join(content, 'doc-2.md'), docText(2, { lastMod: '2024-03-05T09:30:00.000002Z' }));
    server = await start();
  }, 90_000);

  afterAll(async () => {
    for (const running of servers) await running.stop();
    rmSync(content, { recursive: true, force: true });
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('backfills the first start: each item keeps its own day, never the start time', async () => {
    const sameDay = (await datesOf(server, 'Dated document 1'))!;
    expect(new Date(sameDay.json).toISOString()).toBe('2024-02-01T08:00:00.000Z');
    expect(sameDay.rss).toBe(Date.parse('2024-02-01T08:00:00Z'));
    expect(sameDay.atom).toBe(sameDay.json);
    const laterEdit = (await datesOf(server, 'Dated document 2'))!;
    expect(new Date(laterEdit.json).toISOString()).toBe('2024-02-01T00:00:00.000Z');
    expect(laterEdit.rss).toBe(laterEdit.json);
    expect(server.output()).toMatch(/first-seen ledger .* is new/);
  });

  it('dates a document added while it runs when it arrived, not by its date', async () => {
    const before = Date.now();
    writeAtomic(join(content, 'doc-3.md'), docText(3, { date: '2021-01-13', lastMod: '2021-01-13T12:06:42.641959Z' }));
    arrived = await until('the added document', () => datesOf(server, 'Dated document 3'));
    const after = Date.now();
    expect(arrived.json).toBeGreaterThanOrEqual(before);
    expect(arrived.json).toBeLessThanOrEqual(after);
    expect(arrived.atom).toBe(arrived.json);
    expect(arrived.rss).toBe(second(arrived.json));
    expect(arrived.rss).toBeGreaterThanOrEqual(second(before));
    // Newest first by that instant: above the documents dated 2024.
    const feed = (await (await fetch(`${server.origin}/feed.json`)).json()) as { items: { title: string }[] };
    expect(feed.items[0]!.title).toBe('Dated document 3');
  });

  it('an edit (new title and lastMod) changes updated, never published', async () => {
    const oldUpdated = arrived.atomUpdated;
    writeAtomic(join(content, 'doc-3.md'), docText(3, { title: 'Dated document 3, edited', date: '2021-01-13', lastMod: '2021-01-14T07:00:00.000003Z' }));
    const edited = await until('the edit', () => datesOf(server, 'Dated document 3, edited'));
    expect(edited.json).toBe(arrived.json);
    expect(edited.rss).toBe(arrived.rss);
    expect(edited.atomUpdated).toBe(Date.parse('2021-01-14T07:00:00.000Z'));
    expect(edited.atomUpdated).not.toBe(oldUpdated);
  });

  it('a second instance on the same folder and state gives the same instants', async () => {
    const other = await start();
    try {
      expect((await datesOf(other, 'Dated document 3, edited'))!.json).toBe(arrived.json);
      expect((await datesOf(other, 'Dated document 1'))!.json).toBe(Date.parse('2024-02-01T08:00:00Z'));
      expect(other.output()).not.toMatch(/first-seen ledger .* is new/);
    } finally {
      await other.stop();
    }
  }, 90_000);

  it('a restart (SIGTERM) keeps every instant', async () => {
    await server.stop();
    server = await start();
    expect((await datesOf(server, 'Dated document 3, edited'))!.json).toBe(arrived.json);
    expect((await datesOf(server, 'Dated document 1'))!.json).toBe(Date.parse('2024-02-01T08:00:00Z'));
    expect((await datesOf(server, 'Dated document 2'))!.json).toBe(Date.parse('2024-02-01T00:00:00Z'));
  }, 90_000);

  it('a crash (SIGKILL) right after an item was served keeps its instant', async () => {
    const before = Date.now();
    writeAtomic(join(content, 'doc-4.md'), docText(4, { date: '2021-01-13' }));
    const shown = await until('document 4', () => datesOf(server, 'Dated document 4'));
    expect(shown.json).toBeGreaterThanOrEqual(before);
    server.child.kill('SIGKILL');
    await server.exited;
    server = await start();
    expect((await datesOf(server, 'Dated document 4'))!.json).toBe(shown.json);
    expect((await datesOf(server, 'Dated document 3, edited'))!.json).toBe(arrived.json);
  }, 90_000);
});

describe('LiveSite.apply with the ledger (in process, injected clock)', () => {
  it('dates an arrival at the clock, keeps it through edits and restarts', async () => {
    const site = parseSiteConfig({ SITE_URL: 'https://feeds.example.org', FEED_LIMIT: '5' });
    const content = mkdtempSync(join(tmpdir(), 'topic-feeds-dates-live-'));
    const stateDir = join(content, '..', `${content.split('/').pop()}-state`);
    let clock = Date.parse('2026-01-05T12:00:00.000Z');
    const open = () => FirstSeenLedger.open({ stateDir, contentDir: content, now: () => clock, warn: () => {} });
    try {
      writeFileSync(join(content, 'doc-1.md'), docText(1));
      const ledger = open();
      const { live } = await LiveSite.start({ site, contentDir: content, threads: 0, ledger });
      expect(live.catalog.index.all[0]!.publishedMs).toBe(Date.parse('2024-02-01T08:00:00Z'));

      clock += 3_600_000;
      writeFileSync(join(content, 'doc-2.md'), docText(2));
      live.apply([join(content, 'doc-2.md')]);
      expect(live.catalog.index.all.map((d) => [d.id, d.publishedMs])).toEqual([
        ['5002', clock],
        ['5001', Date.parse('2024-02-01T08:00:00Z')],
      ]);
      const arrivedAt = clock;

      clock += 3_600_000;
      writeFileSync(join(content, 'doc-2.md'), docText(2, { title: 'Edited', lastMod: '2026-01-05T14:00:00.000000Z' }));
      live.apply([join(content, 'doc-2.md')]);
      const edited = live.catalog.index.all[0]!;
      expect([edited.title, edited.publishedMs, edited.updatedMs]).toEqual(['Edited', arrivedAt, Date.parse('2026-01-05T14:00:00Z')]);
      live.close();
      ledger.close();

      clock += 86_400_000;
      const reopened = open();
      const restarted = (await LiveSite.start({ site, contentDir: content, threads: 0, ledger: reopened })).live;
      expect(restarted.catalog.index.all.find((d) => d.id === '5002')!.publishedMs).toBe(arrivedAt);
      restarted.close();
      reopened.close();
    } finally {
      rmSync(content, { recursive: true, force: true });
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
