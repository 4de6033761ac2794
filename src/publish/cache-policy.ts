import type { SiteConfig } from '../config/config.ts';

export function feedCacheControl(site: SiteConfig): string {
  const shared = site.sharedMaxAge === undefined ? '' : `, s-maxage=${site.sharedMaxAge}`;
  return `public, max-age=${site.cacheMaxAge}${shared}, stale-while-revalidate=${site.staleWhileRevalidate}`;
}

/** Sealed archive pages never change. */
export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';
