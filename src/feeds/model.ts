import type { FeedDocument } from '../content/document.ts';
import type { FeedUrls } from '../topics/scope.ts';
import type { ItemFragments } from './fragments.ts';

export { FEED_FORMATS } from '../topics/formats.ts';
export type { FeedFormat } from '../topics/formats.ts';
export type { FeedUrls } from '../topics/scope.ts';

/** RFC 5005 links. Archive pages are fixed-size, oldest items on page 1. */
export interface FeedHistory {
  /** This document is an archive page (`fh:archive`), not the current feed. */
  readonly isArchive: boolean;
  /** The current (subscription) feed; set on archive pages. */
  readonly current?: FeedUrls;
  /** The next older archive page. JSON Feed pages back through it with `next_url`. */
  readonly prevArchive?: FeedUrls;
  /** The next newer archive page. */
  readonly nextArchive?: FeedUrls;
}

/**
 * Everything a renderer needs for one feed, already absolute, clean and
 * ordered. Renderers add nothing that is not here (no clock, no config
 * lookups), which keeps their output deterministic.
 */
export interface FeedView {
  /** "<site title>: <topic label>" for a topic, the site title overall. */
  readonly title: string;
  readonly description: string;
  readonly language: string;
  /** The HTML page this feed belongs to. */
  readonly homeUrl: string;
  /** The self URL of this feed in each format (for self and alternate links). */
  readonly feedUrls: FeedUrls;
  /** Newest `updatedMs` among the items; the site's epoch when the feed is empty. */
  readonly updatedMs: number;
  /** Newest first. */
  readonly items: readonly FeedDocument[];
  /** Base URL of topic pages, `${siteUrl}/topic/`: category domains/schemes point below it. */
  readonly topicBaseUrl: string;
  readonly generator: string;
  /** Who publishes the feed: the author of entries that name none (Atom requires one). */
  readonly publisher: { readonly name: string; readonly url: string };
  /** WebSub hubs the feed advertises. */
  readonly hubs?: readonly string[];
  /** Small square image (Atom icon, JSON favicon). */
  readonly iconUrl?: string;
  /** Larger image (RSS image, Atom logo, JSON icon). */
  readonly logoUrl?: string;
  /** Put each item's featured image at the top of its HTML content (FEATURED_IMAGE_IN_CONTENT). */
  readonly featuredImageInContent?: boolean;
  readonly history?: FeedHistory;
  /**
   * Where items already serialized are kept (src/feeds/fragments.ts): with
   * one, the part renderers (`FEED_PART_RENDERERS`) render each item once per
   * format and lay it into every feed that shows it; without, every feed
   * renders its items. Same bytes either way; the string renderers always
   * render every item.
   */
  readonly fragments?: ItemFragments;
}

/** What an item's bytes read from the view besides the document: per-site settings, never per-feed ones. */
export function itemSettings(view: FeedView): string {
  return `${view.topicBaseUrl}\u0000${view.featuredImageInContent === true}`;
}
