import type { FeedDocument } from '../content/document.ts';
import { rfc3339 } from './dates.ts';
import type { FeedView } from './model.ts';
import { itemSettings } from './model.ts';
import { asParts, encodeChunks, utf8 } from './bytes.ts';
import type { ByteParts, Chunk } from './bytes.ts';
import { itemContentHtml } from './item-content.ts';
import { topicUrl } from './topic-url.ts';
import { stripForbiddenChars } from './xml.ts';

/**
 * JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/), typed from the spec.
 * Only 1.1 shapes exist here: `authors` arrays, never the 1.0 `author`.
 */
export const JSON_FEED_VERSION = 'https://jsonfeed.org/version/1.1';

/** At least one of name, url, avatar. */
export type JsonFeedAuthor =
  | { readonly name: string; readonly url?: string; readonly avatar?: string }
  | { readonly name?: string; readonly url: string; readonly avatar?: string }
  | { readonly name?: string; readonly url?: string; readonly avatar: string };

export interface JsonFeedHub {
  readonly type: string;
  readonly url: string;
}

export interface JsonFeedAttachment {
  readonly url: string;
  readonly mime_type: string;
  readonly title?: string;
  readonly size_in_bytes?: number;
  readonly duration_in_seconds?: number;
}

interface JsonFeedItemBase {
  readonly id: string;
  readonly url?: string;
  readonly external_url?: string;
  readonly title?: string;
  readonly summary?: string;
  readonly image?: string;
  readonly banner_image?: string;
  /** RFC 3339. */
  readonly date_published?: string;
  /** RFC 3339. */
  readonly date_modified?: string;
  readonly authors?: readonly JsonFeedAuthor[];
  readonly tags?: readonly string[];
  readonly language?: string;
  readonly attachments?: readonly JsonFeedAttachment[];
}

/** The spec requires content_html or content_text (or both). */
export type JsonFeedItem<Ext extends object = object> = JsonFeedItemBase &
  ({ readonly content_html: string; readonly content_text?: string } | { readonly content_html?: string; readonly content_text: string }) &
  Ext;

export interface JsonFeed<ItemExt extends object = object> {
  readonly version: typeof JSON_FEED_VERSION;
  readonly title: string;
  readonly home_page_url?: string;
  readonly feed_url?: string;
  readonly description?: string;
  readonly user_comment?: string;
  readonly next_url?: string;
  readonly icon?: string;
  readonly favicon?: string;
  readonly authors?: readonly JsonFeedAuthor[];
  readonly language?: string;
  readonly expired?: boolean;
  readonly hubs?: readonly JsonFeedHub[];
  readonly items: readonly JsonFeedItem<ItemExt>[];
}

/**
 * Our item extension (the spec allows custom objects named `_<letter>…`):
 * the full topic records, which `tags` alone cannot carry.
 */
export interface TopicFeedsExtension {
  readonly _topic_feeds: {
    readonly topics: readonly { readonly slug: string; readonly name: string; readonly label: string; readonly url: string }[];
  };
}

export type TopicFeedsJsonFeed = JsonFeed<TopicFeedsExtension>;

/** Topic labels first, then the document's tags; deduplicated as they will be printed. */
function itemTags(doc: FeedDocument): string[] {
  return [...new Set([...doc.topics.map((t) => t.label), ...doc.tags].map(stripForbiddenChars))];
}

function toItem(view: FeedView, doc: FeedDocument): JsonFeedItem<TopicFeedsExtension> {
  return {
    // The spec's advice ("ideally the full URL") and the same value as the RSS guid and Atom id.
    id: doc.permalink,
    url: doc.permalink,
    ...(doc.externalUrl !== undefined && { external_url: doc.externalUrl }),
    title: doc.title,
    content_html: itemContentHtml(view, doc),
    ...(doc.summary !== undefined && { summary: doc.summary }),
    ...(doc.image !== undefined && { image: doc.image.url }),
    date_published: rfc3339(doc.publishedMs),
    date_modified: rfc3339(doc.updatedMs),
    ...(doc.authors.length > 0 && { authors: doc.authors.map((name) => ({ name })) }),
    tags: itemTags(doc),
    // The image again as an attachment, the one place JSON Feed gives its type and size.
    ...(doc.image !== undefined && {
      attachments: [
        {
          url: doc.image.url,
          mime_type: doc.image.mimeType,
          ...(doc.image.alt !== '' && { title: doc.image.alt }),
          ...(doc.image.bytes !== undefined && { size_in_bytes: doc.image.bytes }),
        },
      ],
    }),
    _topic_feeds: {
      topics: doc.topics.map((t) => ({ slug: t.slug, name: t.name, label: t.label, url: topicUrl(view, t.slug) })),
    },
  };
}

