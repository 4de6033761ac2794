import { renderAtom, renderAtomBytes, renderAtomParts } from './atom.ts';
import { asParts } from './bytes.ts';
import type { ByteParts } from './bytes.ts';
import { renderJsonFeed, renderJsonFeedBytes, renderJsonFeedParts } from './json-feed.ts';
import type { FeedFormat, FeedView } from './model.ts';
import { renderRss, renderRssBytes, renderRssParts } from './rss.ts';

export type FeedRenderer = (view: FeedView) => string;

/** The format registry: one pure renderer per format. */
export const FEED_RENDERERS: Readonly<Record<FeedFormat, FeedRenderer>> = {
  rss: renderRss,
  atom: renderAtom,
  json: renderJsonFeed,
};

export type FeedBytesRenderer = (view: FeedView) => Uint8Array<ArrayBuffer>;

/**
 * The same renderers, to UTF-8 bytes: exactly the encoded string, with items
 * laid in from the view's fragment cache (rendered once per document and
 * format) when it has one. What catalogs serve.
 */
export const FEED_BYTE_RENDERERS: Readonly<Record<FeedFormat, FeedBytesRenderer>> = {
  rss: renderRssBytes,
  atom: renderAtomBytes,
  json: renderJsonFeedBytes,
};

const BUILT_IN: Readonly<Record<FeedFormat, FeedRenderer>> = { ...FEED_RENDERERS };
const encoder = new TextEncoder();

/**
 * What catalogs call: the registry's renderer for `format`, as bytes. For the
 * built-in renderers that is the byte renderer (items from the view's
 * fragment cache); a renderer put in the registry in their place (a test
 * counting renders, say) is honoured and its string encoded.
 */
export function renderFeedBytes(format: FeedFormat, view: FeedView): Uint8Array<ArrayBuffer> {
  const renderer = FEED_RENDERERS[format];
  return renderer === BUILT_IN[format] ? FEED_BYTE_RENDERERS[format](view) : encoder.encode(renderer(view));
}

const PART_RENDERERS: Readonly<Record<FeedFormat, (view: FeedView) => ByteParts>> = {
  rss: renderRssParts,
  atom: renderAtomParts,
  json: renderJsonFeedParts,
};

/** `renderFeedBytes` as parts: the cached fragments themselves, for a writer that takes them as they are. */
export function renderFeedParts(format: FeedFormat, view: FeedView): ByteParts {
  const renderer = FEED_RENDERERS[format];
  return renderer === BUILT_IN[format] ? PART_RENDERERS[format](view) : asParts(encoder.encode(renderer(view)));
}

/** Specific media types (not text/xml), so browsers and readers pick the right handler. */
export const CONTENT_TYPES: Readonly<Record<FeedFormat, string>> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
};

export { renderAtom, renderAtomBytes, renderJsonFeed, renderJsonFeedBytes, renderRss, renderRssBytes };
