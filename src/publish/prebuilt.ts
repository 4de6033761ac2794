import type { SiteConfig } from '../config/config.ts';
import type { FeedFormat } from '../feeds/model.ts';
import type { FeedScope } from '../topics/urls.ts';
import { feedPath } from '../topics/urls.ts';
import type { AssetEntry, AssetsBundle } from './bundle.ts';
import type { HealthReport, Publication } from './publication.ts';
import type { Representation } from './representation.ts';

export type AssetFetcher = (file: string) => Promise<ReadableStream<Uint8Array> | null>;

/**
 * A publication whose every route was rendered at build time. Validators come
 * from the manifest, bytes from static assets, so conditional GET still never
 * touches a body.
 */
export class PrebuiltPublication implements Publication {
  private readonly representations = new Map<string, Representation>();

  constructor(
    readonly site: SiteConfig,
    private readonly bundle: AssetsBundle,
    private readonly fetchAsset: AssetFetcher,
  ) {}

  hasTopic(slug: string): boolean {
    return Object.hasOwn(this.bundle.routes, `/topic/${slug}/`);
  }

  servesLimit(limit: number): boolean {
    return limit === this.bundle.feedLimit;
  }

  feed(scope: FeedScope, format: FeedFormat): Representation | undefined {
    return this.route(feedPath(scope, format));
  }

  homePage(): Representation {
    return this.required('/');
  }

  topicPage(slug: string): Representation | undefined {
    return this.route(`/topic/${slug}/`);
  }

  topicsJson(): Representation {
    return this.required('/topics.json');
  }

  health(): HealthReport {
    return this.bundle.health;
  }

  private required(path: string): Representation {
    const representation = this.route(path);
    if (!representation) throw new Error(`prebuilt bundle has no ${path}`);
    return representation;
  }

  private route(path: string): Representation | undefined {
    let representation = this.representations.get(path);
    if (representation) return representation;
    if (!Object.hasOwn(this.bundle.routes, path)) return undefined;
    const entry: AssetEntry = this.bundle.routes[path]!;
    representation = {
      etag: entry.etag,
      lastModified: entry.lastModified,
      lastModifiedMs: entry.lastModifiedMs,
      contentType: entry.contentType,
      cacheControl: entry.cacheControl,
      body: () => this.fetchAsset(entry.file),
    };
    this.representations.set(path, representation);
    return representation;
  }
}
