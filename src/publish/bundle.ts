import type { FeedDocument, Problem } from '../content/document.ts';
import type { HealthReport } from './catalog.ts';
import type { StaticFileEntry } from './static-files.ts';

/** Bumped when the shape below changes; the Worker refuses a bundle of another version. */
export const BUNDLE_VERSION = 1;

/** Prebuilt validators and headers of one route, for the static-assets Worker. */
export interface AssetEntry {
  readonly file: string;
  readonly contentType: string;
  readonly etag: string;
  readonly lastModifiedMs: number;
  readonly cacheControl: string;
}

/** Name of the manifest among the static assets; no route maps to it. */
export const MANIFEST_FILE = '_manifest.json';

/**
 * The route manifest, kept as a static asset rather than in the Worker script
 * (thousands of routes would blow the script-size budget). Repeated strings
 * are stored once: each route is [file, etag, lastModifiedMs, type, cache].
 */
export interface AssetManifest {
  readonly version: typeof BUNDLE_VERSION;
  readonly contentTypes: readonly string[];
  readonly cacheControls: readonly string[];
  readonly routes: Readonly<Record<string, readonly [string, string, number, number, number]>>;
}

export function encodeManifest(entries: ReadonlyMap<string, AssetEntry>): AssetManifest {
  const contentTypes: string[] = [];
  const cacheControls: string[] = [];
  const indexOf = (list: string[], value: string) => {
    let i = list.indexOf(value);
    if (i < 0) i = list.push(value) - 1;
    return i;
  };
  const routes: Record<string, [string, string, number, number, number]> = {};
  for (const [key, e] of entries) {
    routes[key] = [e.file, e.etag, e.lastModifiedMs, indexOf(contentTypes, e.contentType), indexOf(cacheControls, e.cacheControl)];
  }
  return { version: BUNDLE_VERSION, contentTypes, cacheControls, routes };
}

export function manifestEntry(manifest: AssetManifest, key: string): AssetEntry | undefined {
  if (!Object.hasOwn(manifest.routes, key)) return undefined;
  const [file, etag, lastModifiedMs, type, cache] = manifest.routes[key]!;
  return { file, etag, lastModifiedMs, contentType: manifest.contentTypes[type] ?? '', cacheControl: manifest.cacheControls[cache] ?? '' };
}

interface BundleBase {
  readonly version: typeof BUNDLE_VERSION;
  /** The settings the content was normalized with; the Worker's bindings are laid over them. */
  readonly env: Readonly<Record<string, string>>;
}

/** Small corpora: normalized documents, rendered inside the Worker. */
export interface DocumentsBundle extends BundleBase {
  readonly mode: 'documents';
  readonly documents: readonly FeedDocument[];
  readonly problems: readonly Problem[];
  /** The icon and the documents' images among the static assets, by URL path (assets mode lists them in the manifest). */
  readonly files?: Readonly<Record<string, StaticFileEntry>>;
}

/** Large corpora: every route prebuilt as a static asset, described by MANIFEST_FILE. */
export interface AssetsBundle extends BundleBase {
  readonly mode: 'assets';
  readonly health: HealthReport;
}

export type ContentBundle = DocumentsBundle | AssetsBundle;
