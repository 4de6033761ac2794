/**
 * HTML fragment checks for tests (XSS and round trips), parsed the way a
 * browser parses: parse5 decodes entities and fixes up markup before we look,
 * so `java&#x09;script:` or `<IMG ONERROR>` are seen as a browser sees them.
 */
import { parseFragment } from 'parse5';
import type { DefaultTreeAdapterTypes } from 'parse5';

type Node = DefaultTreeAdapterTypes.Node;
type Element = DefaultTreeAdapterTypes.Element;
export type HtmlFragment = DefaultTreeAdapterTypes.DocumentFragment;

export function parseHtmlFragment(html: string): HtmlFragment {
  return parseFragment(html);
}

function isElement(node: Node): node is Element {
  return 'tagName' in node;
}

/** Depth-first, document order; includes `<template>` content. */
function* walk(node: Node): Generator<Node> {
  yield node;
  if ('content' in node && node.nodeName === 'template') yield* walk(node.content);
  if ('childNodes' in node) for (const child of node.childNodes) yield* walk(child);
}

/** Text as a reader would display it (entities decoded, tags dropped). */
export function htmlTextContent(html: string): string {
  let text = '';
  for (const node of walk(parseHtmlFragment(html))) if (node.nodeName === '#text' && 'value' in node) text += node.value;
  return text;
}

export const DENIED_ELEMENTS: ReadonlySet<string> = new Set([
  'script', 'style', 'iframe', 'object', 'embed', 'form', 'input', 'button', 'base', 'meta', 'link',
  'svg', 'math', 'frame', 'frameset', 'applet', 'template', 'noscript',
]);

export const DENIED_ATTRIBUTES: ReadonlySet<string> = new Set(['style', 'srcdoc', 'formaction', 'srcset']);

/** Attributes a browser resolves as a URL (brief list plus a few legacy ones). */
export const URL_ATTRIBUTES: ReadonlySet<string> = new Set([
  'href', 'src', 'action', 'cite', 'background', 'poster', 'xlink:href',
  'data', 'ping', 'longdesc', 'lowsrc', 'dynsrc', 'codebase', 'manifest',
]);

const SAFE_SCHEMES: ReadonlySet<string> = new Set(['http', 'https', 'mailto']);

const HTML_NS = 'http://www.w3.org/1999/xhtml';

/**
 * Why a URL attribute value is unsafe, or undefined when it is fine. Follows
 * the WHATWG URL parser: leading/trailing C0 controls and spaces are trimmed
 * and tab/LF/CR removed anywhere before the scheme is read; `\` counts as `/`.
 * Scheme-less relative URLs are allowed; protocol-relative ones are not.
 */
export function unsafeUrlReason(value: string): string | undefined {
  const url = value.replace(/^[\0-\x20]+|[\0-\x20]+$/g, '').replace(/[\t\n\r]/g, '');
  if (/^[/\\]{2}/.test(url)) return 'protocol-relative URL';
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(url)?.[1]?.toLowerCase();
  if (scheme !== undefined && !SAFE_SCHEMES.has(scheme)) return `${scheme}: URL`;
  return undefined;
}

/** One line per unsafe element, attribute or URL found in `html`; empty when clean. */
export function findUnsafe(html: string): string[] {
  const found: string[] = [];
  for (const node of walk(parseHtmlFragment(html))) {
    if (!isElement(node)) continue;
    const tag = node.tagName.toLowerCase();
    if (DENIED_ELEMENTS.has(tag)) found.push(`<${tag}> element`);
    else if (node.namespaceURI !== HTML_NS) found.push(`<${tag}> in foreign namespace ${node.namespaceURI}`);
    for (const attr of node.attrs) {
      const name = (attr.prefix ? `${attr.prefix}:${attr.name}` : attr.name).toLowerCase();
      if (name.startsWith('on')) found.push(`<${tag} ${name}> event handler`);
      else if (DENIED_ATTRIBUTES.has(name)) found.push(`<${tag} ${name}> attribute`);
      else if (URL_ATTRIBUTES.has(name)) {
        const reason = unsafeUrlReason(attr.value);
        if (reason) found.push(`<${tag} ${name}=${JSON.stringify(attr.value)}> ${reason}`);
      }
    }
  }
  return found;
}
