/**
 * `npx tsx scripts/newsletter-day.ts [days] [seed]`: how many curated items a
 * daily 09:00 UTC newsletter send picks up, with items dated by the front
 * matter's `date` at 00:00 UTC (the old rule) or by when they first appeared
 * in the feed (the first-seen ledger, src/ingest/first-seen.ts).
 *
 * Newsletter tools (Mailchimp RSS campaigns, Buttondown, MailerLite,
 * FeedBlitz) send, at each send time, the items in the feed whose published
 * time is after the previous send. An item that is in the feed at a send but
 * was stamped before the previous send is never mailed.
 *
 * The simulation is seeded and uses an injected clock: a site with an
 * archive of older items starts its ledger (backfill), then for each day
 * items arrive at random times (weighted to working hours), most dated that
 * day, some the day before (curated from yesterday's news); some older items
 * are edited. The real ledger, in a temporary folder, assigns the instants.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DAY_MS, backfillPublishedMs } from '../src/content/published.ts';
import { FirstSeenLedger } from '../src/ingest/first-seen.ts';

const HOUR_MS = 3_600_000;
const SEND_HOUR = 9;

/** mulberry32: small, seeded, deterministic. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Item {
  readonly id: string;
  /** `date` at 00:00 UTC. */
  readonly dateMs: number;
  /** `lastMod`: the curation time. */
  readonly lastModMs: number;
  /** When the item appeared in the feed. */
  readonly arrivedMs: number;
}

interface Tally {
  mailed: number;
  missed: number;
  /** Items mailed at a later send than the first one after they arrived. */
  late: number;
  /** Archive items (there before the first import) mailed as if new. */
  flooded: number;
}

function main(): void {
  const days = Number(process.argv[2] ?? 7);
  const seed = Number(process.argv[3] ?? 20_250_310);
  const random = rng(seed);
  const start = Date.UTC(2025, 2, 10); // Monday 10 March 2025, 00:00 UTC
  const importAt = start - 16 * HOUR_MS; // the day before, 08:00: the site (and its ledger) goes live

  // The archive: 200 items from the previous 90 days, curated at working hours on their day or later.
  const archive: Item[] = [];
  for (let i = 0; i < 200; i += 1) {
    const dateMs = start - (2 + Math.floor(random() * 90)) * DAY_MS;
    const lastModMs = dateMs + (random() < 0.7 ? (7 + random() * 11) * HOUR_MS : (1 + Math.floor(random() * 20)) * DAY_MS + random() * DAY_MS);
    archive.push({ id: `archive-${i}`, dateMs, lastModMs, arrivedMs: importAt });
  }

  // Arrivals: 12-24 a day, at random times (two in three during 07:00-19:00), 1 in 4 dated the day before.
  const arrivals: Item[] = [];
  for (let day = 0; day < days; day += 1) {
    const dayStart = start + day * DAY_MS;
    const count = 12 + Math.floor(random() * 13);
    for (let i = 0; i < count; i += 1) {
      const hour = random() < 2 / 3 ? 7 + random() * 12 : random() * 24;
      const arrivedMs = Math.floor(dayStart + hour * HOUR_MS);
      const dateMs = random() < 0.25 ? dayStart - DAY_MS : dayStart;
      arrivals.push({ id: `day${day}-${i}`, dateMs, lastModMs: arrivedMs, arrivedMs });
    }
  }
  arrivals.sort((a, b) => a.arrivedMs - b.arrivedMs);

  // The ledger sees the archive at the import, then each arrival at its time; each edit of an archive item later.
  const stateDir = mkdtempSync(join(tmpdir(), 'newsletter-day-'));
  let clock = importAt;
  const ledger = FirstSeenLedger.open({ stateDir, contentDir: join(stateDir, 'content'), now: () => clock, warn: () => {} });
  const firstSeen = new Map<string, number>();
  const record = (items: readonly Item[]): void => {
    const instants = ledger.assign(items.map((item) => ({ id: item.id, backfillMs: backfillPublishedMs({ publishedMs: item.dateMs, updatedMs: item.lastModMs }) })));
    items.forEach((item, i) => firstSeen.set(item.id, instants[i]!));
  };
  record(archive);
  for (const item of arrivals) {
    clock = item.arrivedMs;
    record([item]);
  }
  // Edits of archive items during the week: a re-read of the ledger, which must not move them.
  for (let i = 0; i < 20; i += 1) {
    const item = archive[Math.floor(random() * archive.length)]!;
    clock = start + random() * days * DAY_MS;
    const before = firstSeen.get(item.id);
    record([item]);
    if (firstSeen.get(item.id) !== before) throw new Error(`ledger moved ${item.id}`);
  }
  ledger.close();
  rmSync(stateDir, { recursive: true, force: true });

  // Sends at 09:00 every day from the first day to the day after the last; the campaign starts at the import.
  const sends: number[] = [];
  for (let day = 0; day <= days; day += 1) sends.push(start + day * DAY_MS + SEND_HOUR * HOUR_MS);

  const rules: Record<string, (item: Item) => number> = {
    'old: date at 00:00 UTC': (item) => item.dateMs,
    'new: first seen (ledger)': (item) => firstSeen.get(item.id)!,
    'first seen, no backfill rule': (item) => (archive.includes(item) ? importAt : firstSeen.get(item.id)!),
  };
  const everything = [...archive, ...arrivals];
  const results = new Map<string, Tally>();
  for (const [name, published] of Object.entries(rules)) {
    const tally: Tally = { mailed: 0, missed: 0, late: 0, flooded: 0 };
    const mailed = new Set<string>();
    let lastSend = name.startsWith('first seen, no backfill') ? importAt - 1 : importAt;
    for (const send of sends) {
      for (const item of everything) {
        // In the feed at the send, and published after the previous send: the tools' rule.
        if (item.arrivedMs <= send && published(item) > lastSend && !mailed.has(item.id)) {
          mailed.add(item.id);
          if (item.id.startsWith('archive-')) tally.flooded += 1;
          else {
            tally.mailed += 1;
            if (send !== sends.find((s) => s >= item.arrivedMs)) tally.late += 1;
          }
        }
      }
      lastSend = send;
    }
    tally.missed = arrivals.filter((item) => !mailed.has(item.id)).length;
    results.set(name, tally);
  }

  console.log(`newsletter simulation: seed ${seed}, ${days} days, ${arrivals.length} items arrived, ${archive.length} archive items at the first import, send daily at ${SEND_HOUR}:00 UTC`);
  console.log('');
  console.log('| Published time | Arrivals mailed | Arrivals never mailed | Mailed a send late | Archive items mailed at import |');
  console.log('|---|---:|---:|---:|---:|');
  for (const [name, tally] of results) {
    const share = (n: number) => `${n} (${((100 * n) / arrivals.length).toFixed(0)}%)`;
    console.log(`| ${name} | ${share(tally.mailed)} | ${share(tally.missed)} | ${tally.late} | ${tally.flooded} |`);
  }
}

main();
