import type { SiteConfig } from '../config/config.ts';
import { CONTENT_TYPES } from '../feeds/render.ts';
import { FEED_FORMATS } from '../feeds/model.ts';
import { BASE_HEADERS, CORS_HEADERS, FEED_VARY } from './headers.ts';
import { FEED_FILE, ROUTES, ROUTE_NAMES, opmlFile, pathOf } from '../publish/routes.ts';
import { ICON_CACHE_CONTROL, MEDIA_CACHE_CONTROL, feedCacheControl } from '../publish/cache-policy.ts';
import { ICO_TYPE, PNG_TYPE } from '../publish/static-files.ts';
import { PAGE_CSP } from '../publish/pages.ts';

type Rule = readonly [pattern: string, headers: Readonly<Record<string, string>>];

/**
 * A `_headers` file (Cloudflare Pages / Workers Static Assets, Netlify) that
 * gives exported files the same content types and cache policy as the server.
 * Placeholders keep it to a dozen rules whatever the number of topics: hosts cap
 * the rule count.
 */
export function renderHeadersFile(site: SiteConfig): string {
  // Cache-Control is set per rule, never on /*: a host joins the values of a header that two matching rules set.
  const cache = { 'Cache-Control': feedCacheControl(site) };
  const rules: Rule[] = [['/*', BASE_HEADERS]];
  const page = { 'Content-Type': 'text/html; charset=utf-8', Vary: FEED_VARY, 'Content-Security-Policy': PAGE_CSP, ...cache };
  const fixed = ROUTE_NAMES.map((name) => ROUTES[name]).filter((route) => route.fixed);
  for (const format of FEED_FORMATS) {
    const file = FEED_FILE[format];
    const headers = { 'Content-Type': CONTENT_TYPES[format], Vary: FEED_VARY, ...CORS_HEADERS, ...cache };
    const feeds = fixed.filter((route) => route.formats).map((route) => route.pattern.replace(':file', file));
    for (const pattern of feeds) rules.push([pattern, headers]);
    // The exported HTML previews of the feeds (`rss.xml.html`).
    const previews = fixed.filter((route) => route.formats && route.preview).map((route) => route.pattern.replace(':file', file));
    for (const pattern of previews) rules.push([`${pattern}.html`, page]);
  }
  const opml = { 'Content-Type': 'text/x-opml; charset=utf-8', Vary: FEED_VARY, ...CORS_HEADERS, ...cache };
  for (const format of FEED_FORMATS) rules.push([`/${opmlFile(format)}`, opml]);
  const json = { 'Content-Type': 'application/json; charset=utf-8', Vary: FEED_VARY, ...CORS_HEADERS, ...cache };
  for (const route of fixed.filter((route) => route.kind === 'json')) rules.push([route.pattern, json]);
  for (const route of fixed.filter((route) => route.kind === 'html')) rules.push([route.pattern, page], [`${route.pattern}index.html`, page]);
  // Static files: the host takes the type from the name (local images are refused when name and bytes disagree).
  rules.push([pathOf('favicon'), { 'Content-Type': ICO_TYPE, ...CORS_HEADERS, 'Cache-Control': ICON_CACHE_CONTROL }]);
  rules.push([pathOf('appleTouchIcon'), { 'Content-Type': PNG_TYPE, ...CORS_HEADERS, 'Cache-Control': ICON_CACHE_CONTROL }]);
  if (site.localMedia) rules.push([ROUTES.media.pattern, { ...CORS_HEADERS, 'Cache-Control': MEDIA_CACHE_CONTROL }]);
  return rules.map(([pattern, headers]) => [pattern, ...Object.entries(headers).map(([k, v]) => `  ${k}: ${v}`)].join('\n')).join('\n') + '\n';
}
