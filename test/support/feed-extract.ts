/**
 * Reads our RSS, Atom and JSON Feed output back into one format-neutral shape
 * with the strict parser, so tests can compare what went in with what a
 * conforming reader gets out, value for value (no trimming, no decoding
 * beyond what the format itself defines).
 */
import { assertValidJsonFeed11 } from './json-feed-schema.ts';
import type { XmlNode } from './xml.ts';
import { childText, childrenNamed, onlyChild, parseXmlStrict, textOf } from './xml.ts';

export const NS = {
  atom: 'http://www.w3.org/2005/Atom',
  dc: 'http://purl.org/dc/elements/1.1/',
  content: 'http://purl.org/rss/1.0/modules/content/',
  media: 'http://search.yahoo.com/mrss/',
} as const;

export interface ReadItem {
  readonly id: string;
  readonly title: string;
  /** The link a reader opens: RSS <link>, Atom rel=alternate, JSON url. */
  readonly url: string;
  /** The original article where the format has a separate field for it. */
  readonly externalUrl: string | undefined;
  readonly summary: string | undefined;
  readonly contentHtml: string;
  readonly authors: readonly string[];
  /** Topic display names (RSS category text, Atom label, JSON extension name). */
  readonly topicNames: readonly string[];
  /** Topic page URLs (RSS domain, Atom scheme + term, JSON extension url). */
  readonly topicUrls: readonly string[];
  readonly imageUrl: string | undefined;
  readonly imageAlt: string | undefined;
  readonly publishedMs: number;
  /** undefined for RSS, which has no item update date. */
  readonly updatedMs: number | undefined;
}

export interface ReadFeed {
  readonly title: string;
  readonly description: string;
  readonly language: string;
  readonly homeUrl: string;
  readonly selfUrl: string;
  /** RSS lastBuildDate, Atom updated; undefined for JSON Feed, which has no feed date. */
  readonly updatedMs: number | undefined;
  /** undefined for JSON Feed, which has no generator field. */
  readonly generator: string | undefined;
  readonly items: readonly ReadItem[];
}

/** Inverse of plainTextToHtml for the three references it writes. */
export function unescapeMinimalHtml(html: string): string {
  return html.replace(/&(lt|gt|amp);/g, (_m, name: string) => (name === 'lt' ? '<' : name === 'gt' ? '>' : '&'));
}

function required(value: string | undefined, what: string): string {
  if (value === undefined) throw new Error(`missing ${what}`);
  return value;
}

function attr(node: XmlNode, name: string): string {
  return required(node.attrs[name], `@${name} on <${node.qname}>`);
}

function readRssItem(item: XmlNode): ReadItem {
  const guid = onlyChild(item, '', 'guid');
  if (guid.attrs['isPermaLink'] !== 'true') throw new Error('guid must be isPermaLink="true"');
  const enclosures = childrenNamed(item, '', 'enclosure');
  const media = childrenNamed(item, NS.media, 'content');
  if (enclosures.length > 1 || media.length > 1) throw new Error('at most one image per item');
  const enclosure = enclosures[0];
  const mediaContent = media[0];
  if (enclosure && mediaContent && enclosure.attrs['url'] !== mediaContent.attrs['url']) {
    throw new Error('enclosure and media:content disagree');
  }
  const description = childText(item, '', 'description');
  return {
    id: textOf(guid),
    title: required(childText(item, '', 'title'), 'item title'),
    url: required(childText(item, '', 'link'), 'item link'),
    externalUrl: undefined,
    summary: description === undefined ? undefined : unescapeMinimalHtml(description),
    contentHtml: required(childText(item, NS.content, 'encoded'), 'content:encoded'),
    authors: childrenNamed(item, NS.dc, 'creator').map(textOf),
    topicNames: childrenNamed(item, '', 'category').map(textOf),
    topicUrls: childrenNamed(item, '', 'category').map((c) => attr(c, 'domain')),
    imageUrl: enclosure ? attr(enclosure, 'url') : undefined,
    imageAlt: mediaContent ? childText(mediaContent, NS.media, 'description') : undefined,
    publishedMs: Date.parse(required(childText(item, '', 'pubDate'), 'pubDate')),
    updatedMs: undefined,
  };
}

export function readRss(xml: string): ReadFeed {
  const rss = parseXmlStrict(xml);
  if (rss.qname !== 'rss' || rss.attrs['version'] !== '2.0') throw new Error('not RSS 2.0');
  const channel = onlyChild(rss, '', 'channel');
  const self = childrenNamed(channel, NS.atom, 'link').find((l) => l.attrs['rel'] === 'self');
  return {
    title: required(childText(channel, '', 'title'), 'channel title'),
    description: required(childText(channel, '', 'description'), 'channel description'),
    language: required(childText(channel, '', 'language'), 'language'),
    homeUrl: required(childText(channel, '', 'link'), 'channel link'),
    selfUrl: self ? attr(self, 'href') : '',
    updatedMs: Date.parse(required(childText(channel, '', 'lastBuildDate'), 'lastBuildDate')),
    generator: required(childText(channel, '', 'generator'), 'generator'),
    items: childrenNamed(channel, '', 'item').map(readRssItem),
  };
}

