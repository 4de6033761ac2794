import matter from 'gray-matter';
import { describe, expect, it } from 'vitest';
import { decodeSource, splitFrontMatter } from '../../src/content/front-matter.ts';
import { ProblemLog, reasonText } from '../../src/content/problems.ts';

function split(text: string) {
  const log = new ProblemLog('x.md');
  return { result: splitFrontMatter(text, log), problems: log.problems };
}

describe('splitFrontMatter', () => {
  it('returns the YAML map and the body', () => {
    const { result, problems } = split('---\ntitle: Hello\ncount: 3\n---\n<p>Body</p>\n');
    expect(problems).toEqual([]);
    expect(result?.data).toEqual({ title: 'Hello', count: 3 });
    expect(result?.body).toBe('<p>Body</p>\n');
  });

  it('keeps unquoted timestamps and dates as strings (CORE schema)', () => {
    const { result } = split('---\ndate: 2021-01-13\nlastMod: 2021-01-13T12:06:42.641959Z\n---\n');
    expect(result?.data['date']).toBe('2021-01-13');
    expect(result?.data['lastMod']).toBe('2021-01-13T12:06:42.641959Z');
  });

  it('does not construct custom YAML types', () => {
    const { result, problems } = split('---\nf: !!js/function "function () { return 1 }"\n---\n');
    expect(result).toBeUndefined();
    expect(problems[0]?.field).toBe('yaml');
    expect(problems[0]?.reason).toMatch(/^invalid YAML: unknown tag/);
  });

  it('never evaluates JavaScript front matter', () => {
    const g = globalThis as { frontMatterEvaluated?: boolean };
    const { result, problems } = split('---js\n{ title: (globalThis.frontMatterEvaluated = true, "x") }\n---\n');
    expect(g.frontMatterEvaluated).toBeUndefined();
    expect(result).toBeUndefined();
    expect(problems).toEqual([
      { file: 'x.md', field: 'yaml', action: 'skipped', reason: reasonText('frontMatterLanguage', 'js') },
    ]);
  });

  it('caches nothing, so two parses never share objects', () => {
    const text = '---\ntitle: Shared?\ntags: [a]\n---\nbody';
    const first = split(text).result;
    const second = split(text).result;
    // gray-matter keeps its cache on the function; the typings omit it.
    expect(Object.keys((matter as unknown as { cache: object }).cache)).toEqual([]);
    expect(first?.data).not.toBe(second?.data);
    (first?.data['tags'] as string[]).push('mutated');
    expect(second?.data['tags']).toEqual(['a']);
  });

  it('reports invalid YAML with its line', () => {
    const { result, problems } = split('---\ntitle: ok\n  bad: : [\n---\n');
    expect(result).toBeUndefined();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ field: 'yaml', action: 'skipped' });
    expect(problems[0]?.reason).toBe('invalid YAML: bad indentation of a mapping entry at line 3, column 6');
  });

  it('reports duplicate keys', () => {
    expect(split('---\ntitle: a\ntitle: b\n---\n').problems[0]?.reason).toMatch(/duplicated mapping key/);
  });

  it('reports deeply nested YAML instead of overflowing the stack', () => {
    const { problems } = split(`---\na: ${'['.repeat(100_000)}\n---\n`);
    expect(problems[0]?.reason).toMatch(/^invalid YAML/);
  });

  it.each([
    ['a list', '---\n- a\n- b\n---\n'],
    ['text', '---\njust words\n---\n'],
    ['a number', '---\n42\n---\n'],
  ])('reports front matter that is %s', (kind, text) => {
    expect(split(text).problems).toEqual([
      { file: 'x.md', field: 'yaml', action: 'skipped', reason: reasonText('frontMatterNotMap', kind) },
    ]);
  });

  it.each([
    ['empty file', '', 'file', 'fileEmpty'],
    ['blank file', ' \n\n', 'file', 'fileEmpty'],
    ['no front matter', '# Title\n\ntext', 'file', 'noFrontMatter'],
    ['four dashes', '----\ntitle: x\n----\n', 'file', 'noFrontMatter'],
    ['only ---', '---', 'yaml', 'unclosedFrontMatter'],
    ['only --- and a newline', '---\n', 'yaml', 'unclosedFrontMatter'],
    ['no closing line', '---\ntitle: x\n<p>body</p>', 'yaml', 'unclosedFrontMatter'],
    ['empty front matter', '---\n---\nbody', 'yaml', 'emptyFrontMatter'],
    ['comment-only front matter', '---\n# nothing\n---\nbody', 'yaml', 'emptyFrontMatter'],
    ['null front matter', '---\n~\n---\nbody', 'yaml', 'emptyFrontMatter'],
  ] as const)('reports %s', (_name, text, field, code) => {
    const { result, problems } = split(text);
    expect(result).toBeUndefined();
    expect(problems).toEqual([{ file: 'x.md', field, action: 'skipped', reason: reasonText(code) }]);
  });

  it('accepts an explicit yaml language tag', () => {
    expect(split('---yaml\ntitle: t\n---\n').result?.data).toEqual({ title: 't' });
  });
});

describe('decodeSource', () => {
  const decode = (contents: string | Uint8Array, max = 1000) => {
    const log = new ProblemLog('x.md');
    return { text: decodeSource(contents, max, log), problems: log.problems };
  };

  it('decodes UTF-8 bytes and strips the BOM', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('---\ntitle: Café\n')]);
    expect(decode(bytes)).toEqual({ text: '---\ntitle: Café\n', problems: [] });
  });

  it('repairs invalid UTF-8 with U+FFFD and reports it', () => {
    const bytes = new Uint8Array([0x61, 0xff, 0xfe, 0x62]);
    const { text, problems } = decode(bytes);
    expect(text).toBe('a\uFFFD\uFFFDb');
    expect(problems).toEqual([{ file: 'x.md', field: 'file', action: 'repaired', reason: reasonText('notUtf8') }]);
  });

  it('normalizes CRLF and removes control characters, reporting how many', () => {
    const { text, problems } = decode('---\r\ntitle: a\u0000b\u0085\r\n---\r\n');
    expect(text).toBe('---\ntitle: ab\n---\n');
    expect(problems).toEqual([
      { file: 'x.md', field: 'file', action: 'repaired', reason: reasonText('unwantedChars', 2) },
    ]);
  });

  it('skips files over the byte limit, counting UTF-8 bytes of strings', () => {
    expect(decode(new Uint8Array(1001)).problems).toEqual([
      { file: 'x.md', field: 'file', action: 'skipped', reason: reasonText('fileTooLarge', 1001, 1000) },
    ]);
    // 400 characters but 1200 bytes.
    const wide = decode('€'.repeat(400));
    expect(wide.text).toBeUndefined();
    expect(wide.problems[0]?.reason).toBe(reasonText('fileTooLarge', 1200, 1000));
    expect(decode('a'.repeat(1000)).text).toHaveLength(1000);
  });
});
