import type { SiteConfig } from '../config/config.ts';

export function feedCacheControl(site: SiteConfig): string {
  return `public, max-age=${site.cacheMaxAge}, stale-while-revalidate=${site.staleWhileRevalidate}`;
}
