import { sanitizedHtmlToText } from '../content/text.ts';

/**
 * Plain text -> HTML that displays exactly that text. Used where a format's
 * field is HTML but our value is plain text (the RSS item description), so a
 * summary such as "a <b> tag" shows its brackets instead of becoming markup.
 * The XML layer escapes the result again; that second escape is intended.
 */
export function plainTextToHtml(s: string): string {
  return s.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

/**
 * Plain text of sanitized HTML, cut at a word boundary: the RSS description
 * of an item whose document has no summary (validators want one before
 * content:encoded).
 */
export function htmlExcerpt(html: string, maxChars = 280): string {
  const text = sanitizedHtmlToText(html);
  if (text.length <= maxChars) return text;
  const cut = text.slice(0, maxChars);
  const boundary = cut.lastIndexOf(' ');
  return `${(boundary > maxChars / 2 ? cut.slice(0, boundary) : cut).trimEnd()}…`;
}

/** Whether plain text would read as markup to an HTML-sniffing consumer. */
export function looksLikeMarkup(s: string): boolean {
  return /<\/?[A-Za-z!]|&(?:#|[A-Za-z][A-Za-z0-9]*;)/.test(s);
}
