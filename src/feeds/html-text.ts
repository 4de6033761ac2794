/**
 * Plain text -> HTML that displays exactly that text. Used where a format's
 * field is HTML but our value is plain text (the RSS item description), so a
 * summary such as "a <b> tag" shows its brackets instead of becoming markup.
 * The XML layer escapes the result again; that second escape is intended.
 */
export function plainTextToHtml(s: string): string {
  return s.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00A0', '#39': "'" };

/**
 * Plain text of sanitized HTML, cut at a word boundary: the RSS description
 * of an item whose document has no summary (validators want one before
 * content:encoded). Sanitized HTML is well-formed, so dropping tags is exact.
 */
export function htmlExcerpt(html: string, maxChars = 280): string {
  const text = html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+\d*|#39);/gi, (whole, name: string) => {
      if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
      if (name.startsWith('#') && name !== '#39') return String.fromCodePoint(Number(name.slice(1)));
      return NAMED_ENTITIES[name] ?? whole;
    })
    .replace(/\s+/g, ' ')
    .trim();
  if (text.length <= maxChars) return text;
  const cut = text.slice(0, maxChars);
  const boundary = cut.lastIndexOf(' ');
  return `${(boundary > maxChars / 2 ? cut.slice(0, boundary) : cut).trimEnd()}…`;
}

/** Whether plain text would read as markup to an HTML-sniffing consumer. */
export function looksLikeMarkup(s: string): boolean {
  return /<\/?[A-Za-z!]|&(?:#|[A-Za-z][A-Za-z0-9]*;)/.test(s);
}
