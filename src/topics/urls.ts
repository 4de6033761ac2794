import type { SiteConfig } from '../config/config.ts';
import type { FeedFormat } from '../feeds/model.ts';

export type FeedScope = { readonly kind: 'all' } | { readonly kind: 'topic'; readonly slug: string };

export const ALL: FeedScope = { kind: 'all' };

export const FEED_FILE: Readonly<Record<FeedFormat, string>> = {
  rss: 'rss.xml',
  atom: 'atom.xml',
  json: 'feed.json',
};

/** Path of a scope's folder, always with a trailing slash: `/` or `/topic/<slug>/`. */
export function scopePath(scope: FeedScope): string {
  return scope.kind === 'all' ? '/' : `/topic/${scope.slug}/`;
}

export function feedPath(scope: FeedScope, format: FeedFormat): string {
  return `${scopePath(scope)}${FEED_FILE[format]}`;
}

export function feedUrl(site: SiteConfig, scope: FeedScope, format: FeedFormat): string {
  return `${site.siteUrl}${feedPath(scope, format)}`;
}

export function feedUrls(site: SiteConfig, scope: FeedScope): Record<FeedFormat, string> {
  return { rss: feedUrl(site, scope, 'rss'), atom: feedUrl(site, scope, 'atom'), json: feedUrl(site, scope, 'json') };
}

export function topicPageUrl(site: SiteConfig, slug: string): string {
  return `${site.siteUrl}/topic/${slug}/`;
}
