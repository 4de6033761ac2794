/**
 * Plain text -> HTML that displays exactly that text. Used where a format's
 * field is HTML but our value is plain text (the RSS item description), so a
 * summary such as "a <b> tag" shows its brackets instead of becoming markup.
 * The XML layer escapes the result again; that second escape is intended.
 */
export function plainTextToHtml(s: string): string {
  return s.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}
