import { renderAtom } from './atom.ts';
import { renderJsonFeed } from './json-feed.ts';
import type { FeedFormat, FeedView } from './model.ts';
import { renderRss } from './rss.ts';

export type FeedRenderer = (view: FeedView) => string;

/** The format registry: one pure renderer per format. */
export const FEED_RENDERERS: Readonly<Record<FeedFormat, FeedRenderer>> = {
  rss: renderRss,
  atom: renderAtom,
  json: renderJsonFeed,
};

/** Specific media types (not text/xml), so browsers and readers pick the right handler. */
export const CONTENT_TYPES: Readonly<Record<FeedFormat, string>> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
};

export { renderAtom, renderJsonFeed, renderRss };
