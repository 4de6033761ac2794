/**
 * Source bytes -> clean text -> YAML front matter + body. Every failure is a
 * Problem in the log, never a throw.
 */
import matter from 'gray-matter';
import yaml from 'js-yaml';
import { isMap } from './fields.ts';
import type { ProblemLog } from './problems.ts';
import { describeValue } from './problems.ts';
import { normalizeNewlines, stripBom, stripUnwanted } from './text.ts';

export interface SplitSource {
  /** The front-matter map, still raw (normalize.ts gives it meaning). */
  readonly data: Readonly<Record<string, unknown>>;
  readonly body: string;
}

/**
 * Bytes or text -> clean text, or undefined when the file is skipped.
 * Invalid UTF-8 is repaired (U+FFFD) rather than skipped: one bad byte in a
 * long article should not hide it, and the report points at the file.
 */
export function decodeSource(contents: string | Uint8Array, maxBytes: number, log: ProblemLog): string | undefined {
  const bytes = typeof contents === 'string' ? utf8Length(contents) : contents.byteLength;
  if (bytes > maxBytes) {
    log.add('file', 'fileTooLarge', bytes, maxBytes);
    return undefined;
  }
  let text: string;
  if (typeof contents === 'string') {
    text = contents;
  } else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(contents);
    } catch {
      log.add('file', 'notUtf8');
      text = new TextDecoder('utf-8').decode(contents);
    }
  }
  const { text: clean, removed } = stripUnwanted(normalizeNewlines(stripBom(text)));
  if (removed > 0) log.add('file', 'unwantedChars', removed);
  return clean;
}

function utf8Length(s: string): number {
  let bytes = 0;
  for (let i = 0; i < s.length; i += 1) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i += 1;
      bytes += next >= 0xdc00 && next <= 0xdfff ? 4 : 3;
    } else bytes += 3;
  }
  return bytes;
}

// Our YAML engine: CORE_SCHEMA keeps unquoted timestamps as strings (lastMod
// needs its microseconds) and constructs no custom types. The result is boxed
// so a list or scalar front matter can be reported instead of misread.
interface Boxed {
  readonly yaml: unknown;
}
const yamlEngine = {
  parse: (input: string): Boxed => ({ yaml: yaml.safeLoad(input, { schema: yaml.CORE_SCHEMA }) }),
};
const refuse = {
  parse: (): never => {
    throw new Error('only YAML front matter is accepted');
  },
};

// An options object on every call: without one gray-matter caches results by
// input text and hands back shared objects. `javascript` would be eval'd.
const matterOptions = () => ({
  language: 'yaml',
  engines: {
    yaml: yamlEngine,
    yml: yamlEngine,
    javascript: refuse,
    js: refuse,
    json: refuse,
    coffee: refuse,
    toml: refuse,
  },
});

const OPENING = /^---([^\n]*)(?:\n|$)/;
const CLOSING = /\n---[ \t]*(?:\n|$)/;

/** Clean text -> front matter map + body, or undefined (with problems logged). */
export function splitFrontMatter(text: string, log: ProblemLog): SplitSource | undefined {
  if (text.trim() === '') {
    log.add('file', 'fileEmpty');
    return undefined;
  }
  const opening = OPENING.exec(text);
  const language = opening?.[1]?.trim() ?? '';
  if (!opening || opening[1]?.startsWith('-')) {
    log.add('file', 'noFrontMatter');
    return undefined;
  }
  if (language !== '' && language !== 'yaml' && language !== 'yml') {
    log.add('yaml', 'frontMatterLanguage', language);
    return undefined;
  }
  if (!CLOSING.test(text.slice(opening[0].length - 1))) {
    log.add('yaml', 'unclosedFrontMatter');
    return undefined;
  }

  let file: { data: Record<string, unknown>; content: string };
  try {
    file = matter(text, matterOptions());
  } catch (error) {
    log.add('yaml', 'yamlInvalid', yamlErrorDetail(error));
    return undefined;
  }
  const data: unknown = file.data;
  if (!isBoxed(data)) {
    log.add('yaml', 'emptyFrontMatter');
    return undefined;
  }
  if (!isMap(data.yaml)) {
    if (data.yaml === null || data.yaml === undefined) log.add('yaml', 'emptyFrontMatter');
    else log.add('yaml', 'frontMatterNotMap', describeValue(data.yaml));
    return undefined;
  }
  return { data: data.yaml, body: file.content };
}

function isBoxed(value: unknown): value is Boxed {
  return typeof value === 'object' && value !== null && Object.prototype.hasOwnProperty.call(value, 'yaml');
}

function yamlErrorDetail(error: unknown): string {
  if (error instanceof RangeError) return 'nested too deeply';
  if (error instanceof yaml.YAMLException) {
    // Mark lines are 0-based within the block, which starts on the "---" line.
    const { reason, mark } = error as yaml.YAMLException & { reason?: string; mark?: { line: number; column: number } };
    const where = mark ? ` at line ${mark.line + 1}, column ${mark.column + 1}` : '';
    return `${reason ?? 'syntax error'}${where}`;
  }
  return error instanceof Error ? error.message : String(error);
}
