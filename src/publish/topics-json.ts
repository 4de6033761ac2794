import type { SiteConfig } from '../config/config.ts';
import type { TopicIndex } from '../topics/topic-index.ts';
import { feedUrls, topicPageUrl } from './routes.ts';

export interface TopicsDocument {
  readonly title: string;
  readonly home_page_url: string;
  readonly feeds: Readonly<Record<'rss' | 'atom' | 'json', string>>;
  readonly topics: readonly {
    readonly slug: string;
    readonly name: string;
    readonly label: string;
    readonly count: number;
    readonly lastMod: string;
    readonly updated: string;
    readonly url: string;
    readonly feeds: Readonly<Record<'rss' | 'atom' | 'json', string>>;
    /** Node server only, when aggregators reported any: the sum over the topic's three feeds (see docs/operations.md). */
    readonly subscribers?: number;
  }[];
}

export function renderTopicsJson(site: SiteConfig, index: TopicIndex, subscribers?: ReadonlyMap<string, number>): string {
  const document: TopicsDocument = {
    title: site.siteTitle,
    home_page_url: `${site.siteUrl}/`,
    feeds: feedUrls(site, { kind: 'all' }),
    topics: index.topicList.map((topic) => ({
      slug: topic.slug,
      name: topic.name,
      label: topic.label,
      count: topic.count,
      lastMod: topic.lastMod,
      updated: new Date(topic.lastModMs).toISOString(),
      url: topicPageUrl(site, topic.slug),
      feeds: feedUrls(site, { kind: 'topic', slug: topic.slug }),
      ...(subscribers?.has(topic.slug) ? { subscribers: subscribers.get(topic.slug) } : {}),
    })),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
