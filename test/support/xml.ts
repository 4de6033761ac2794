/**
 * A strict XML reader for tests: saxes with namespaces, where any
 * well-formedness or namespace error throws, plus a tiny DOM to query.
 * Stricter than XML 1.0 on purpose, for our own output:
 *  - a leading BOM is rejected (we serve UTF-8 without one; a BOM that
 *    disagrees with the Content-Type charset confuses some readers);
 *  - DOCTYPE is rejected (feeds need no DTD; entity tricks live there);
 *  - DEL and C1 controls, which XML 1.0 only discourages, are rejected
 *    because our escaper strips them.
 * Characters XML 1.0 forbids (C0 controls, U+FFFE/U+FFFF, lone surrogates)
 * make saxes itself throw.
 */
import { SaxesParser } from 'saxes';

export interface XmlNode {
  /** Qualified name as written, e.g. `dc:creator`. */
  readonly qname: string;
  readonly local: string;
  /** Namespace URI ('' when none). */
  readonly uri: string;
  /** Attribute values by qualified name, e.g. `href`, `xml:lang`. */
  readonly attrs: Readonly<Record<string, string>>;
  /** Attribute values by `{uri}local` (or `local` without a namespace). */
  readonly attrsNs: Readonly<Record<string, string>>;
  readonly children: readonly (XmlNode | string)[];
}

export interface StrictXmlOptions {
  readonly allowBom?: boolean;
}

interface MutableNode extends XmlNode {
  readonly children: (XmlNode | string)[];
}

const DISCOURAGED = /[\x7F-\x9F]/;

export function parseXmlStrict(xml: string, options: StrictXmlOptions = {}): XmlNode {
  if (!options.allowBom && xml.charCodeAt(0) === 0xfeff) throw new Error('XML starts with a byte order mark');
  const bad = DISCOURAGED.exec(xml);
  if (bad) throw new Error(`XML contains control character U+${bad[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${bad.index}`);

  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: MutableNode[] = [];
  let root: MutableNode | undefined;

  parser.on('error', (err) => {
    throw err;
  });
  parser.on('doctype', () => {
    throw new Error('DOCTYPE is not allowed');
  });
  parser.on('opentag', (tag) => {
    const attrs: Record<string, string> = {};
    const attrsNs: Record<string, string> = {};
    for (const a of Object.values(tag.attributes)) {
      attrs[a.name] = a.value;
      attrsNs[a.uri ? `{${a.uri}}${a.local}` : a.local] = a.value;
    }
    const node: MutableNode = { qname: tag.name, local: tag.local, uri: tag.uri, attrs, attrsNs, children: [] };
    const parent = stack.at(-1);
    if (parent) parent.children.push(node);
    else root = node;
    stack.push(node);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  parser.on('text', (text) => {
    stack.at(-1)?.children.push(text);
  });
  parser.on('cdata', (text) => {
    stack.at(-1)?.children.push(text);
  });
  parser.write(xml).close();
  if (!root) throw new Error('XML has no root element');
  return root;
}

/** All text below a node, concatenated exactly (no trimming). */
export function textOf(node: XmlNode): string {
  return node.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('');
}

/** Direct element children with this namespace URI and local name. */
export function childrenNamed(node: XmlNode, uri: string, local: string): XmlNode[] {
  return node.children.filter((c): c is XmlNode => typeof c !== 'string' && c.uri === uri && c.local === local);
}

/** The single child with this name; throws when there are none or several. */
export function onlyChild(node: XmlNode, uri: string, local: string): XmlNode {
  const found = childrenNamed(node, uri, local);
  const first = found[0];
  if (found.length !== 1 || !first) {
    throw new Error(`expected one {${uri}}${local} in <${node.qname}>, found ${found.length}`);
  }
  return first;
}

/** Text of the single child with this name, or undefined when absent. */
export function childText(node: XmlNode, uri: string, local: string): string | undefined {
  const found = childrenNamed(node, uri, local);
  if (found.length > 1) throw new Error(`expected at most one {${uri}}${local} in <${node.qname}>`);
  const first = found[0];
  return first ? textOf(first) : undefined;
}

/** Element children in document order (whitespace text skipped). */
export function elementChildren(node: XmlNode): XmlNode[] {
  return node.children.filter((c): c is XmlNode => typeof c !== 'string');
}
