/**
 * Sources -> the core loader (loadDocuments, which test/ingest/content-store.test.ts holds equal to the ContentStore that serves) -> LiveCatalog -> the Hono app, and back out through
 * the strict feed readers: what a subscriber's reader would get, per format.
 */
import type { Hono } from 'hono';
import type { SiteConfig } from '../../src/config/config.ts';
import type { ContentSource, LoadResult } from '../../src/content/document.ts';
import { loadDocuments } from '../../src/content/load.ts';
import { createApp } from '../../src/http/app.ts';
import { LiveCatalog } from '../../src/publish/live-catalog.ts';
import { makeSite } from './factories.ts';
import type { ReadFeed } from './feed-extract.ts';
import { readAtom, readJsonFeed, readRss } from './feed-extract.ts';

export type Format = 'rss' | 'atom' | 'json';
export const FORMATS: readonly Format[] = ['rss', 'atom', 'json'];
export const FEED_FILES: Readonly<Record<Format, string>> = { rss: 'rss.xml', atom: 'atom.xml', json: 'feed.json' };
const READERS: Readonly<Record<Format, (text: string) => ReadFeed>> = { rss: readRss, atom: readAtom, json: readJsonFeed };

export interface LoadedApp {
  readonly app: Hono;
  readonly loaded: LoadResult;
  readonly site: SiteConfig;
}

export function appFromSources(sources: readonly ContentSource[], site: SiteConfig = makeSite()): LoadedApp {
  const loaded = loadDocuments(sources, site);
  const catalog = new LiveCatalog(site, loaded);
  return { app: createApp({ catalog: () => catalog }), loaded, site };
}

export interface FetchedFeed {
  readonly format: Format;
  readonly path: string;
  readonly text: string;
  /** Parsed strictly (saxes / JSON + JSON Feed 1.1 schema); throws when malformed. */
  readonly feed: ReadFeed;
}

/** `scope` is '' for the overall feeds or `/topic/<slug>`; every format, each parsed strictly. */
export async function fetchFeeds(app: Hono, scope = '', query = '?limit=500'): Promise<FetchedFeed[]> {
  const out: FetchedFeed[] = [];
  for (const format of FORMATS) {
    const path = `${scope}/${FEED_FILES[format]}${query}`;
    const res = await app.request(path);
    if (res.status !== 200) throw new Error(`${path}: status ${res.status}: ${await res.text()}`);
    const text = await res.text();
    out.push({ format, path, text, feed: READERS[format](text) });
  }
  return out;
}

/** Every string value anywhere in a parsed JSON value. */
export function jsonStrings(value: unknown, key = ''): { key: string; value: string }[] {
  if (typeof value === 'string') return [{ key, value }];
  if (Array.isArray(value)) return value.flatMap((v) => jsonStrings(v, key));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => jsonStrings(v, k));
  }
  return [];
}
