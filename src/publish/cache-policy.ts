import type { SiteConfig } from '../config/config.ts';

export function feedCacheControl(site: SiteConfig): string {
  return `public, max-age=${site.cacheMaxAge}, stale-while-revalidate=${site.staleWhileRevalidate}`;
}

/** Sealed archive pages never change. */
export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';
