import type { SiteConfig } from '../config/config.ts';
import { CONTENT_TYPES } from '../feeds/render.ts';
import { FEED_FORMATS } from '../feeds/model.ts';
import { BASE_HEADERS, CORS_HEADERS, FEED_VARY } from './headers.ts';
import { FEED_FILE, ROUTES, ROUTE_NAMES, opmlFile } from '../publish/routes.ts';
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
  const fixed = ROUTE_NAMES.map((name) => ROUTES[name]).filter((route) => route.fixed);
  for (const format of FEED_FORMATS) {
    const file = FEED_FILE[format];
    const headers = { 'Content-Type': CONTENT_TYPES[format], Vary: FEED_VARY, ...CORS_HEADERS };
    const feeds = fixed.filter((route) => route.formats).map((route) => route.pattern.replace(':file', file));
    for (const pattern of feeds) rules.push([pattern, headers]);
    // The exported HTML previews of the feeds (`rss.xml.html`).
    const previews = fixed.filter((route) => route.formats && route.preview).map((route) => route.pattern.replace(':file', file));
    for (const pattern of previews) rules.push([`${pattern}.html`, page]);
  }
  const opml = { 'Content-Type': 'text/x-opml; charset=utf-8', Vary: FEED_VARY, ...CORS_HEADERS };
  for (const format of FEED_FORMATS) rules.push([`/${opmlFile(format)}`, opml]);
  const json = { 'Content-Type': 'application/json; charset=utf-8', Vary: FEED_VARY, ...CORS_HEADERS };
  for (const route of fixed.filter((route) => route.kind === 'json')) rules.push([route.pattern, json]);
  for (const route of fixed.filter((route) => route.kind === 'html')) rules.push([route.pattern, page], [`${route.pattern}index.html`, page]);
  return rules.map(([pattern, headers]) => [pattern, ...Object.entries(headers).map(([k, v]) => `  ${k}: ${v}`)].join('\n')).join('\n') + '\n';
}
