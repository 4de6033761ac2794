import { sha256 } from '@noble/hashes/sha2.js';
import type { SiteConfig } from '../config/config.ts';
import type { FeedDocument } from '../content/document.ts';
import { escapeXmlAttr as escapeHtml } from '../feeds/xml.ts';
import { asParts, encodeChunks, utf8 } from '../feeds/bytes.ts';
import type { ByteParts, Chunk } from '../feeds/bytes.ts';
import type { FeedFormat, FeedView } from '../feeds/model.ts';
import type { TopicIndex, TopicSummary } from '../topics/topic-index.ts';
import type { SourceGroup } from '../topics/sources.ts';
import { MAX_FILTER_LENGTH, groupBySource, sourceOf } from '../topics/sources.ts';
import { faviconUrl, feedUrls, pathOf, siteIconUrl, sourcePageUrl, topicPageUrl } from './routes.ts';
import { feedTitle } from './feed-view.ts';

const STYLESHEET = `
:root{color-scheme:light dark;font-family:system-ui,-apple-system,"Segoe UI",sans-serif;line-height:1.5}
body{max-width:60rem;margin:0 auto;padding:1rem 1.25rem;color:#1a1a1a;background:#fff}
@media (prefers-color-scheme:dark){body{color:#eee;background:#121212}a{color:#8ab4f8}}
a{color:#0b57d0}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid #8884;vertical-align:top}
.feeds a{margin-right:.6rem}
li{margin:.5rem 0}
.meta{font-size:.9rem;color:inherit;opacity:.85}
.subscribe label{display:block;margin:.3rem 0}
.subscribe input{width:100%;max-width:40rem;font:inherit;padding:.2rem .4rem}
article.item{border-top:1px solid #8884;padding-top:.5rem;margin-top:1rem}
article.item img{max-width:100%;height:auto}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem}
form.filter{margin:1rem 0}
form.filter input,form.filter button{font:inherit;padding:.2rem .4rem}
`.trim();

const encoder = new TextEncoder();

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** A strict CSP: no script at all, and only this exact inline stylesheet (by hash). */
export const PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${base64(sha256(encoder.encode(STYLESHEET)))}'`,
  'img-src https: http:',
  "base-uri 'none'",
  // The topic filter on the index is a plain GET form to this site.
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const FORMAT_LABELS = [
  ['rss', 'RSS', 'application/rss+xml'],
  ['atom', 'Atom', 'application/atom+xml'],
  ['json', 'JSON Feed', 'application/feed+json'],
] as const;

function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function autodiscovery(title: string, urls: Record<'rss' | 'atom' | 'json', string>): string {
  return FORMAT_LABELS.map(
    ([format, label, type]) =>
      `<link rel="alternate" type="${type}" title="${escapeHtml(`${title} (${label})`)}" href="${escapeHtml(urls[format])}">`,
  ).join('\n');
}

function feedLinks(urls: Record<'rss' | 'atom' | 'json', string>): string {
  return FORMAT_LABELS.map(([format, label]) => `<a href="${escapeHtml(urls[format])}">${label}</a>`).join('');
}

