import type { SiteConfig } from '../config/config.ts';
import type { FeedFormat } from '../feeds/model.ts';
import type { ArchivedScope, FeedScope } from '../topics/scope.ts';
import type { Validators } from '../topics/validators.ts';
import type { Representation } from './representation.ts';

export interface HealthReport {
  readonly status: 'ok';
  readonly documents: number;
  readonly topics: number;
  readonly problems: number;
}

/** A validated `?since=` instant. */
export interface SinceInstant {
  readonly raw: string;
  /** Microseconds since the epoch: lastMod values carry microseconds. */
  readonly micros: number;
}

export interface FeedOptions {
  /** Items per feed; the site default when omitted. */
  readonly limit?: number;
  /** Only items updated strictly after this instant. */
  readonly since?: SinceInstant;
  /** The HTML preview of the feed instead of the feed. */
  readonly preview?: boolean;
}

/**
 * What the HTTP layer serves from. The live `LiveCatalog` renders from documents;
 * the Worker's static-assets mode answers from a prebuilt manifest. The app
 * cannot tell them apart, which is what keeps their responses identical.
 */
export interface Catalog {
  readonly site: SiteConfig;
  /**
   * Whether arbitrary variants (`?limit`, `?since`, combined topics, OPML
   * subsets) can be rendered. A prebuilt deployment has only its fixed routes.
   */
  readonly dynamic: boolean;
  hasTopic(slug: string): boolean;
  /** The feed, or undefined when a topic does not exist. */
  feed(scope: FeedScope, format: FeedFormat, options?: FeedOptions): Representation | undefined;
  /** RFC 5005 archive page `page` (1 = oldest), or undefined when there is no such page. */
  archive(scope: ArchivedScope, format: FeedFormat, page: number): Representation | undefined;
  /** OPML of every topic feed, or of `slugs` only; undefined when one of them does not exist. */
  opml(format: FeedFormat, slugs?: readonly string[]): Representation | undefined;
  homePage(): Representation;
  topicPage(slug: string): Representation | undefined;
  /** The page of one source's topics, or undefined when no topic has that source. */
  sourcePage(source: string): Representation | undefined;
  /** The index filtered to topics matching `query` (`/?q=`); undefined when not `dynamic`. */
  topicFilter(query: string): Representation | undefined;
  topicsJson(): Representation;
  health(): HealthReport;
  /**
   * A static file by URL path (src/publish/static-files.ts): the site icon,
   * or an image some served document shows (under MEDIA_PATH); undefined
   * for anything else. `answeredByValidators`: see StaticFileRequest.
   */
  staticFile(path: string, answeredByValidators?: (validators: Validators) => boolean): Promise<Representation | undefined> | Representation | undefined;
}
