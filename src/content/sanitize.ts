/**
 * The one sanitize call (and the only importer of sanitize-html). Everything
 * that becomes item HTML passes through `sanitizeContent` exactly once.
 */
import sanitizeHtml from 'sanitize-html';
import type { SafeHtml } from './document.ts';
import { stripXmlForbidden } from './text.ts';
import { resolveUrl } from './urls.ts';

const ALLOWED_TAGS = [
  'p', 'br', 'hr', 'h2', 'h3', 'h4', 'h5', 'h6',
  'strong', 'b', 'em', 'i', 'u', 's', 'sub', 'sup', 'small', 'mark', 'abbr', 'cite', 'q', 'code', 'pre', 'kbd',
  'blockquote', 'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'a', 'img', 'figure', 'figcaption',
  'table', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'caption', 'span', 'div',
];

// No style, class, id, on*, srcset: feed readers restyle content anyway.
const ALLOWED_ATTRIBUTES: Record<string, string[]> = {
  a: ['href', 'title'],
  img: ['src', 'alt', 'title', 'width', 'height'],
  th: ['colspan', 'rowspan', 'scope'],
  td: ['colspan', 'rowspan', 'scope'],
  abbr: ['title'],
  ol: ['start'],
  blockquote: ['cite'],
  q: ['cite'],
};

// Dropped together with everything inside them.
const DROP_WITH_CONTENTS = [
  'script', 'style', 'template', 'noscript', 'textarea', 'select', 'option', 'xmp',
  'object', 'embed', 'applet', 'form', 'input', 'button', 'svg', 'math', 'iframe', 'video', 'audio',
  'noembed', 'noframes',
];

const WEB = new Set(['http:', 'https:']);
const WEB_AND_MAIL = new Set(['http:', 'https:', 'mailto:']);

type Attributes = Record<string, string>;
type Transformed = { tagName: string; attribs: Attributes; text?: string };

/** Which schemes a URL-bearing attribute may end up with; others are removed. */
function schemesFor(tag: string, attribute: string): ReadonlySet<string> | undefined {
  if (attribute === 'href') return WEB_AND_MAIL;
  if (attribute === 'src' || attribute === 'cite') return WEB;
  if (attribute === 'data' && tag === 'object') return WEB;
  return undefined;
}

/**
 * Relative URLs become absolute against the item permalink so they work in a
 * reader. Protocol-relative `//host/x` is resolved too (it takes the
 * permalink's scheme) rather than dropped: authors mean the same resource.
 */
function absolutize(tag: string, attribs: Attributes, base: string): Attributes {
  const out: Attributes = {};
  for (const [name, value] of Object.entries(attribs)) {
    const schemes = schemesFor(tag, name);
    if (!schemes) {
      out[name] = value;
      continue;
    }
    const url = resolveUrl(value, base, schemes);
    if (url !== undefined) out[name] = url;
  }
  return out;
}

/**
 * iframe/embed/object/video/audio with an http(s) source -> a link to it. The
 * link text is the URL, except for iframes: sanitize-html re-sanitizes iframe
 * fallback markup separately (it would repeat a replacement text), so an
 * iframe's fallback becomes the link text and `fillEmptyLinks` covers none.
 */
function embedAsLink(base: string) {
  return (tagName: string, attribs: Attributes): Transformed => {
    const raw = attribs['src'] ?? (tagName === 'object' ? attribs['data'] : undefined);
    const url = raw === undefined ? undefined : resolveUrl(raw, base, WEB);
    // Unchanged name: still disallowed, so it is dropped with its contents.
    if (url === undefined) return { tagName, attribs: {} };
    if (tagName === 'iframe') return { tagName: 'a', attribs: { href: url } };
    return { tagName: 'a', attribs: { href: url }, text: url };
  };
}

/**
 * A link with no text is invisible in a reader; show its URL. Runs on our own
 * sanitized output, where an href value is already escaped and safe as text.
 */
function fillEmptyLinks(html: string): string {
  // Every empty link ends so; most bodies have none, and the search is far cheaper than the regex pass.
  if (!html.includes('"></a>')) return html;
  return html.replace(/<a href="([^"<>]*)"><\/a>/g, '<a href="$1">$1</a>');
}

/**
 * Sanitizes item HTML: allowlisted tags and attributes only, absolute
 * http(s)/mailto URLs only, balanced output (open tags are closed).
 * `baseUrl` is the item permalink that relative URLs resolve against.
 */
export function sanitizeContent(html: string, baseUrl: string): SafeHtml {
  const embed = embedAsLink(baseUrl);
  const clean = sanitizeHtml(html, {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: ALLOWED_ATTRIBUTES,
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['http', 'https'], blockquote: ['http', 'https'], q: ['http', 'https'] },
    allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    nonTextTags: DROP_WITH_CONTENTS,
    transformTags: {
      h1: (_tag: string, attribs: Attributes): Transformed => ({ tagName: 'h2', attribs }),
      iframe: embed,
      embed,
      object: embed,
      video: embed,
      audio: embed,
      '*': (tagName: string, attribs: Attributes): Transformed => ({
        tagName,
        attribs: absolutize(tagName, attribs, baseUrl),
      }),
    },
  });
  // Character references such as &#1; decode to code points XML cannot carry.
  return stripXmlForbidden(fillEmptyLinks(clean)) as SafeHtml;
}
