import type { SiteConfig } from '../config/config.ts';
import type { FeedDocument } from '../content/document.ts';
import type { FeedView } from '../feeds/model.ts';
import type { TopicSummary } from '../topics/index.ts';
import { newestUpdate } from '../topics/index.ts';
import { feedUrls, topicPageUrl } from '../topics/urls.ts';
import type { FeedScope } from '../topics/urls.ts';

export const GENERATOR = 'topic-feeds';

/** An empty feed still needs a plausible, fixed `updated` (never the clock, never 1970). */
export const EMPTY_FEED_UPDATED_MS = Date.UTC(2000, 0, 1);

export function feedTitle(site: SiteConfig, topic: TopicSummary | undefined): string {
  return topic ? `${site.siteTitle}: ${topic.label}` : site.siteTitle;
}

export function feedDescription(site: SiteConfig, topic: TopicSummary | undefined): string {
  return topic ? `Curated health-tech news on ${topic.name}.` : site.siteDescription;
}

export function buildFeedView(
  site: SiteConfig,
  scope: FeedScope,
  topic: TopicSummary | undefined,
  items: readonly FeedDocument[],
): FeedView {
  return {
    title: feedTitle(site, topic),
    description: feedDescription(site, topic),
    language: site.language,
    homeUrl: scope.kind === 'topic' ? topicPageUrl(site, scope.slug) : `${site.siteUrl}/`,
    feedUrls: feedUrls(site, scope),
    updatedMs: newestUpdate(items)?.updatedMs ?? EMPTY_FEED_UPDATED_MS,
    items,
    topicBaseUrl: `${site.siteUrl}/topic/`,
    generator: GENERATOR,
    publisher: { name: site.siteTitle, url: `${site.siteUrl}/` },
  };
}