function atomLink(node: XmlNode, rel: string): XmlNode | undefined {
  const links = childrenNamed(node, NS.atom, 'link').filter((l) => (l.attrs['rel'] ?? 'alternate') === rel);
  if (links.length > 1) throw new Error(`more than one rel=${rel} link in <${node.qname}>`);
  return links[0];
}

function atomText(node: XmlNode, local: string): string | undefined {
  const found = childrenNamed(node, NS.atom, local);
  const first = found[0];
  if (!first) return undefined;
  if (found.length > 1) throw new Error(`more than one ${local}`);
  const type = first.attrs['type'] ?? 'text';
  if (type === 'text') return textOf(first);
  if (type !== 'html') throw new Error(`${local} has type=${type}`);
  // Content stays HTML; other text constructs are plain text sent as escaped HTML.
  return local === 'content' ? textOf(first) : unescapeMinimalHtml(textOf(first));
}

function readAtomEntry(entry: XmlNode): ReadItem {
  const alternate = atomLink(entry, 'alternate');
  const related = atomLink(entry, 'related');
  const enclosure = atomLink(entry, 'enclosure');
  const categories = childrenNamed(entry, NS.atom, 'category');
  return {
    id: required(childText(entry, NS.atom, 'id'), 'entry id'),
    title: required(atomText(entry, 'title'), 'entry title'),
    url: alternate ? attr(alternate, 'href') : '',
    externalUrl: related ? attr(related, 'href') : undefined,
    summary: atomText(entry, 'summary'),
    contentHtml: required(atomText(entry, 'content'), 'content'),
    authors: childrenNamed(entry, NS.atom, 'author').map((a) => required(childText(a, NS.atom, 'name'), 'author name')),
    topicNames: categories.map((c) => attr(c, 'label')),
    topicUrls: categories.map((c) => `${attr(c, 'scheme')}${attr(c, 'term')}/`),
    imageUrl: enclosure ? attr(enclosure, 'href') : undefined,
    imageAlt: enclosure?.attrs['title'],
    publishedMs: Date.parse(required(childText(entry, NS.atom, 'published'), 'published')),
    updatedMs: Date.parse(required(childText(entry, NS.atom, 'updated'), 'entry updated')),
  };
}

export function readAtom(xml: string): ReadFeed {
  const feed = parseXmlStrict(xml);
  if (feed.uri !== NS.atom || feed.local !== 'feed') throw new Error('not an Atom feed');
  const self = atomLink(feed, 'self');
  const alternate = atomLink(feed, 'alternate');
  return {
    title: required(atomText(feed, 'title'), 'feed title'),
    description: required(atomText(feed, 'subtitle'), 'subtitle'),
    language: required(feed.attrsNs['{http://www.w3.org/XML/1998/namespace}lang'], 'xml:lang'),
    homeUrl: alternate ? attr(alternate, 'href') : '',
    selfUrl: self ? attr(self, 'href') : '',
    updatedMs: Date.parse(required(childText(feed, NS.atom, 'updated'), 'feed updated')),
    generator: required(childText(feed, NS.atom, 'generator'), 'generator'),
    items: childrenNamed(feed, NS.atom, 'entry').map(readAtomEntry),
  };
}

interface JsonTopic {
  readonly name: string;
  readonly url: string;
}

interface JsonItemShape {
  readonly id: string;
  readonly url: string;
  readonly external_url?: string;
  readonly title: string;
  readonly summary?: string;
  readonly content_html: string;
  readonly image?: string;
  readonly date_published: string;
  readonly date_modified: string;
  readonly authors?: readonly { readonly name: string }[];
  readonly _topic_feeds: { readonly topics: readonly JsonTopic[] };
}

interface JsonFeedShape {
  readonly title: string;
  readonly description: string;
  readonly language: string;
  readonly home_page_url: string;
  readonly feed_url: string;
  readonly items: readonly JsonItemShape[];
}

/** Parses, validates against JSON Feed 1.1 (throws when invalid), then reads. */
export function readJsonFeed(json: string): ReadFeed {
  const parsed: unknown = JSON.parse(json);
  assertValidJsonFeed11(parsed);
  const feed = parsed as JsonFeedShape;
  const items = feed.items.map(
    (item): ReadItem => ({
      id: item.id,
      title: item.title,
      url: item.url,
      externalUrl: item.external_url,
      summary: item.summary,
      contentHtml: item.content_html,
      authors: (item.authors ?? []).map((a) => a.name),
      topicNames: item._topic_feeds.topics.map((t) => t.name),
      topicUrls: item._topic_feeds.topics.map((t) => t.url),
      imageUrl: item.image,
      imageAlt: undefined,
      publishedMs: Date.parse(item.date_published),
      updatedMs: Date.parse(item.date_modified),
    }),
  );
  return {
    title: feed.title,
    description: feed.description,
    language: feed.language,
    homeUrl: feed.home_page_url,
    selfUrl: feed.feed_url,
    updatedMs: undefined,
    generator: undefined,
    items,
  };
}
