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
