import type { SiteConfig } from '../config/config.ts';
import type { FeedFormat } from './formats.ts';

/** A feed URL in each format. */
export type FeedUrls = Readonly<Record<FeedFormat, string>>;

/** Which documents a feed holds: all, one topic, or the union of several (canonical slug order). */
export type FeedScope =
  | { readonly kind: 'all' }
  | { readonly kind: 'topic'; readonly slug: string }
  | { readonly kind: 'topics'; readonly slugs: readonly string[] };

/** Scopes with RFC 5005 archives. */
export type ArchivedScope = Extract<FeedScope, { kind: 'all' | 'topic' }>;

export const ALL: FeedScope = { kind: 'all' };

export const FEED_FILE: Readonly<Record<FeedFormat, string>> = {
  rss: 'rss.xml',
  atom: 'atom.xml',
  json: 'feed.json',
};

/** Separator of combined topics in a path: `/topics/a+b/rss.xml`. */
export const COMBINED_SEPARATOR = '+';

/** Path of a scope's folder, always with a trailing slash. */
export function scopePath(scope: FeedScope): string {
  switch (scope.kind) {
    case 'all':
      return '/';
    case 'topic':
      return `/topic/${scope.slug}/`;
    case 'topics':
      return `/topics/${scope.slugs.join(COMBINED_SEPARATOR)}/`;
  }
}

export function feedPath(scope: FeedScope, format: FeedFormat): string {
  return `${scopePath(scope)}${FEED_FILE[format]}`;
}

export function archivePath(scope: ArchivedScope, page: number, format: FeedFormat): string {
  return `${scopePath(scope)}archive/${page}/${FEED_FILE[format]}`;
}

export function feedUrl(site: SiteConfig, scope: FeedScope, format: FeedFormat): string {
  return `${site.siteUrl}${feedPath(scope, format)}`;
}

export function feedUrls(site: SiteConfig, scope: FeedScope): FeedUrls {
  return { rss: feedUrl(site, scope, 'rss'), atom: feedUrl(site, scope, 'atom'), json: feedUrl(site, scope, 'json') };
}

export function archiveUrls(site: SiteConfig, scope: ArchivedScope, page: number): FeedUrls {
  return {
    rss: `${site.siteUrl}${archivePath(scope, page, 'rss')}`,
    atom: `${site.siteUrl}${archivePath(scope, page, 'atom')}`,
    json: `${site.siteUrl}${archivePath(scope, page, 'json')}`,
  };
}

export function topicPageUrl(site: SiteConfig, slug: string): string {
  return `${site.siteUrl}/topic/${slug}/`;
}
