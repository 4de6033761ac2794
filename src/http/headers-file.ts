import type { SiteConfig } from '../config/config.ts';
import { CONTENT_TYPES } from '../feeds/index.ts';
import { FEED_FORMATS } from '../feeds/model.ts';
import { BASE_HEADERS, CORS_HEADERS, FEED_VARY } from './headers.ts';
import { FEED_FILE } from '../topics/urls.ts';
import { feedCacheControl } from '../publish/cache-policy.ts';
import { PAGE_CSP } from '../publish/pages.ts';

type Rule = readonly [pattern: string, headers: Readonly<Record<string, string>>];

/**
 * A `_headers` file (Cloudflare Pages / Workers Static Assets, Netlify) that
 * gives exported files the same content types and cache policy as the server.
 * Placeholders keep it to a dozen rules whatever the number of topics: hosts cap
 * the rule count.
 */
export function renderHeadersFile(site: SiteConfig): string {
  const common = { ...BASE_HEADERS, 'Cache-Control': feedCacheControl(site) };
  const rules: Rule[] = [['/*', common]];
  const page = { 'Content-Type': 'text/html; charset=utf-8', Vary: FEED_VARY, 'Content-Security-Policy': PAGE_CSP };
  for (const format of FEED_FORMATS) {
    const file = FEED_FILE[format];
    const headers = { 'Content-Type': CONTENT_TYPES[format], Vary: FEED_VARY, ...CORS_HEADERS };
    for (const folder of ['/', '/topic/:slug/', '/archive/:page/', '/topic/:slug/archive/:page/']) rules.push([`${folder}${file}`, headers]);
    // The exported HTML previews of the feeds (`rss.xml.html`).
    rules.push([`/${file}.html`, page], [`/topic/:slug/${file}.html`, page]);
  }
  const opml = { 'Content-Type': 'text/x-opml; charset=utf-8', Vary: FEED_VARY, ...CORS_HEADERS };
  rules.push(['/opml.xml', opml], ['/opml-atom.xml', opml], ['/opml-json.xml', opml]);
  rules.push(['/topics.json', { 'Content-Type': 'application/json; charset=utf-8', Vary: FEED_VARY, ...CORS_HEADERS }]);
  rules.push(['/', page], ['/index.html', page], ['/topic/:slug/', page], ['/topic/:slug/index.html', page]);
  return rules.map(([pattern, headers]) => [pattern, ...Object.entries(headers).map(([k, v]) => `  ${k}: ${v}`)].join('\n')).join('\n') + '\n';
}
