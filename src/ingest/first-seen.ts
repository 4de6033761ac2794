/**
 * The first-seen ledger: for each item id, the instant it first appeared in
 * this publisher's feeds. That instant is the item's published time
 * (`pubDate`, Atom `published`, JSON Feed `date_published`), and it never
 * moves: an edit, a restart, a rebuild or a second instance reads it back.
 * Newsletter tools mail "items published since the last send", so an item
 * stamped earlier than it really appeared would never be mailed
 * (docs/item-dates.md).
 *
 * - A ledger that exists gives every id it does not know the clock's time
 *   ("now": the document arrived while the server ran, or between builds).
 * - A ledger that is new, missing or unreadable starts with a backfill: the
 *   documents of that first load keep their own day (content/published.ts),
 *   never "now", so a first import does not mail years of items.
 *
 * One SQLite file per content folder (keyed by a hash of its resolved path,
 * like the document cache), under STATE_DIR: `first-seen-<hash>.sqlite`.
 * Every batch of new ids is one transaction, committed (write-ahead log,
 * synchronous=FULL: the log is on disk at each commit, ~0.4 ms) before the
 * documents are served, so a crash or a SIGTERM loses nothing that was shown.
 * `close()` folds the log back into the one file (a build or a stopped
 * server leaves only `first-seen-<hash>.sqlite`); after a crash the
 * `-wal` file beside it holds the last commits and the next open replays it.
 * `INSERT OR IGNORE` followed by a read means two instances sharing a state
 * folder agree on the first writer's instant.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';

/** Bumped when the schema changes; a file of another version is set aside and backfilled. */
const FORMAT_VERSION = 1;
const BACKFILLED = 'backfilledAtMs';

export interface FirstSeenItem {
  readonly id: string;
  /** The item's own day (content/published.ts `backfillPublishedMs`): used only while the ledger is new. */
  readonly backfillMs: number;
}

/**
 * How the ledger opened. `loaded`: an existing ledger (unknown ids are new
 * items, dated now). `new`: none yet. `corrupt`: unreadable, set aside and
 * started again. `memory`: the state folder is not writable; the ledger lives
 * in memory for this process only. The last three backfill the first load.
 */
export type LedgerStatus = 'loaded' | 'new' | 'corrupt' | 'memory';

export interface FirstSeenOptions {
  /** STATE_DIR (relative to the working directory or absolute). */
  readonly stateDir: string;
  /** The content folder this ledger belongs to. */
  readonly contentDir: string;
  /** The clock, epoch ms; injected by tests and the newsletter simulation. */
  readonly now?: () => number;
  /** Where warnings go (default console.warn). */
  readonly warn?: (message: string) => void;
}

/** The ledger file of a content folder: a hash of its resolved path, so two sites never share one. */
export function firstSeenPath(stateDir: string, contentDir: string): string {
  const folder = createHash('sha1').update(resolve(contentDir)).digest('base64url').slice(0, 12);
  return join(resolve(stateDir), `first-seen-${folder}.sqlite`);
}

interface Statements {
  readonly insert: Database.Statement<[string, number, string, number], { published_ms: number }>;
  readonly select: Database.Statement<[string], { published_ms: number }>;
  readonly getMeta: Database.Statement<[string], { value: string }>;
  readonly setMeta: Database.Statement<[string, string], unknown>;
}

