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

interface AcceptRange {
  readonly type: string;
  readonly q: number;
}

function parseAccept(header: string): AcceptRange[] {
  const ranges: AcceptRange[] = [];
  for (const part of header.split(',').slice(0, 64)) {
    const [rawType, ...params] = part.split(';');
    const type = rawType?.trim().toLowerCase();
    if (!type) continue;
    let q = 1;
    for (const param of params) {
      const [name, value] = param.split('=');
      if (name?.trim().toLowerCase() === 'q') {
        const parsed = Number(value?.trim());
        q = Number.isFinite(parsed) ? Math.min(Math.max(parsed, 0), 1) : 0;
      }
    }
    ranges.push({ type, q });
  }
  return ranges;
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
  for (const range of parseAccept(accept)) {
    if (HTML_TYPES.has(range.type)) html = Math.max(html, range.q);
    else if (FEED_TYPES.has(range.type)) feed = Math.max(feed, range.q);
    else if (range.type === '*/*' || range.type === 'application/*') any = Math.max(any, range.q);
  }
  return html > Math.max(feed, any);
}