function layout(site: SiteConfig, title: string, head: string, body: string): string {
  return `<!doctype html>
<html lang="${escapeHtml(site.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="${escapeHtml(site.iconUrl ?? faviconUrl(site))}">
<link rel="apple-touch-icon" href="${escapeHtml(siteIconUrl(site))}">
<title>${escapeHtml(title)}</title>
${head}
<style>${STYLESHEET}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

function itemList(documents: readonly FeedDocument[]): string {
  if (documents.length === 0) return '<p>No items yet.</p>';
  const items = documents.map((document) => {
    const source = document.externalUrl
      ? ` · <a href="${escapeHtml(document.externalUrl)}">${escapeHtml(document.publisher ?? 'original article')}</a>`
      : '';
    const summary = document.summary ? `<p>${escapeHtml(document.summary)}</p>` : '';
    return `<li><article><h3><a href="${escapeHtml(document.permalink)}">${escapeHtml(document.title)}</a></h3>
<p class="meta"><time datetime="${utcDay(document.publishedMs)}">${utcDay(document.publishedMs)}</time>${source}</p>${summary}</article></li>`;
  });
  return `<ol>\n${items.join('\n')}\n</ol>`;
}

/** Up to this many topics the index lists every topic itself; above it, it lists sources, each with its own page. */
export const INDEX_LIST_ALL_MAX = 200;

/** A filter page lists at most this many matching topics, and says how many more there are. */
export const FILTER_RESULTS_MAX = 200;

const TOPIC_TABLE_HEAD = '<thead><tr><th scope="col">Topic</th><th scope="col">Source category</th><th scope="col">Items</th><th scope="col">Last updated</th><th scope="col">Feeds</th></tr></thead>';

/**
 * One topic as a table row (under TOPIC_TABLE_HEAD): the one place a topic
 * row is rendered, for the index, the source pages and the filter results.
 * What a row shows must be in those pages' validators (live-catalog.ts).
 */
function topicRow(site: SiteConfig, topic: TopicRowView): string {
  return `<tr><th scope="row"><a href="${escapeHtml(topicPageUrl(site, topic.slug))}">${escapeHtml(topic.label)}</a>${subscriberNote(topic.subscribers)}</th>
<td>${escapeHtml(topic.name)}</td><td>${topic.count}</td><td><time datetime="${escapeHtml(topic.lastMod)}">${utcDay(topic.lastModMs)}</time></td>
<td class="feeds">${feedLinks(feedUrls(site, { kind: 'topic', slug: topic.slug }))}</td></tr>`;
}

/** A topic row's data; `subscribers`: the aggregator-reported total (Node, index only; docs/operations.md). */
type TopicRowView = TopicSummary & { readonly subscribers?: number | undefined };

function subscriberNote(subscribers: number | undefined): string {
  return subscribers === undefined || subscribers <= 0 ? '' : `<br><span class="meta">${subscribers === 1 ? '1 subscriber' : `${subscribers} subscribers`}</span>`;
}

function topicTable(site: SiteConfig, topics: readonly TopicRowView[]): string {
  return `<table>
${TOPIC_TABLE_HEAD}
<tbody>
${topics.map((topic) => topicRow(site, topic)).join('\n')}
</tbody>
</table>`;
}

function sourceTable(site: SiteConfig, groups: readonly SourceGroup[]): string {
  const rows = groups.map(
    (group) => `<tr><th scope="row"><a href="${escapeHtml(sourcePageUrl(site, group.slug))}">${escapeHtml(group.name)}</a></th><td>${group.topics.length}</td><td><time datetime="${new Date(group.lastModMs).toISOString()}">${utcDay(group.lastModMs)}</time></td></tr>`,
  );
  return `<table>
<thead><tr><th scope="col">Source</th><th scope="col">Topics</th><th scope="col">Last updated</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`;
}

/** The topic filter: a plain GET form to the index (`/?q=`), answered by the server; no script. */
function filterForm(site: SiteConfig, query = ''): string {
  return `<form class="filter" role="search" method="get" action="${escapeHtml(`${site.siteUrl}${pathOf('home')}`)}">
<label for="q">Filter topics by name</label> <input id="q" name="q" type="search" maxlength="${MAX_FILTER_LENGTH}" value="${escapeHtml(query)}"> <button type="submit">Filter</button>
</form>`;
}

/**
 * The index. Up to INDEX_LIST_ALL_MAX topics it lists every topic; above,
 * it lists the sources (each links its page of topics) and offers the
 * filter, so the page stays small and every topic is two clicks away.
 */
export function renderHomePage(site: SiteConfig, index: TopicIndex, newest: readonly FeedDocument[], subscribers?: ReadonlyMap<string, number>): string {
  const overall = feedUrls(site, { kind: 'all' });
  const topics = index.topicList;
  let listing: string;
  if (topics.length <= INDEX_LIST_ALL_MAX) {
    const rows = subscribers === undefined || subscribers.size === 0 ? topics : topics.map((topic) => ({ ...topic, subscribers: subscribers.get(topic.slug) }));
    listing = `<h2>Topics</h2>\n${topicTable(site, rows)}`;
  }
  else {
    const groups = groupBySource(topics);
    listing = `<h2>Topics by source</h2>
<p>${topics.length} topics from ${groups.length} sources. Pick a source to see its topics, or filter the topics by name.</p>
${filterForm(site)}
${sourceTable(site, groups)}`;
  }
  const body = `<header>
<h1>${escapeHtml(site.siteTitle)}</h1>
<p>${escapeHtml(site.siteDescription)}</p>
<p class="feeds">All topics: ${feedLinks(overall)} · <a href="${escapeHtml(`${site.siteUrl}${pathOf('topicsJson')}`)}">topics.json</a> · <a href="${escapeHtml(`${site.siteUrl}${pathOf('opml')}`)}">Subscribe to all topics (OPML)</a></p>
</header>
<main>
${listing}
<h2>Latest</h2>
${itemList(newest)}
</main>`;
  return layout(site, site.siteTitle, autodiscovery(site.siteTitle, overall), body);
}

export function renderTopicPage(site: SiteConfig, topic: TopicSummary, documents: readonly FeedDocument[]): string {
  const urls = feedUrls(site, { kind: 'topic', slug: topic.slug });
  const title = feedTitle(site, topic);
  const source = sourceOf(topic.name);
  const body = `<header>
<p><a href="${escapeHtml(`${site.siteUrl}/`)}">${escapeHtml(site.siteTitle)}</a> › <a href="${escapeHtml(sourcePageUrl(site, source.slug))}">${escapeHtml(source.name)}</a></p>
<h1>${escapeHtml(topic.label)}</h1>
<p>${escapeHtml(topic.name)} · ${topic.count} items</p>
<p class="feeds">Subscribe: ${feedLinks(urls)}</p>
</header>
<main>
<h2>Latest</h2>
${itemList(documents)}
</main>`;
  return layout(site, title, autodiscovery(title, urls), body);
}

/** One source's topics: the page the index links on large taxonomies. */
export function renderSourcePage(site: SiteConfig, group: SourceGroup): string {
  const body = `<header>
<p><a href="${escapeHtml(`${site.siteUrl}/`)}">${escapeHtml(site.siteTitle)}</a></p>
<h1>${escapeHtml(group.name)}</h1>
<p>${group.topics.length === 1 ? '1 topic' : `${group.topics.length} topics`} from this source.</p>
</header>
<main>
<h2>Topics</h2>
${topicTable(site, group.topics)}
</main>`;
  return layout(site, `${group.name} · ${site.siteTitle}`, '', body);
}

/**
 * Answer to `/?q=`: the topics matching `query` (already length-checked),
 * the first FILTER_RESULTS_MAX of them, with the form filled in again.
 */
export function renderFilterPage(site: SiteConfig, query: string, matches: readonly TopicSummary[]): string {
  const shown = matches.length > FILTER_RESULTS_MAX ? matches.slice(0, FILTER_RESULTS_MAX) : matches;
  const quoted = `“${escapeHtml(query)}”`;
  let summary: string;
  if (matches.length === 0) summary = `No topic matches ${quoted}.`;
  else if (matches.length === 1) summary = `1 topic matches ${quoted}.`;
  else summary = `${matches.length} topics match ${quoted}.`;
  if (shown.length < matches.length) summary += ` The first ${shown.length} are listed; add more of the name to narrow the list.`;
  const body = `<header>
<p><a href="${escapeHtml(`${site.siteUrl}/`)}">${escapeHtml(site.siteTitle)}</a></p>
<h1>Topics matching ${quoted}</h1>
</header>
<main>
${filterForm(site, query)}
<p>${summary}</p>
${shown.length > 0 ? `<h2>Matching topics</h2>\n${topicTable(site, shown)}\n` : ''}<p><a href="${escapeHtml(`${site.siteUrl}/`)}">All topics</a></p>
</main>`;
  return layout(site, `Topics matching “${query}” · ${site.siteTitle}`, '', body);
}

const FORMAT_NAMES: Readonly<Record<FeedFormat, string>> = { rss: 'RSS 2.0', atom: 'Atom 1.0', json: 'JSON Feed 1.1' };

function utcTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

/** One item of a feed preview; reads the document and the site's URL only, so it is made once per document (a fragment). */
function previewArticle(site: SiteConfig, document: FeedDocument): string {
  const topics = document.topics
    .map((topic) => `<a href="${escapeHtml(topicPageUrl(site, topic.slug))}">${escapeHtml(topic.label)}</a>`)
    .join(', ');
  const authors = document.authors.length > 0 ? ` · ${escapeHtml(document.authors.join(', '))}` : '';
  const source = document.externalUrl
    ? `<p><a href="${escapeHtml(document.externalUrl)}">Read the original${document.publisher ? ` on ${escapeHtml(document.publisher)}` : ''}</a></p>`
    : '';
  const image = document.image
    ? `<img src="${escapeHtml(document.image.url)}" alt="${escapeHtml(document.image.alt)}"${document.image.width !== undefined && document.image.height !== undefined ? ` width="${document.image.width}" height="${document.image.height}"` : ''} loading="lazy">`
    : '';
  return `<article class="item">
<h3><a href="${escapeHtml(document.permalink)}">${escapeHtml(document.title)}</a></h3>
<p class="meta">Published <time datetime="${new Date(document.publishedMs).toISOString()}">${utcDay(document.publishedMs)}</time> · updated <time datetime="${new Date(document.updatedMs).toISOString()}">${utcTimestamp(document.updatedMs)}</time>${authors}${topics ? ` · ${topics}` : ''}</p>
${image}
<div class="content">${document.contentHtml}</div>
${source}</article>`;
}

function byteLength(bytes: Uint8Array): number {
  return bytes.byteLength;
}

/**
 * The HTML a browser gets at a feed URL: the same items and sanitized content
 * as the feed, plus how to subscribe. No script (the CSP forbids it), so the
 * URLs sit in read-only fields a reader can select and copy.
 */
export function renderFeedPreview(site: SiteConfig, view: FeedView, format: FeedFormat): string {
  const items = view.items.map((document) => previewArticle(site, document));
  return previewPage(site, view, format, items.length > 0 ? items.join('\n') : '<p>No items.</p>');
}

/** Where the items go in a preview laid around fragments; the escaper drops NUL, so no text can hold it. */
const ITEMS_MARK = '\u0000items\u0000';

/** `renderFeedPreview`'s UTF-8 as parts: cached articles laid in as they are, not copied. */
export function renderFeedPreviewParts(site: SiteConfig, view: FeedView, format: FeedFormat): ByteParts {
  const fragments = view.fragments;
  if (fragments === undefined || view.items.length === 0) return asParts(utf8(renderFeedPreview(site, view, format)));
  const frame = previewPage(site, view, format, ITEMS_MARK);
  const at = frame.indexOf(ITEMS_MARK);
  if (at < 0 || frame.indexOf(ITEMS_MARK, at + 1) >= 0) throw new Error('preview frame must hold the items mark once');
  const chunks: Chunk[] = [frame.slice(0, at)];
  view.items.forEach((document, i) => {
    if (i > 0) chunks.push('\n');
    chunks.push(fragments.item(document, 'preview', site.siteUrl, () => utf8(previewArticle(site, document)), byteLength));
  });
  chunks.push(frame.slice(at + ITEMS_MARK.length));
  return encodeChunks(chunks);
}

function previewPage(site: SiteConfig, view: FeedView, format: FeedFormat, itemsHtml: string): string {
  const subscribe = FORMAT_LABELS.map(
    ([f, label]) =>
      `<label>${label}${f === format ? ' (this address)' : ''} <input type="text" readonly value="${escapeHtml(view.feedUrls[f])}"></label>`,
  ).join('\n');
  const body = `<a class="skip" href="#items">Skip to items</a>
<header>
<p><a href="${escapeHtml(`${site.siteUrl}/`)}">${escapeHtml(site.siteTitle)}</a></p>
<h1>${escapeHtml(view.title)}</h1>
<p>${escapeHtml(view.description)}</p>
</header>
<main>
<section class="subscribe" aria-labelledby="subscribe">
<h2 id="subscribe">How to subscribe</h2>
<p>This page is the ${FORMAT_NAMES[format]} feed, shown for a browser. Copy one of these addresses into your feed reader or newsletter tool:</p>
${subscribe}
<p>Or subscribe to every topic at once with the <a href="${escapeHtml(`${site.siteUrl}${pathOf('opml')}`)}">OPML list</a>.</p>
</section>
<section aria-labelledby="items">
<h2 id="items">Latest items</h2>
${itemsHtml}
</section>
</main>
<footer><p class="meta">Last updated <time datetime="${new Date(view.updatedMs).toISOString()}">${utcTimestamp(view.updatedMs)}</time>.</p></footer>`;
  return layout(site, view.title, autodiscovery(view.title, view.feedUrls), body);
}
