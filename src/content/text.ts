/**
 * Plain-text hygiene shared by every field. XML 1.0 cannot carry some code
 * points at all (not even as character references), and every string we emit
 * ends up in RSS/Atom, so they are removed at the boundary.
 */

// C0 controls except \t \n \r, U+FFFE/U+FFFF, and unpaired surrogate halves.
const XML_FORBIDDEN =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

// The above plus DEL and the C1 controls: legal in XML 1.0 but never meaningful
// in our content, and the XML escaper drops them, so keeping them here would
// make JSON Feed text differ from RSS/Atom text.
const UNWANTED =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Removes exactly the code points XML 1.0 forbids; everything else is kept. */
export function stripXmlForbidden(s: string): string {
  return s.replace(XML_FORBIDDEN, '');
}

/** `\r\n` and lone `\r` become `\n`, as an XML parser would read them anyway. */
export function normalizeNewlines(s: string): string {
  return s.replace(/\r\n?/g, '\n');
}

/** Removes leading byte order marks (all of them, so cleaning twice changes nothing). */
export function stripBom(s: string): string {
  return s.replace(/^\uFEFF+/, '');
}

/** Forbidden and C1 control code points removed; the count lets callers report it. */
export function stripUnwanted(s: string): { text: string; removed: number } {
  const text = s.replace(UNWANTED, '');
  return { text, removed: s.length - text.length };
}

/** BOM and unwanted code points removed, newlines normalized. Idempotent. */
export function cleanText(s: string): string {
  return stripUnwanted(normalizeNewlines(stripBom(s))).text;
}

/**
 * One line of plain text: cleaned, U+FFFD dropped, every whitespace run (incl.
 * NBSP and BOM) one space, trimmed. The feed escaper drops U+FFFD too; doing
 * it here, before the collapse, keeps the text identical in every format.
 */
export function plainText(s: string): string {
  return cleanText(s).replace(/\uFFFD/g, '').replace(/\s+/g, ' ').trim();
}

/** Escapes text for an HTML text node or a double-quoted attribute value. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const BLOCK_TAG = /^<\/?(?:p|div|br|hr|h[1-6]|li|ul|ol|dl|dt|dd|tr|td|th|table|blockquote|pre|figure|figcaption|caption|section)\b/i;

/**
 * Text of already-sanitized HTML (well-formed, attribute values escaped), used
 * to read the body, e.g. to tell whether a cut description ends mid-word.
 */
export function sanitizedHtmlToText(html: string): string {
  const text = html
    .replace(/<[^<>]*>/g, (tag) => (BLOCK_TAG.test(tag) ? ' ' : ''))
    .replace(/&(amp|lt|gt|quot|#39|#x27|nbsp);/g, (_m, name: string) => ENTITY[name] ?? '');
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * The text of `html`'s head: `html` cut just after the first `>` at or past
 * `minChars` (or whole, `whole: true`, when there is no such `>`). A cut
 * after a `>` splits no tag and no entity, so the text is a prefix of
 * `sanitizedHtmlToText(html)`: a reader that finds what it needs early
 * (excerpt.ts) skips the rest of a long body.
 */
export function sanitizedHtmlHeadText(html: string, minChars: number): { readonly text: string; readonly whole: boolean } {
  const close = minChars >= html.length ? -1 : html.indexOf('>', minChars);
  if (close === -1 || close === html.length - 1) return { text: sanitizedHtmlToText(html), whole: true };
  return { text: sanitizedHtmlToText(html.slice(0, close + 1)), whole: false };
}

const ENTITY: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  '#39': "'",
  '#x27': "'",
  nbsp: ' ',
};
