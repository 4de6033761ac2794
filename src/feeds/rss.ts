import type { FeedDocument } from '../content/document.ts';
import { rfc822 } from './dates.ts';
import { htmlExcerpt, plainTextToHtml } from './html-text.ts';
import type { FeedView } from './model.ts';
import { itemContentHtml } from './item-content.ts';
import { topicUrl } from './topic-url.ts';
import type { ByteParts } from './bytes.ts';
import { el, renderXmlDocument, renderXmlDocumentParts } from './xml.ts';
import { xmlItem } from './fragments.ts';
import type { XmlElement, XmlFragment } from './xml.ts';

export const RSS_NAMESPACES = {
  atom: 'http://www.w3.org/2005/Atom',
  fh: 'http://purl.org/syndication/history/1.0',
  dc: 'http://purl.org/dc/elements/1.1/',
  content: 'http://purl.org/rss/1.0/modules/content/',
  media: 'http://search.yahoo.com/mrss/',
} as const;

const RSS_DOCS = 'https://www.rssboard.org/rss-specification';

function renderItem(view: FeedView, doc: FeedDocument): XmlElement {
  const image = doc.image;
  return el('item', {}, [
    el('title', {}, doc.title),
    // RSS readers open <link>: the original article, as curated.
    el('link', {}, doc.externalUrl ?? doc.permalink),
    // Our permalink embeds the stable id, so it doubles as the guid.
    el('guid', { isPermaLink: 'true' }, doc.permalink),
    el('pubDate', {}, rfc822(doc.publishedMs)),
    // <author> must be an e-mail address; dc:creator takes a plain name.
    ...doc.authors.map((name) => el('dc:creator', {}, name)),
    ...doc.topics.map((t) => el('category', { domain: topicUrl(view, t.slug) }, t.name)),
    // Item description is HTML in RSS (spec and RSS Profile), so plain text is HTML-escaped first.
    // Always present: validators want a description before content:encoded.
    el('description', {}, plainTextToHtml(doc.summary ?? htmlExcerpt(doc.contentHtml))),
    el('content:encoded', {}, itemContentHtml(view, doc)),
    // length is required; 0 is the RSS Profile's value for "unknown" (an image not measured: a CDN's).
    image && el('enclosure', { url: image.url, length: String(image.bytes ?? 0), type: image.mimeType }),
    image &&
      el(
        'media:content',
        {
          url: image.url,
          type: image.mimeType,
          medium: 'image',
          fileSize: image.bytes === undefined ? undefined : String(image.bytes),
          width: image.width === undefined ? undefined : String(image.width),
          height: image.height === undefined ? undefined : String(image.height),
        },
        [
          image.alt !== '' && el('media:description', { type: 'plain' }, image.alt),
        ],
      ),
  ]);
}

/** rss > channel > item. */
const ITEM_DEPTH = 2;

function item(view: FeedView, doc: FeedDocument): XmlElement | XmlFragment {
  return xmlItem(view, doc, 'rss', ITEM_DEPTH, renderItem);
}

function historyLinks(view: FeedView): XmlElement[] {
  const history = view.history;
  if (!history) return [];
  const links: XmlElement[] = [];
  const type = 'application/rss+xml';
  if (history.current) links.push(el('atom:link', { href: history.current.rss, rel: 'current', type }));
  if (history.prevArchive) links.push(el('atom:link', { href: history.prevArchive.rss, rel: 'prev-archive', type }));
  if (history.nextArchive) links.push(el('atom:link', { href: history.nextArchive.rss, rel: 'next-archive', type }));
  return links;
}

/** RSS 2.0 with atom/dc/content/media extensions. Dates come from the view, never the clock. */
export function renderRss(view: FeedView): string {
  return renderXmlDocument(rssTree(view, false));
}

/** `renderRss`'s UTF-8 as parts: cached fragments not copied (the export writes them as they are). */
export function renderRssParts(view: FeedView): ByteParts {
  return renderXmlDocumentParts(rssTree(view, true));
}

function rssTree(view: FeedView, fragments: boolean): XmlElement {
  const channel = el('channel', {}, [
    el('title', {}, view.title),
    el('link', {}, view.homeUrl),
    el('description', {}, view.description),
    el('atom:link', { href: view.feedUrls.rss, rel: 'self', type: 'application/rss+xml' }),
    // Hub and history links are channel metadata: validators want them before the items.
    ...(view.hubs ?? []).map((hub) => el('atom:link', { href: hub, rel: 'hub' })),
    ...historyLinks(view),
    view.history?.isArchive === true && el('fh:archive'),
    el('language', {}, view.language),
    el('lastBuildDate', {}, rfc822(view.updatedMs)),
    el('generator', {}, view.generator),
    el('docs', {}, RSS_DOCS),
    // RSS 2.0 <image>: title and link must repeat the channel's (validators check).
    view.logoUrl !== undefined &&
      el('image', {}, [el('url', {}, view.logoUrl), el('title', {}, view.title), el('link', {}, view.homeUrl)]),
    ...view.items.map((doc) => (fragments ? item(view, doc) : renderItem(view, doc))),
  ]);
  return el(
    'rss',
    {
      version: '2.0',
      'xmlns:atom': RSS_NAMESPACES.atom,
      'xmlns:dc': RSS_NAMESPACES.dc,
      'xmlns:content': RSS_NAMESPACES.content,
      'xmlns:media': RSS_NAMESPACES.media,
      // Declared only where used, so current feeds carry no unused namespace.
      'xmlns:fh': view.history?.isArchive === true ? RSS_NAMESPACES.fh : undefined,
    },
    [channel],
  );
}
