/**
 * The one XML escaping choke point. Every character of text or attribute value
 * that reaches RSS or Atom output passes through `escapeXmlText` or
 * `escapeXmlAttr`; renderers build an `XmlElement` tree and never concatenate
 * markup themselves. No CDATA anywhere: escaped text is always well-formed, so
 * there is no `]]>` splitting to get wrong.
 */
import { encodeChunks, utf8 } from './bytes.ts';
import type { ByteParts, Chunk } from './bytes.ts';

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

// Set by XmlFragment's static block: the only ways to make one and to read one back.
let makeFragment: (node: XmlElement, depth: number) => XmlFragment;
let fragmentBytes: (fragment: XmlFragment, indent: string) => Uint8Array;

const utf8Decoder = new TextDecoder();

/**
 * An element already serialized by this module (`serializeFragment`) at a
 * fixed depth, as UTF-8: an item rendered once and laid into every feed that
 * shows it. Only this module makes them, so every byte in one still went
 * through the escaper; a fragment laid at another depth than it was made for
 * throws instead of printing different indentation.
 */
export class XmlFragment {
  readonly #bytes: Uint8Array;
  readonly #indent: string;
  private constructor(bytes: Uint8Array, indent: string) {
    this.#bytes = bytes;
    this.#indent = indent;
  }

  /** Bytes held (what a cache of fragments counts). */
  get byteLength(): number {
    return this.#bytes.byteLength;
  }

  static #make(node: XmlElement, depth: number): XmlFragment {
    const indent = '  '.repeat(depth);
    const out: SerializedLine[] = [];
    serializeElement(node, indent, out);
    return new XmlFragment(utf8(out.join('\n')), indent);
  }

  static #bytesAt(fragment: XmlFragment, indent: string): Uint8Array {
    if (fragment.#indent !== indent) throw new Error('XML fragment laid at another depth than it was serialized for');
    return fragment.#bytes;
  }

  static {
    makeFragment = (node, depth) => XmlFragment.#make(node, depth);
    fragmentBytes = (fragment, indent) => XmlFragment.#bytesAt(fragment, indent);
  }
}

/**
 * `node` serialized as it prints `depth` levels below the document root
 * (two spaces a level), byte for byte what `renderXmlDocument` writes there.
 */
export function serializeFragment(node: XmlElement, depth: number): XmlFragment {
  return makeFragment(node, depth);
}

/** A line of output, or a fragment's lines already encoded. */
type SerializedLine = string | Uint8Array;

/** `undefined`/`false` children are skipped, so optional elements read inline. */
export type XmlChild = XmlElement | XmlFragment | undefined | false;

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

function serializeElement(node: XmlElement, indent: string, out: SerializedLine[]): void {
  const open = `${indent}<${node.name}${serializeAttrs(node.attrs)}`;
  if (node.text !== undefined) {
    // Text is written exactly, never padded: whitespace inside is data.
    out.push(`${open}>${escapeXmlText(node.text)}</${node.name}>`);
    return;
  }
  const children = (node.children ?? []).filter((c): c is XmlElement | XmlFragment => c !== undefined && c !== false);
  if (children.length === 0) {
    out.push(`${open}/>`);
    return;
  }
  out.push(`${open}>`);
  const inner = `${indent}  `;
  for (const child of children) {
    if (child instanceof XmlFragment) out.push(fragmentBytes(child, inner));
    else serializeElement(child, inner, out);
  }
  out.push(`${indent}</${node.name}>`);
}

/** A whole UTF-8 document (no BOM), two-space indented, ending with a newline. */
export function renderXmlDocument(root: XmlElement): string {
  const out: SerializedLine[] = ['<?xml version="1.0" encoding="utf-8"?>'];
  serializeElement(root, '', out);
  const lines = out.map((line) => (typeof line === 'string' ? line : utf8Decoder.decode(line)));
  return `${lines.join('\n')}\n`;
}

/**
 * `renderXmlDocument`'s UTF-8 as parts: fragments laid in as they are (not
 * copied), the lines between them encoded once.
 */
export function renderXmlDocumentParts(root: XmlElement): ByteParts {
  const out: SerializedLine[] = ['<?xml version="1.0" encoding="utf-8"?>'];
  serializeElement(root, '', out);
  const chunks: Chunk[] = [];
  // Lines are joined by "\n" and end with one; a fragment is a run of lines already joined.
  let pending: string[] = [];
  for (const line of out) {
    if (typeof line === 'string') {
      pending.push(line);
      continue;
    }
    pending.push('');
    chunks.push(pending.join('\n'));
    chunks.push(line);
    pending = [''];
  }
  chunks.push(`${pending.join('\n')}\n`);
  return encodeChunks(chunks);
}
