/**
 * The Node side of subscriber counts: reads the User-Agent of every feed
 * request (parsed once per distinct string, in a small bounded map, because
 * aggregators reuse theirs), keeps the latest report per feed path in a
 * bounded SubscriberCounts (src/publish/subscribers.ts), and persists it in
 * STATE_DIR as `subscribers-<hash of the content folder>.json`, written
 * atomically (temp file, fsync, rename).
 */
import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { FEED_FORMATS } from '../topics/formats.ts';
import { feedPath, matchRoute } from '../publish/routes.ts';
import type { SubscriberAgent, SubscriberCountsOptions, SubscriberTotals } from '../publish/subscribers.ts';
import { SubscriberCounts, parseSubscriberAgent, topicSubscriberTotals } from '../publish/subscribers.ts';

/** Distinct User-Agent strings whose parse result is kept; the map starts over when full. */
export const MAX_CACHED_AGENTS = 1024;

/** The state file of one content folder: two servers of two folders never share counts. */
export function subscribersFile(stateDir: string, contentDir: string): string {
  const hash = createHash('sha256').update(resolve(contentDir)).digest('hex').slice(0, 16);
  return join(stateDir, `subscribers-${hash}.json`);
}

/** Writes `text` to `file` so a reader (or a crash) sees the old file or the new one, never half of one. */
export function writeFileAtomic(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w', 0o644);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

const topicFeedPaths = (slug: string): string[] => FEED_FORMATS.map((format) => feedPath({ kind: 'topic', slug }, format));

export class SubscriberTracker {
  private readonly agents = new Map<string, SubscriberAgent | null>();
  private dirty = false;

  constructor(readonly counts: SubscriberCounts = new SubscriberCounts()) {}

  /** The counts saved in `file`; an empty store when there is none or it is unreadable (said through `warn`). */
  static load(file: string, warn: (message: string) => void, options?: SubscriberCountsOptions): SubscriberTracker {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') warn(`could not read ${file}: ${(error as Error).message}; subscriber counts start empty`);
      return new SubscriberTracker(new SubscriberCounts(options));
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      warn(`${file} is not JSON; subscriber counts start empty`);
      return new SubscriberTracker(new SubscriberCounts(options));
    }
    return new SubscriberTracker(SubscriberCounts.fromJSON(value, options));
  }

  /** A feed at `url` (its query is ignored) was served to `userAgent`: keeps the count it reports, if it reports one. */
  observe(url: string, userAgent: string | undefined, nowMs: number): void {
    if (userAgent === undefined || userAgent.length === 0) return;
    const query = url.indexOf('?');
    const path = query < 0 ? url : url.slice(0, query);
    // The overall and per-topic feeds only: combined topics and archive pages have too many URLs to label a metric by.
    const route = matchRoute(path)?.name;
    if (route !== 'feed' && route !== 'topicFeed') return;
    let parsed = this.agents.get(userAgent);
    if (parsed === undefined) {
      parsed = parseSubscriberAgent(userAgent) ?? null;
      // Oldest out, not all: aggregators' strings differ by count and feed id, so the cache is often full.
      if (this.agents.size >= MAX_CACHED_AGENTS) this.agents.delete(this.agents.keys().next().value!);
      this.agents.set(userAgent, parsed);
    }
    if (parsed === null) return;
    if (this.counts.record(path, parsed, nowMs)) this.dirty = true;
  }

  /** Distinct User-Agent strings remembered (at most MAX_CACHED_AGENTS). */
  get cachedAgents(): number {
    return this.agents.size;
  }

  /** The per-topic totals of these topics now. */
  totals(slugs: Iterable<string>, nowMs: number): SubscriberTotals {
    return topicSubscriberTotals(this.counts, slugs, topicFeedPaths, nowMs);
  }

  /** Drops reports older than the store's maximum age. */
  prune(nowMs: number): void {
    if (this.counts.prune(nowMs) > 0) this.dirty = true;
  }

  /** Writes the counts when they changed since the last save (or always with `force`). Returns whether it wrote. */
  save(file: string, force = false): boolean {
    if (!this.dirty && !force) return false;
    this.dirty = false;
    try {
      writeFileAtomic(file, `${JSON.stringify(this.counts.toJSON())}\n`);
      return true;
    } catch (error) {
      this.dirty = true;
      throw error;
    }
  }
}
