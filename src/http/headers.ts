import { PREVIEW_VARY } from './negotiate.ts';

/** Headers every response carries. */
export const BASE_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
};

/** Browser-based readers and newsletter tools fetch feeds cross-origin. */
export const CORS_HEADERS: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'ETag, Last-Modified, Link',
};

export const PREFLIGHT_HEADERS: Readonly<Record<string, string>> = {
  ...CORS_HEADERS,
  'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
  'Access-Control-Allow-Headers': 'If-None-Match, If-Modified-Since',
  'Access-Control-Max-Age': '86400',
};

export const ALLOWED_METHODS = 'GET, HEAD, OPTIONS';

/**
 * Every representation may differ by the headers the preview choice reads
 * (feed URLs serve an HTML preview to a browser's navigation: Accept and the
 * Fetch Metadata headers) and by Accept-Encoding (the Node fast path sends
 * precompressed bytes); caches must key on all of them.
 */
export const FEED_VARY = `${PREVIEW_VARY}, Accept-Encoding`;
