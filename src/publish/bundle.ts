import type { FeedDocument, Problem } from '../content/document.ts';
import type { HealthReport } from './publication.ts';
import type { RouteKind } from './routes.ts';

/** Bumped when the shape below changes; the Worker refuses a bundle of another version. */
export const BUNDLE_VERSION = 1;

/** Prebuilt validators and headers of one route, for the static-assets Worker. */
export interface AssetEntry {
  readonly kind: RouteKind;
  readonly file: string;
  readonly contentType: string;
  readonly etag: string;
  readonly lastModified: string;
  readonly lastModifiedMs: number;
  readonly cacheControl: string;
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
}

/** Large corpora: every route prebuilt as a static asset; the Worker keeps only this manifest. */
export interface AssetsBundle extends BundleBase {
  readonly mode: 'assets';
  readonly health: HealthReport;
  readonly feedLimit: number;
  readonly routes: Readonly<Record<string, AssetEntry>>;
}

export type ContentBundle = DocumentsBundle | AssetsBundle;