function openDatabase(path: string): { db: Database.Database; statements: Statements; known: Map<string, number>; initialized: boolean } {
  const db = new Database(path, { timeout: 5_000 });
  try {
    // WAL: a commit is one append and one fsync (a rollback journal costs ~7 ms of fsyncs per arrival).
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version !== 0 && version !== FORMAT_VERSION) throw new Error(`ledger format ${version}, expected ${FORMAT_VERSION}`);
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`quick_check: ${String(check)}`);
    db.exec(`
      CREATE TABLE IF NOT EXISTS first_seen (
        id TEXT PRIMARY KEY NOT NULL,
        published_ms INTEGER NOT NULL CHECK (typeof(published_ms) = 'integer'),
        how TEXT NOT NULL CHECK (how IN ('backfill', 'seen')),
        recorded_ms INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;
    `);
    if (version === 0) db.pragma(`user_version = ${FORMAT_VERSION}`);
    const statements: Statements = {
      insert: db.prepare('INSERT INTO first_seen (id, published_ms, how, recorded_ms) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING RETURNING published_ms'),
      select: db.prepare('SELECT published_ms FROM first_seen WHERE id = ?'),
      getMeta: db.prepare('SELECT value FROM meta WHERE key = ?'),
      setMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
    };
    // Two JSON arrays in one row: 50k row objects took twice as long at 50k documents.
    const columns = db.prepare<[], { ids: string; instants: string }>('SELECT json_group_array(id) AS ids, json_group_array(published_ms) AS instants FROM first_seen').get();
    const ids: unknown = JSON.parse(columns?.ids ?? '[]');
    const instants: unknown = JSON.parse(columns?.instants ?? '[]');
    if (!Array.isArray(ids) || !Array.isArray(instants) || ids.length !== instants.length) throw new Error('bad rows');
    const known = new Map<string, number>();
    for (let i = 0; i < ids.length; i += 1) {
      const id: unknown = ids[i];
      const publishedMs: unknown = instants[i];
      if (typeof id !== 'string' || !Number.isSafeInteger(publishedMs)) throw new Error(`bad row ${JSON.stringify([id, publishedMs])}`);
      known.set(id, publishedMs as number);
    }
    const initialized = statements.getMeta.get(BACKFILLED) !== undefined;
    return { db, statements, known, initialized };
  } catch (error) {
    db.close();
    throw error;
  }
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export class FirstSeenLedger {
  /** The ledger file; undefined for a ledger kept in memory. */
  readonly path: string | undefined;
  readonly status: LedgerStatus;
  private db: Database.Database | undefined;
  private statements: Statements | undefined;
  private readonly known: Map<string, number>;
  /** The first load has been recorded: unknown ids are new items from now on. */
  private initialized: boolean;
  private readonly now: () => number;
  private readonly warn: (message: string) => void;

  private constructor(
    path: string | undefined,
    status: LedgerStatus,
    opened: { db: Database.Database; statements: Statements; known: Map<string, number>; initialized: boolean } | undefined,
    now: () => number,
    warn: (message: string) => void,
  ) {
    this.path = path;
    this.status = status;
    this.db = opened?.db;
    this.statements = opened?.statements;
    this.known = opened?.known ?? new Map();
    this.initialized = opened?.initialized ?? false;
    this.now = now;
    this.warn = warn;
  }

  /**
   * Opens (or starts) the ledger of `contentDir` under `stateDir`. Never
   * throws: an unreadable file is set aside (`.corrupt-<time>`) and a new
   * ledger backfills; an unwritable folder gives a ledger in memory. Either
   * way a warning says so.
   */
  static open(options: FirstSeenOptions): FirstSeenLedger {
    const now = options.now ?? Date.now;
    const warn = options.warn ?? ((text: string) => console.warn(text));
    const path = firstSeenPath(options.stateDir, options.contentDir);
    const backfillNote = 'documents present now keep their own day (backfill), later arrivals are dated when they arrive';
    try {
      mkdirSync(resolve(options.stateDir), { recursive: true });
    } catch (error) {
      warn(`first-seen ledger: cannot create ${resolve(options.stateDir)} (${message(error)}); keeping it in memory: ${backfillNote}, until this process exits`);
      return new FirstSeenLedger(undefined, 'memory', undefined, now, warn);
    }
    const existed = existsSync(path);
    let status: LedgerStatus = 'loaded';
    let opened;
    try {
      opened = openDatabase(path);
    } catch (error) {
      const aside = `${path}.corrupt-${Date.now()}`;
      warn(`first-seen ledger ${path} is unreadable (${message(error)}); moved to ${aside} and started again: ${backfillNote}`);
      try {
        renameSync(path, aside);
        for (const suffix of ['-wal', '-shm', '-journal']) rmSync(`${path}${suffix}`, { force: true });
        opened = openDatabase(path);
        status = 'corrupt';
      } catch (again) {
        warn(`first-seen ledger: cannot start ${path} (${message(again)}); keeping it in memory: ${backfillNote}, until this process exits`);
        return new FirstSeenLedger(undefined, 'memory', undefined, now, warn);
      }
    }
    if (status === 'loaded' && !opened.initialized) {
      status = 'new';
      warn(`first-seen ledger ${path} is ${existed ? 'empty' : 'new'}: ${backfillNote}`);
    }
    return new FirstSeenLedger(path, status, opened, now, warn);
  }

  /** A ledger with no file (tests, simulations). It starts new: its first `assign` backfills. */
  static inMemory(now: () => number = Date.now): FirstSeenLedger {
    return new FirstSeenLedger(undefined, 'memory', undefined, now, () => {});
  }

  /** Ids recorded. */
  get size(): number {
    return this.known.size;
  }

  /** The recorded instant of an id, if any. */
  get(id: string): number | undefined {
    return this.known.get(id);
  }

  /**
   * The published instant of each item, in order. Ids the ledger knows keep
   * their instant; the others are recorded now, in one transaction that
   * commits before this returns: at their own day if this is the ledger's
   * first load, else at the clock's time. Call it for every load, even an
   * empty one, so the first load is recorded as done.
   */
  assign(items: readonly FirstSeenItem[]): number[] {
    const out = new Array<number>(items.length);
    const missing: number[] = [];
    items.forEach((item, i) => {
      const known = this.known.get(item.id);
      if (known === undefined) missing.push(i);
      else out[i] = known;
    });
    if (missing.length === 0 && this.initialized) return out;
    const nowMs = Math.floor(this.now());
    const firstLoad = !this.initialized;
    const chosen = (item: FirstSeenItem, backfill: boolean): number => (backfill ? Math.floor(item.backfillMs) : nowMs);

    const { db, statements } = this;
    if (db && statements) {
      try {
        db.transaction(() => {
          // Another instance may have recorded the first load (or these ids) since this one opened.
          const backfill = statements.getMeta.get(BACKFILLED) === undefined;
          for (const i of missing) {
            const item = items[i]!;
            const how = backfill ? 'backfill' : 'seen';
            const row = statements.insert.get(item.id, chosen(item, backfill), how, nowMs) ?? statements.select.get(item.id);
            if (row === undefined) throw new Error(`${item.id} was not recorded`);
            out[i] = row.published_ms;
          }
          if (backfill) statements.setMeta.run(BACKFILLED, String(nowMs));
        }).immediate();
        for (const i of missing) this.known.set(items[i]!.id, out[i]!);
        this.initialized = true;
        return out;
      } catch (error) {
        this.warn(`first-seen ledger ${this.path}: could not record ${missing.length} item(s) (${message(error)}); they are dated in memory until this process exits`);
      }
    }
    for (const i of missing) {
      const item = items[i]!;
      out[i] = chosen(item, firstLoad);
      this.known.set(item.id, out[i]!);
    }
    this.initialized = true;
    return out;
  }

  /**
   * Nothing is ever pending (every `assign` commits before it returns); this
   * folds the write-ahead log into the main file, so a copy of that one file
   * (a CI cache, a commit) has every instant.
   */
  flush(): void {
    try {
      this.db?.pragma('wal_checkpoint(TRUNCATE)');
    } catch (error) {
      this.warn(`first-seen ledger ${this.path}: checkpoint failed (${message(error)}); the -wal file beside it holds the last instants`);
    }
  }

  /**
   * Flushes and closes the file (the last connection removes the `-wal`
   * file); later calls keep working from memory (and are not recorded).
   * Safe to call twice.
   */
  close(): void {
    const db = this.db;
    if (!db) return;
    this.flush();
    this.db = undefined;
    this.statements = undefined;
    if (db.open) db.close();
  }
}
