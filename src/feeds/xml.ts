/**
 * The one XML escaping choke point. Every character of text or attribute value
 * that reaches RSS or Atom output passes through `escapeXmlText` or
 * `escapeXmlAttr`; renderers build an `XmlElement` tree and never concatenate
 * markup themselves. No CDATA anywhere: escaped text is always well-formed, so
 * there is no `]]>` splitting to get wrong.
 */

/**
 * Characters XML 1.0 forbids (C0 controls except tab/LF/CR, U+FFFE, U+FFFF,
 * lone surrogates) plus DEL, the C1 controls and U+FFFD (left by broken
 * encodings; the W3C validator flags it), which XML 1.0 merely
 * discourages but which are never meaningful in news text. With the `u` flag a
 * valid surrogate pair is one code point, so `[\uD800-\uDFFF]` only matches
 * lone halves.
 */
const FORBIDDEN = /[\0-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\uD800-\uDFFF\uFFFD\uFFFE\uFFFF]/gu;

/** Drops the characters above; everything else is kept as is. */
export function stripForbiddenChars(s: string): string {
  return s.replace(FORBIDDEN, '');
}

const TEXT_ESCAPES: Readonly<Record<string, string>> = {
  // Named references, not the hex ones the RSS Profile suggests: widely used
  // reader parsers (e.g. @rowanmanning/feed-parser) leave `&#x26;` undecoded.
  '&': '&amp;',
  '<': '&lt;',
  // `>` is escaped too, so `]]>` can never appear in character data.
  '>': '&gt;',
  // A raw CR would be normalized to LF by every parser; the reference survives.
  '\r': '&#13;',
};

const ATTR_ESCAPES: Readonly<Record<string, string>> = {
  ...TEXT_ESCAPES,
  '"': '&quot;',
  "'": '&apos;',
  // Attribute-value normalization turns raw tab/LF/CR into spaces.
  '\t': '&#9;',
  '\n': '&#10;',
};

const TEXT_SPECIAL = /[&<>\r]/g;
const ATTR_SPECIAL = /[&<>"'\t\n\r]/g;

export function escapeXmlText(s: string): string {
  return stripForbiddenChars(s).replace(TEXT_SPECIAL, (c) => TEXT_ESCAPES[c] ?? c);
}

export function escapeXmlAttr(s: string): string {
  return stripForbiddenChars(s).replace(ATTR_SPECIAL, (c) => ATTR_ESCAPES[c] ?? c);
}

/** Attribute values; `undefined` leaves the attribute out. Insertion order is output order. */
export type XmlAttrs = Readonly<Record<string, string | number | undefined>>;

/** `undefined`/`false` children are skipped, so optional elements read inline. */
export type XmlChild = XmlElement | undefined | false;

export interface XmlElement {
  /** Qualified name; always a literal from our own code, never data. */
  readonly name: string;
  readonly attrs: XmlAttrs;
  /** Text content (escaped on output). Mutually exclusive with children. */
  readonly text?: string;
  readonly children?: readonly XmlChild[];
}

/** `el('title', {type: 'text'}, 'A & B')` or `el('item', {}, [child, ...])`. */
export function el(name: string, attrs: XmlAttrs = {}, content?: string | readonly XmlChild[]): XmlElement {
  if (content === undefined) return { name, attrs };
  return typeof content === 'string' ? { name, attrs, text: content } : { name, attrs, children: content };
}

function serializeAttrs(attrs: XmlAttrs): string {
  let out = '';
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined) continue;
    out += ` ${key}="${escapeXmlAttr(String(value))}"`;
  }
  return out;
}

function serializeElement(node: XmlElement, indent: string, out: string[]): void {
  const open = `${indent}<${node.name}${serializeAttrs(node.attrs)}`;
  if (node.text !== undefined) {
    // Text is written exactly, never padded: whitespace inside is data.
    out.push(`${open}>${escapeXmlText(node.text)}</${node.name}>`);
    return;
  }
  const children = (node.children ?? []).filter((c): c is XmlElement => c !== undefined && c !== false);
  if (children.length === 0) {
    out.push(`${open}/>`);
    return;
  }
  out.push(`${open}>`);
  for (const child of children) serializeElement(child, `${indent}  `, out);
  out.push(`${indent}</${node.name}>`);
}

/** A whole UTF-8 document (no BOM), two-space indented, ending with a newline. */
export function renderXmlDocument(root: XmlElement): string {
  const out = ['<?xml version="1.0" encoding="utf-8"?>'];
  serializeElement(root, '', out);
  return `${out.join('\n')}\n`;
}
