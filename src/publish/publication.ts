import type { SiteConfig } from '../config/config.ts';
import type { FeedFormat } from '../feeds/model.ts';
import type { FeedScope } from '../topics/urls.ts';
import type { Representation } from './representation.ts';

export interface HealthReport {
  readonly status: 'ok';
  readonly documents: number;
  readonly topics: number;
  readonly problems: number;
}

/**
 * What the HTTP layer serves from. The live `Catalog` renders from documents;
 * the Worker's static-assets mode answers from a prebuilt manifest. The app
 * cannot tell them apart, which is what keeps their responses identical.
 */
export interface Publication {
  readonly site: SiteConfig;
  hasTopic(slug: string): boolean;
  /** Whether `?limit=<limit>` can be served (a prebuilt deployment has only the default window). */
  servesLimit(limit: number): boolean;
  /** The feed, or undefined when the topic does not exist. */
  feed(scope: FeedScope, format: FeedFormat, limit?: number): Representation | undefined;
  homePage(): Representation;
  topicPage(slug: string): Representation | undefined;
  topicsJson(): Representation;
  health(): HealthReport;
}