/** The feed's own members, in output order; `items` always comes last. */
function feedHead(view: FeedView): Omit<TopicFeedsJsonFeed, 'items'> {
  return {
    version: JSON_FEED_VERSION,
    title: view.title,
    home_page_url: view.homeUrl,
    feed_url: view.feedUrls.json,
    description: view.description,
    language: view.language,
    // Inherited by items without authors, as the Atom feed author is.
    authors: [{ name: view.publisher.name, url: view.publisher.url }],
    // JSON Feed pages backwards: next_url is the next older archive page.
    ...(view.history?.prevArchive !== undefined && { next_url: view.history.prevArchive.json }),
    ...(view.logoUrl !== undefined && { icon: view.logoUrl }),
    ...(view.iconUrl !== undefined && { favicon: view.iconUrl }),
    ...(view.hubs !== undefined && view.hubs.length > 0 && { hubs: view.hubs.map((url) => ({ type: 'WebSub', url })) }),
  };
}

export function toJsonFeed(view: FeedView): TopicFeedsJsonFeed {
  return { ...feedHead(view), items: view.items.map((doc) => toItem(view, doc)) };
}

/** Every string value drops the characters the XML formats drop. */
function stripStrings(_key: string, value: unknown): unknown {
  return typeof value === 'string' ? stripForbiddenChars(value) : value;
}

/**
 * `value` with `stripStrings` applied to every string in it, for a plain
 * tree of objects, arrays and primitives (what toItem makes). Stringified
 * without a replacer, an item prints the same text: V8 calls a replacer back
 * for every member (a quarter of the time of 10k items' texts went there).
 */
function stripTree<T>(value: T): T {
  if (typeof value === 'string') return stripForbiddenChars(value) as T;
  if (Array.isArray(value)) return value.map(stripTree) as T;
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) out[key] = stripTree(member);
  return out as T;
}

/** An item's members sit three levels deep: root > "items" > item. */
const ITEM_INDENT = '    ';

/**
 * One item as `JSON.stringify(feed, …, 2)` prints it inside `items`: its own
 * two-space text with every line moved in by ITEM_INDENT. JSON strings never
 * hold a raw line break, so every newline in the text is indentation.
 */
function itemText(view: FeedView, doc: FeedDocument): string {
  return ITEM_INDENT + JSON.stringify(stripTree(toItem(view, doc)), undefined, 2).replaceAll('\n', `\n${ITEM_INDENT}`);
}

function byteLength(bytes: Uint8Array): number {
  return bytes.byteLength;
}

/**
 * Two-space indented JSON with a final newline. Every string value drops the
 * same characters as the XML formats, so a field reads the same in all three
 * (and lone surrogates, which UTF-8 cannot encode, never reach the wire).
 */
export function renderJsonFeed(view: FeedView): string {
  return `${JSON.stringify(toJsonFeed(view), stripStrings, 2)}\n`;
}

/** `renderJsonFeed`'s UTF-8 as parts: cached item texts laid in as they are, not copied. */
export function renderJsonFeedParts(view: FeedView): ByteParts {
  const fragments = view.fragments;
  if (fragments === undefined || view.items.length === 0) return asParts(utf8(renderJsonFeed(view)));
  const settings = itemSettings(view);
  // The head ends with "\n}": the items member goes before that brace, as the last one.
  const head = JSON.stringify(feedHead(view), stripStrings, 2);
  const chunks: Chunk[] = [`${head.slice(0, -2)},\n  "items": [\n`];
  view.items.forEach((doc, i) => {
    if (i > 0) chunks.push(',\n');
    chunks.push(fragments.item(doc, 'json', settings, () => utf8(itemText(view, doc)), byteLength));
  });
  chunks.push('\n  ]\n}\n');
  return encodeChunks(chunks);
}
