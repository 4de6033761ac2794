import type { SiteConfig } from '../config/config.ts';

export function feedCacheControl(site: SiteConfig): string {
  const shared = site.sharedMaxAge === undefined ? '' : `, s-maxage=${site.sharedMaxAge}`;
  return `public, max-age=${site.cacheMaxAge}${shared}, stale-while-revalidate=${site.staleWhileRevalidate}`;
}

/** Sealed archive pages never change. */
export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';

/**
 * Images beside the documents keep their URL when their bytes change (the URL
 * is their path), so they are not immutable: a day fresh, then revalidated
 * with the ETag (a 304), in the background for a week.
 */
export const MEDIA_CACHE_CONTROL = 'public, max-age=86400, stale-while-revalidate=604800';

/** The site icon's URLs are fixed by convention and it rarely changes: a week fresh, then revalidated. */
export const ICON_CACHE_CONTROL = 'public, max-age=604800, stale-while-revalidate=604800';
