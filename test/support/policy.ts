/**
 * The sanitization policy as the README states it, written out again here on
 * purpose (not imported from src/): a checker that shares the sanitizer's
 * tables would agree with any mistake in them. Stricter than findUnsafe
 * (test/support/html.ts): an allowlist of elements and attributes, and every
 * URL must be absolute http(s) (mailto for links).
 */
import { parseFragment } from 'parse5';
import type { DefaultTreeAdapterTypes } from 'parse5';
import { findUnsafe } from './html.ts';

type Node = DefaultTreeAdapterTypes.Node;

const HTML_NS = 'http://www.w3.org/1999/xhtml';

export const POLICY_ELEMENTS: ReadonlySet<string> = new Set([
  'p', 'br', 'hr', 'h2', 'h3', 'h4', 'h5', 'h6',
  'strong', 'b', 'em', 'i', 'u', 's', 'sub', 'sup', 'small', 'mark', 'abbr', 'cite', 'q', 'code', 'pre', 'kbd',
  'blockquote', 'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'a', 'img', 'figure', 'figcaption',
  'table', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'caption', 'span', 'div',
]);

export const POLICY_ATTRIBUTES: Readonly<Record<string, ReadonlySet<string>>> = {
  a: new Set(['href', 'title']),
  img: new Set(['src', 'alt', 'title', 'width', 'height']),
  th: new Set(['colspan', 'rowspan', 'scope']),
  td: new Set(['colspan', 'rowspan', 'scope']),
  abbr: new Set(['title']),
  ol: new Set(['start']),
  blockquote: new Set(['cite']),
  q: new Set(['cite']),
};

/** Which schemes each URL attribute may carry; the URL must also be absolute. */
const URL_SCHEMES: Readonly<Record<string, ReadonlySet<string>>> = {
  href: new Set(['http:', 'https:', 'mailto:']),
  src: new Set(['http:', 'https:']),
  cite: new Set(['http:', 'https:']),
};

function* walk(node: Node): Generator<Node> {
  yield node;
  if ('content' in node && node.nodeName === 'template') yield* walk(node.content);
  if ('childNodes' in node) for (const child of node.childNodes) yield* walk(child);
}

/** Why a URL attribute value breaks the policy, or undefined. */
function urlViolation(attribute: string, value: string): string | undefined {
  const schemes = URL_SCHEMES[attribute];
  if (!schemes) return undefined;
  // As a browser reads it: surrounding C0/space trimmed, tab/LF/CR dropped.
  const cleaned = value.replace(/^[\0-\x20]+|[\0-\x20]+$/g, '').replace(/[\t\n\r]/g, '');
  let url: URL;
  try {
    url = new URL(cleaned);
  } catch {
    return 'not an absolute URL';
  }
  if (!schemes.has(url.protocol)) return `${url.protocol} URL`;
  if (cleaned !== value) return 'URL with control characters or padding';
  return undefined;
}

/**
 * Every departure from the policy in an HTML fragment, parsed as a browser
 * would (entities decoded, markup fixed up). Empty when the fragment is clean.
 * Includes everything findUnsafe reports.
 */
export function policyViolations(html: string): string[] {
  const found = new Set(findUnsafe(html));
  for (const node of walk(parseFragment(html))) {
    if (!('tagName' in node)) {
      if (node.nodeName === '#comment') found.add('comment');
      continue;
    }
    const tag = node.tagName.toLowerCase();
    if (node.namespaceURI !== HTML_NS) found.add(`<${tag}> outside the HTML namespace`);
    if (!POLICY_ELEMENTS.has(tag)) found.add(`<${tag}> is not an allowed element`);
    const allowed = POLICY_ATTRIBUTES[tag];
    for (const attr of node.attrs) {
      const name = attr.prefix ? `${attr.prefix}:${attr.name}` : attr.name;
      if (!allowed?.has(name)) {
        found.add(`<${tag} ${name}> is not an allowed attribute`);
        continue;
      }
      const why = urlViolation(name, attr.value);
      if (why) found.add(`<${tag} ${name}=${JSON.stringify(attr.value)}>: ${why}`);
    }
  }
  return [...found];
}

/** True when a URL value (outside HTML) is an absolute http(s) URL with no space or control character. */
export function isAbsoluteWebUrl(value: string): boolean {
  if (/[\0-\x20\x7F-\x9F]/.test(value)) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
