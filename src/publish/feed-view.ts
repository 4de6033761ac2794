import type { SiteConfig } from '../config/config.ts';
import type { FeedDocument } from '../content/document.ts';
import type { FeedHistory, FeedView } from '../feeds/model.ts';
import type { TopicSummary } from '../topics/topic-index.ts';
import { newestUpdate } from '../topics/topic-index.ts';
import { advertisesHub } from './changes.ts';
import { feedUrls, siteIconUrl, topicBaseUrl, topicPageUrl } from './routes.ts';
import type { FeedScope } from '../topics/scope.ts';

export const GENERATOR = 'topic-feeds';

/** An empty feed still needs a plausible, fixed `updated` (never the clock, never 1970). */
export const EMPTY_FEED_UPDATED_MS = Date.UTC(2000, 0, 1);

/** One topic, several (a combined feed), or none (the overall feed). */
export type ScopeTopics = TopicSummary | readonly TopicSummary[] | undefined;

function topicList(topics: ScopeTopics): readonly TopicSummary[] {
  if (topics === undefined) return [];
  return Array.isArray(topics) ? topics : [topics as TopicSummary];
}

export function feedTitle(site: SiteConfig, topics: ScopeTopics): string {
  const list = topicList(topics);
  return list.length === 0 ? site.siteTitle : `${site.siteTitle}: ${list.map((topic) => topic.label).join(' + ')}`;
}

export function feedDescription(site: SiteConfig, topics: ScopeTopics): string {
  const list = topicList(topics);
  if (list.length === 0) return site.siteDescription;
  const described = list.length === 1 ? list[0]?.description : undefined;
  return described ?? `Curated health-tech news on ${list.map((topic) => topic.name).join('; ')}.`;
}

export function buildFeedView(
  site: SiteConfig,
  scope: FeedScope,
  topics: ScopeTopics,
  items: readonly FeedDocument[],
  history?: FeedHistory,
): FeedView {
  return {
    title: feedTitle(site, topics),
    description: feedDescription(site, topics),
    language: site.language,
    homeUrl: scope.kind === 'topic' ? topicPageUrl(site, scope.slug) : `${site.siteUrl}/`,
    feedUrls: feedUrls(site, scope),
    updatedMs: newestUpdate(items)?.updatedMs ?? EMPTY_FEED_UPDATED_MS,
    items,
    topicBaseUrl: topicBaseUrl(site),
    generator: GENERATOR,
    publisher: { name: site.siteTitle, url: `${site.siteUrl}/` },
    ...(site.websubHub !== undefined && advertisesHub(scope, history?.isArchive) && { hubs: [site.websubHub] }),
    // The site icon (/apple-touch-icon.png, a square PNG) unless FEED_ICON_URL / FEED_LOGO_URL name others.
    iconUrl: site.iconUrl ?? siteIconUrl(site),
    logoUrl: site.logoUrl ?? siteIconUrl(site),
    featuredImageInContent: site.featuredImageInContent,
    ...(history !== undefined && { history }),
  };
}
