/** Media types that mean "a feed" to us; `*\/*` counts for both sides. */
const FEED_TYPES = new Set([
  'application/rss+xml',
  'application/atom+xml',
  'application/feed+json',
  'application/json',
  'application/xml',
  'text/xml',
  'application/rdf+xml',
]);
const HTML_TYPES = new Set(['text/html', 'application/xhtml+xml']);

export interface WeightedValue {
  /** Lowercased media type, coding or other token. */
  readonly value: string;
  /** The `q` weight, clamped to 0..1 (1 when absent, 0 when unreadable). */
  readonly q: number;
}

/** An Accept-style list (`a, b;q=0.5`), as Accept and Accept-Encoding share it (RFC 9110 §12.4.2). */
export function parseWeightedList(header: string): WeightedValue[] {
  const values: WeightedValue[] = [];
  for (const part of header.split(',').slice(0, 64)) {
    const [raw, ...params] = part.split(';');
    const value = raw?.trim().toLowerCase();
    if (!value) continue;
    let q = 1;
    for (const param of params) {
      const [name, weight] = param.split('=');
      if (name?.trim().toLowerCase() === 'q') {
        const parsed = Number(weight?.trim());
        q = Number.isFinite(parsed) ? Math.min(Math.max(parsed, 0), 1) : 0;
      }
    }
    values.push({ value, q });
  }
  return values;
}

/**
 * True when the client explicitly prefers HTML to every feed type, as
 * browsers do (`text/html,…,application/xml;q=0.9,*\/*;q=0.8`). HTML must be
 * named: a bare `*\/*` (curl, most readers) gets the feed.
 */
export function prefersHtml(accept: string | null | undefined): boolean {
  if (!accept) return false;
  let html = 0;
  let feed = 0;
  let any = 0;
  for (const { value, q } of parseWeightedList(accept)) {
    if (HTML_TYPES.has(value)) html = Math.max(html, q);
    else if (FEED_TYPES.has(value)) feed = Math.max(feed, q);
    else if (value === '*/*' || value === 'application/*') any = Math.max(any, q);
  }
  return html > Math.max(feed, any);
}

/**
 * Every request header `wantsPreview` reads, in the order it reads them. A
 * response whose body depends on the choice must name all of them in `Vary`,
 * or a shared cache would hand a browser's HTML preview to a feed reader.
 */
export const PREVIEW_HEADERS = ['Accept', 'Sec-Fetch-Dest', 'Sec-Fetch-Mode'] as const;

/** `PREVIEW_HEADERS` as a `Vary` field value. */
export const PREVIEW_VARY = PREVIEW_HEADERS.join(', ');

/** The request headers the preview decision depends on (absent and null both mean "not sent"). */
export interface PreviewHeaders {
  readonly accept?: string | null;
  readonly secFetchDest?: string | null;
  readonly secFetchMode?: string | null;
}

/**
 * True only for a browser's top-level navigation that prefers HTML: a person
 * typing the feed URL or following a link to it.
 *
 * Accept alone is not enough. Fetchers copy a browser's Accept and User-Agent
 * to get past bot protection, and a reader that subscribed on that basis would
 * store our HTML page and break silently. Fetch Metadata headers are set by the
 * browser itself (scripts cannot forge them) and HTTP libraries do not send
 * them, so both must say "a document, by navigation". A client that omits
 * them, or any future client we do not recognise, gets the feed: a feed in a
 * browser tab is ugly, an HTML page in a feed reader is broken.
 *
 * Deliberately a feed, not a preview:
 * - `Sec-Fetch-Dest: iframe` / `frame` / `embed` / `object` (Chrome 80+ sends
 *   `Mode: navigate` with those): the URL is embedded in someone else's page,
 *   not opened by a person, and the feed is the representation that is always
 *   safe to return.
 * - `Sec-Fetch-Mode: nested-navigate` (Chrome 76–79 frames): same reason.
 * - `Sec-Fetch-Mode: cors` / `no-cors` / `same-origin` (fetch(), XHR,
 *   `<link>`, service workers): a script wants the data, even if it asked
 *   for text/html.
 * Values are compared exactly (after trimming): browsers send the lowercase
 * tokens of the Fetch Metadata spec and nothing else.
 */
export function wantsPreview(headers: PreviewHeaders): boolean {
  const accept = headers.accept;
  const dest = headers.secFetchDest;
  const mode = headers.secFetchMode;
  return dest?.trim() === 'document' && mode?.trim() === 'navigate' && prefersHtml(accept);
}
