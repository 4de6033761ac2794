import type { SiteConfig } from '../config/config.ts';
import type { FeedFormat } from '../feeds/model.ts';
import type { ArchivedScope, FeedScope } from '../topics/scope.ts';
import { archivePath, feedPath, mediaFileOfPath, mediaPath, pathOf, sourcePagePath, topicPagePath } from './routes.ts';
import type { AssetManifest, AssetsBundle } from './bundle.ts';
import { manifestEntry } from './bundle.ts';
import { httpDate } from '../topics/validators.ts';
import type { FeedOptions, HealthReport, Catalog } from './catalog.ts';
import type { Representation } from './representation.ts';
import { opmlKey, previewKey } from './published-routes.ts';

export type AssetFetcher = (file: string) => Promise<ReadableStream<Uint8Array> | null>;

/**
 * A publication whose every fixed route was rendered at build time.
 * Validators come from the manifest, bytes from static assets, so conditional
 * GET still never touches a body. Query variants are not available.
 */
export class PrebuiltCatalog implements Catalog {
  readonly dynamic = false;
  private readonly representations = new Map<string, Representation>();

  constructor(
    readonly site: SiteConfig,
    private readonly bundle: AssetsBundle,
    private readonly manifest: AssetManifest,
    private readonly fetchAsset: AssetFetcher,
  ) {}

  hasTopic(slug: string): boolean {
    return Object.hasOwn(this.manifest.routes, topicPagePath(slug));
  }

  feed(scope: FeedScope, format: FeedFormat, options: FeedOptions = {}): Representation | undefined {
    const path = feedPath(scope, format);
    return this.route(options.preview ? previewKey(path) : path);
  }

  archive(scope: ArchivedScope, format: FeedFormat, page: number): Representation | undefined {
    return this.route(archivePath(scope, page, format));
  }

  opml(format: FeedFormat, slugs?: readonly string[]): Representation | undefined {
    return slugs === undefined ? this.route(opmlKey(format)) : undefined;
  }

  homePage(): Representation {
    return this.required(pathOf('home'));
  }

  topicPage(slug: string): Representation | undefined {
    return this.route(topicPagePath(slug));
  }

  sourcePage(source: string): Representation | undefined {
    return this.route(sourcePagePath(source));
  }

  /** Not prebuilt: the app answers `?q=` on a static deployment with a 400. */
  topicFilter(): undefined {
    return undefined;
  }

  topicsJson(): Representation {
    return this.required(pathOf('topicsJson'));
  }

  /** The icon and the documents' images, as build:content recorded them in the manifest. */
  staticFile(path: string): Representation | undefined {
    if (path === pathOf('favicon') || path === pathOf('appleTouchIcon')) return this.route(path);
    const file = mediaFileOfPath(path);
    return file === undefined ? undefined : this.route(mediaPath(file));
  }

  health(): HealthReport {
    return this.bundle.health;
  }

  private required(key: string): Representation {
    const representation = this.route(key);
    if (!representation) throw new Error(`prebuilt bundle has no ${key}`);
    return representation;
  }

  private route(key: string): Representation | undefined {
    let representation = this.representations.get(key);
    if (representation) return representation;
    const entry = manifestEntry(this.manifest, key);
    if (!entry) return undefined;
    representation = {
      etag: entry.etag,
      lastModified: httpDate(entry.lastModifiedMs),
      lastModifiedMs: entry.lastModifiedMs,
      contentType: entry.contentType,
      cacheControl: entry.cacheControl,
      body: () => this.fetchAsset(entry.file),
    };
    this.representations.set(key, representation);
    return representation;
  }
}
