import { sha256 } from '@noble/hashes/sha2.js';
import type { SiteConfig } from '../config/config.ts';
import type { FeedDocument } from '../content/document.ts';
import { escapeXmlAttr as escapeHtml } from '../feeds/xml.ts';
import type { FeedFormat, FeedView } from '../feeds/model.ts';
import type { TopicIndex, TopicSummary } from '../topics/topic-index.ts';
import { feedUrls, pathOf, topicPageUrl } from './routes.ts';
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
  "form-action 'none'",
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

export function renderHomePage(site: SiteConfig, index: TopicIndex, newest: readonly FeedDocument[]): string {
  const overall = feedUrls(site, { kind: 'all' });
  const rows = index.topicList.map(
    (topic) => `<tr><th scope="row"><a href="${escapeHtml(topicPageUrl(site, topic.slug))}">${escapeHtml(topic.label)}</a></th>
<td>${escapeHtml(topic.name)}</td><td>${topic.count}</td><td><time datetime="${escapeHtml(topic.lastMod)}">${utcDay(topic.lastModMs)}</time></td>
<td class="feeds">${feedLinks(feedUrls(site, { kind: 'topic', slug: topic.slug }))}</td></tr>`,
  );
  const body = `<header>
<h1>${escapeHtml(site.siteTitle)}</h1>
<p>${escapeHtml(site.siteDescription)}</p>
<p class="feeds">All topics: ${feedLinks(overall)} · <a href="${escapeHtml(`${site.siteUrl}${pathOf('topicsJson')}`)}">topics.json</a> · <a href="${escapeHtml(`${site.siteUrl}${pathOf('opml')}`)}">Subscribe to all topics (OPML)</a></p>
</header>
<main>
<h2>Topics</h2>
<table>
<thead><tr><th scope="col">Topic</th><th scope="col">Source category</th><th scope="col">Items</th><th scope="col">Last updated</th><th scope="col">Feeds</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
<h2>Latest</h2>
${itemList(newest)}
</main>`;
  return layout(site, site.siteTitle, autodiscovery(site.siteTitle, overall), body);
}

export function renderTopicPage(site: SiteConfig, topic: TopicSummary, documents: readonly FeedDocument[]): string {
  const urls = feedUrls(site, { kind: 'topic', slug: topic.slug });
  const title = feedTitle(site, topic);
  const body = `<header>
<p><a href="${escapeHtml(`${site.siteUrl}/`)}">${escapeHtml(site.siteTitle)}</a></p>
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

const FORMAT_NAMES: Readonly<Record<FeedFormat, string>> = { rss: 'RSS 2.0', atom: 'Atom 1.0', json: 'JSON Feed 1.1' };

function utcTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

/**
 * The HTML a browser gets at a feed URL: the same items and sanitized content
 * as the feed, plus how to subscribe. No script (the CSP forbids it), so the
 * URLs sit in read-only fields a reader can select and copy.
 */
export function renderFeedPreview(site: SiteConfig, view: FeedView, format: FeedFormat): string {
  const subscribe = FORMAT_LABELS.map(
    ([f, label]) =>
      `<label>${label}${f === format ? ' (this address)' : ''} <input type="text" readonly value="${escapeHtml(view.feedUrls[f])}"></label>`,
  ).join('\n');
  const items = view.items.map((document) => {
    const topics = document.topics
      .map((topic) => `<a href="${escapeHtml(topicPageUrl(site, topic.slug))}">${escapeHtml(topic.label)}</a>`)
      .join(', ');
    const authors = document.authors.length > 0 ? ` · ${escapeHtml(document.authors.join(', '))}` : '';
    const source = document.externalUrl
      ? `<p><a href="${escapeHtml(document.externalUrl)}">Read the original${document.publisher ? ` on ${escapeHtml(document.publisher)}` : ''}</a></p>`
      : '';
    const image = document.image
      ? `<img src="${escapeHtml(document.image.url)}" alt="${escapeHtml(document.image.alt)}" loading="lazy">`
      : '';
    return `<article class="item">
<h3><a href="${escapeHtml(document.permalink)}">${escapeHtml(document.title)}</a></h3>
<p class="meta">Published <time datetime="${new Date(document.publishedMs).toISOString()}">${utcDay(document.publishedMs)}</time> · updated <time datetime="${new Date(document.updatedMs).toISOString()}">${utcTimestamp(document.updatedMs)}</time>${authors}${topics ? ` · ${topics}` : ''}</p>
${image}
<div class="content">${document.contentHtml}</div>
${source}</article>`;
  });
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
${items.length > 0 ? items.join('\n') : '<p>No items.</p>'}
</section>
</main>
<footer><p class="meta">Last updated <time datetime="${new Date(view.updatedMs).toISOString()}">${utcTimestamp(view.updatedMs)}</time>.</p></footer>`;
  return layout(site, view.title, autodiscovery(view.title, view.feedUrls), body);
}
