/**
 * A fast path for the front matter our curation system writes: block maps
 * and lists, plain and quoted one-line scalars, `>-`/`|` blocks. js-yaml
 * spends ~0.2 ms per document on it, most of a cold start; this reads the
 * same subset in a fraction of that. Anything outside the subset (comments,
 * anchors, flow collections, multi-line scalars, duplicate keys, tabs…) is
 * not guessed at: the caller falls back to splitFrontMatter, so results and
 * problems are exactly those of gray-matter + js-yaml (test/content/fast-front-matter.test.ts checks it
 * over the corpus and with generated YAML).
 */
import yaml from 'js-yaml';
import type { SplitSource } from './front-matter.ts';
import { splitFrontMatter } from './front-matter.ts';
import type { ProblemLog } from './problems.ts';

/** Thrown inside the parser when the input leaves the subset. */
class OutsideSubset extends Error {}
const bail = (): never => {
  throw new OutsideSubset();
};

interface ImplicitType {
  resolve(data: string): boolean;
  construct(data: string): unknown;
}

// The schema's own resolvers, so `012`, `0x1F`, `1:20`, `.inf`, `~` read exactly as js-yaml reads them.
const IMPLICIT = (yaml.CORE_SCHEMA as unknown as { compiledImplicit: readonly ImplicitType[] }).compiledImplicit;
// A plain scalar starting with any other character can only be a string.
const MAYBE_TYPED = /^[-+.~0-9nNtTfF]/;

function resolvePlain(text: string): unknown {
  if (text === 'null') return null;
  if (!MAYBE_TYPED.test(text)) return text;
  for (const type of IMPLICIT) if (type.resolve(text)) return type.construct(text);
  return text;
}

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const INDICATOR = /^[[\]{},#&*!|>%@`'"?:]/;

/** The block's lines as parallel arrays (fewer allocations than one object per line). */
interface Lines {
  readonly indents: number[];
  /** Text after the indentation; '' for a blank line. */
  readonly texts: string[];
}

interface Line {
  readonly indent: number;
  readonly text: string;
}

function trimSpaces(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) === 32) start += 1;
  while (end > start && s.charCodeAt(end - 1) === 32) end -= 1;
  return s.slice(start, end);
}

class SubsetParser {
  private i = 0;
  private readonly indents: number[];
  private readonly texts: string[];

  constructor(lines: Lines) {
    this.indents = lines.indents;
    this.texts = lines.texts;
  }

  parseDocument(): Record<string, unknown> {
    this.skipBlank();
    const first = this.skipBlank();
    if (!first || first.indent !== 0 || isSequenceItem(first.text)) bail();
    const map = this.parseMapping(0);
    if (this.skipBlank()) bail();
    return map;
  }

  private skipBlank(): Line | undefined {
    const texts = this.texts;
    while (this.i < texts.length && texts[this.i] === '') this.i += 1;
    return this.i < texts.length ? { indent: this.indents[this.i]!, text: texts[this.i]! } : undefined;
  }

  private parseNode(indent: number): unknown {
    return isSequenceItem(this.texts[this.i]!) ? this.parseSequence(indent) : this.parseMapping(indent);
  }

  private parseMapping(indent: number): Record<string, unknown> {
    const map: Record<string, unknown> = {};
    for (let line = this.skipBlank(); line && line.indent >= indent; line = this.skipBlank()) {
      if (line.indent > indent || isSequenceItem(line.text)) bail();
      const colon = keyEnd(line.text);
      const key = line.text.slice(0, colon);
      if (!KEY.test(key) || key === '__proto__' || resolvePlain(key) !== key || Object.hasOwn(map, key)) bail();
      const rest = trimSpaces(line.text.slice(colon + 1));
      map[key] = this.parseValue(rest, indent, true);
    }
    return map;
  }

  private parseSequence(indent: number): unknown[] {
    const items: unknown[] = [];
    for (let line = this.skipBlank(); line && line.indent >= indent; line = this.skipBlank()) {
      if (line.indent > indent) bail();
      if (!isSequenceItem(line.text)) break;
      const after = line.text.slice(1);
      const rest = trimSpaces(after);
      if (isSequenceItem(rest)) bail();
      if (rest !== '' && hasKey(rest)) {
        // `- key: value`: a map whose keys line up with `key`.
        const column = indent + 1 + (after.length - after.trimStart().length);
        this.indents[this.i] = column;
        this.texts[this.i] = rest;
        items.push(this.parseMapping(column));
      } else {
        items.push(this.parseValue(rest, indent, false));
      }
    }
    return items;
  }

  /**
   * The value after `key:` or `-` on the current line; consumes that line and
   * any block below. Only a map value may be a list at the key's own indentation.
   */
  private parseValue(rest: string, indent: number, inMap: boolean): unknown {
    this.i += 1;
    if (rest === '') {
      const next = this.skipBlank();
      if (next && next.indent > indent) return this.parseNode(next.indent);
      if (inMap && next && next.indent === indent && isSequenceItem(next.text)) return this.parseSequence(indent);
      return null;
    }
    if (rest[0] === '|' || rest[0] === '>') return this.blockScalar(rest, indent);
    const value = inlineScalar(rest);
    // A more-indented line below a scalar continues it (multi-line scalar): not in the subset.
    const next = this.skipBlank();
    if (next && next.indent > indent) bail();
    return value;
  }

