import { renderAtom, renderAtomParts } from './atom.ts';
import { asParts, utf8 } from './bytes.ts';
import type { ByteParts } from './bytes.ts';
import { renderJsonFeed, renderJsonFeedParts } from './json-feed.ts';
import type { FeedFormat, FeedView } from './model.ts';
import { renderRss, renderRssParts } from './rss.ts';

export type FeedRenderer = (view: FeedView) => string;

/** The format registry: one pure renderer per format. */
export const FEED_RENDERERS: Readonly<Record<FeedFormat, FeedRenderer>> = {
  rss: renderRss,
  atom: renderAtom,
  json: renderJsonFeed,
};

export type FeedPartsRenderer = (view: FeedView) => ByteParts;

/**
 * The same renderers, to UTF-8 bytes as parts: exactly the encoded string,
 * with items laid in from the view's fragment cache (rendered once per
 * document and format) when it has one. What catalogs serve (joined once) and
 * the export writes (as they are).
 */
export const FEED_PART_RENDERERS: Readonly<Record<FeedFormat, FeedPartsRenderer>> = {
  rss: renderRssParts,
  atom: renderAtomParts,
  json: renderJsonFeedParts,
};

const BUILT_IN: Readonly<Record<FeedFormat, FeedRenderer>> = { ...FEED_RENDERERS };

/**
 * What catalogs call: the registry's renderer for `format`, as parts. For the
 * built-in renderers that is the parts renderer (items from the view's
 * fragment cache); a renderer put in the registry in their place (a test
 * counting renders, say) is honoured and its string encoded.
 */
export function renderFeedParts(format: FeedFormat, view: FeedView): ByteParts {
  const renderer = FEED_RENDERERS[format];
  return renderer === BUILT_IN[format] ? FEED_PART_RENDERERS[format](view) : asParts(utf8(renderer(view)));
}

/** Specific media types (not text/xml), so browsers and readers pick the right handler. */
export const CONTENT_TYPES: Readonly<Record<FeedFormat, string>> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
};

export { renderAtom, renderJsonFeed, renderRss };
