import type { FeedFormat, FeedView } from '../../src/feeds/model.ts';
import { htmlExcerpt } from '../../src/feeds/html-text.ts';
import { stripForbiddenChars } from '../../src/feeds/xml.ts';
import type { ReadFeed, ReadItem } from '../support/feed-extract.ts';

const strip = stripForbiddenChars;

/** RSS dates are RFC 822: whole seconds. */
const toSecond = (ms: number): number => Math.floor(ms / 1000) * 1000;

/**
 * What a strict reader must get back from `format` for `view`: every text
 * field exactly, minus only the characters XML cannot carry.
 */
export function expectedRead(view: FeedView, format: FeedFormat): ReadFeed {
  const items = view.items.map(
    (doc): ReadItem => ({
      id: doc.permalink,
      title: strip(doc.title),
      url: format === 'rss' ? (doc.externalUrl ?? doc.permalink) : doc.permalink,
      externalUrl: format === 'rss' ? undefined : doc.externalUrl,
      // RSS always has a description: the summary, else an excerpt of the content.
      summary: doc.summary === undefined ? (format === 'rss' ? strip(htmlExcerpt(doc.contentHtml)) : undefined) : strip(doc.summary),
      contentHtml: strip(doc.contentHtml),
      authors: doc.authors.map(strip),
      topicNames: doc.topics.map((t) => strip(t.name)),
      topicUrls: doc.topics.map((t) => `${view.topicBaseUrl}${t.slug}/`),
      imageUrl: doc.image?.url,
      imageAlt: format === 'json' || doc.image === undefined || doc.image.alt === '' ? undefined : strip(doc.image.alt),
      publishedMs: format === 'rss' ? toSecond(doc.publishedMs) : doc.publishedMs,
      updatedMs: format === 'rss' ? undefined : doc.updatedMs,
    }),
  );
  return {
    title: strip(view.title),
    description: strip(view.description),
    language: strip(view.language),
    homeUrl: view.homeUrl,
    selfUrl: view.feedUrls[format],
    updatedMs: format === 'json' ? undefined : format === 'rss' ? toSecond(view.updatedMs) : view.updatedMs,
    generator: format === 'json' ? undefined : strip(view.generator),
    items,
  };
}