  /** `>`, `>-`, `|`, `|-` with one indentation and no blank or more-indented lines. */
  private blockScalar(header: string, indent: number): string {
    if (!/^[|>]-?$/.test(header)) bail();
    const content: string[] = [];
    let blockIndent = -1;
    let blankInside = false;
    while (this.i < this.texts.length) {
      const text = this.texts[this.i]!;
      const lineIndent = this.indents[this.i]!;
      if (text === '') {
        if (content.length > 0) blankInside = true;
        this.i += 1;
        continue;
      }
      if (lineIndent <= indent) break;
      if (blockIndent === -1) blockIndent = lineIndent;
      if (lineIndent !== blockIndent || blankInside) bail();
      content.push(text);
      this.i += 1;
    }
    if (content.length === 0) bail();
    const joined = content.join(header[0] === '>' ? ' ' : '\n');
    return header.endsWith('-') ? joined : `${joined}\n`;
  }
}

function isSequenceItem(text: string): boolean {
  return text === '-' || text.startsWith('- ');
}

/** Index of the `:` that ends a block-map key (followed by a space or the line end). */
function keyEnd(text: string): number {
  const at = text.indexOf(':');
  if (at <= 0 || (at + 1 < text.length && text[at + 1] !== ' ')) bail();
  return at;
}

function hasKey(text: string): boolean {
  if (text[0] === "'" || text[0] === '"') return false;
  const at = text.indexOf(':');
  return at > 0 && (at + 1 === text.length || text[at + 1] === ' ');
}

function inlineScalar(text: string): unknown {
  const first = text[0];
  if (first === "'") return singleQuoted(text);
  if (first === '"') {
    const close = text.indexOf('"', 1);
    if (close < 0 || text.slice(1, close).includes('\\') || trimSpaces(text.slice(close + 1)) !== '') bail();
    return text.slice(1, close);
  }
  if (text === '[]') return [];
  if (text === '{}') return {};
  if (INDICATOR.test(text) || text === '-' || text.startsWith('- ')) bail();
  if (text.includes(': ') || text.endsWith(':') || text.includes(' #')) bail();
  return resolvePlain(text);
}

function singleQuoted(text: string): string {
  let out = '';
  let from = 1;
  for (;;) {
    const quote = text.indexOf("'", from);
    if (quote < 0) return bail();
    out += text.slice(from, quote);
    if (text[quote + 1] === "'") {
      out += "'";
      from = quote + 2;
      continue;
    }
    if (trimSpaces(text.slice(quote + 1)) !== '') bail();
    return out;
  }
}

/** The YAML of a front-matter block as js-yaml (CORE_SCHEMA) reads it, or undefined outside the subset. */
export function parseSubsetYaml(block: string): Record<string, unknown> | undefined {
  if (block.includes('\t') || block.includes('\r')) return undefined;
  const indents: number[] = [];
  const texts: string[] = [];
  for (let start = 0; start <= block.length; ) {
    let end = block.indexOf('\n', start);
    if (end < 0) end = block.length;
    let at = start;
    while (at < end && block.charCodeAt(at) === 32) at += 1;
    const first = block.charCodeAt(at);
    // Comments, directives and document markers: left to js-yaml.
    if (first === 35 || (at === start && (block.startsWith('---', at) || block.startsWith('...', at)))) return undefined;
    indents.push(at - start);
    texts.push(at === end ? '' : block.slice(at, end));
    start = end + 1;
  }
  try {
    return new SubsetParser({ indents, texts }).parseDocument();
  } catch (error) {
    if (error instanceof OutsideSubset) return undefined;
    throw error;
  }
}

/**
 * splitFrontMatter with the fast path: the same checks and the same cut as
 * gray-matter (the body starts after the first `\n---`), the YAML read by
 * parseSubsetYaml; everything else goes to splitFrontMatter itself.
 */
export function splitFrontMatterFast(text: string, log: ProblemLog): SplitSource | undefined {
  if (text.startsWith('---\n')) {
    const rest = text.slice(3);
    const close = rest.indexOf('\n---');
    const lineEnd = close < 0 ? -1 : rest.indexOf('\n', close + 4);
    if (close >= 0 && /^[ \t]*$/.test(rest.slice(close + 4, lineEnd < 0 ? undefined : lineEnd))) {
      const data = parseSubsetYaml(rest.slice(0, close));
      if (data !== undefined && Object.keys(data).length > 0) {
        let body = rest.slice(close + 4);
        if (body[0] === '\r') body = body.slice(1);
        if (body[0] === '\n') body = body.slice(1);
        return { data, body };
      }
    }
  }
  return splitFrontMatter(text, log);
}
