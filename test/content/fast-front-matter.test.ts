/**
 * The start-up fast path for front matter must give exactly what
 * gray-matter + js-yaml give (data, body and problems), or step aside.
 */
import fc from 'fast-check';
import yaml from 'js-yaml';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { generateDocumentText } from '../../scripts/generate-corpus.ts';
import { decodeSource, splitFrontMatter } from '../../src/content/front-matter.ts';
import { ProblemLog } from '../../src/content/problems.ts';
import { parseSubsetYaml, splitFrontMatterFast } from '../../src/content/fast-front-matter.ts';

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? markdownFiles(path) : path.endsWith('.md') ? [path] : [];
  });
}

function expectSameSplit(text: string, what: string): void {
  const slowLog = new ProblemLog('x.md');
  const fastLog = new ProblemLog('x.md');
  const slow = splitFrontMatter(text, slowLog);
  const fast = splitFrontMatterFast(text, fastLog);
  expect(isDeepStrictEqual(fast, slow), what).toBe(true);
  expect(fastLog.problems, what).toEqual(slowLog.problems);
}

const jsYaml = (block: string): unknown => yaml.safeLoad(block, { schema: yaml.CORE_SCHEMA });

describe('splitFrontMatterFast', () => {
  it('equals splitFrontMatter on every fixture and content file', () => {
    const files = [...markdownFiles('content'), ...markdownFiles('test/fixtures')];
    expect(files.length).toBeGreaterThan(50);
    for (const file of files) {
      const text = decodeSource(readFileSync(file), 1 << 30, new ProblemLog(file));
      if (text !== undefined) expectSameSplit(text, file);
    }
  });

  it('equals it on generated corpus documents, and reads them on the fast path', () => {
    let fast = 0;
    for (let i = 0; i < 300; i += 1) {
      const { text } = generateDocumentText(i * 37);
      expectSameSplit(text, `generated ${i * 37}`);
      const block = text.slice(3, 3 + text.slice(3).indexOf('\n---'));
      if (parseSubsetYaml(block) !== undefined) fast += 1;
    }
    expect(fast).toBe(300);
  });

  it.each([
    ['a comment', 'a: 1\n# note\nb: 2'],
    ['a trailing comment', 'a: x # note'],
    ['an anchor and alias', 'a: &x 1\nb: *x'],
    ['a flow list', 'a: [1, 2]'],
    ['a flow map', 'a: {b: 1}'],
    ['a multi-line plain scalar', 'a: one\n  two'],
    ['a multi-line quoted scalar', "a: 'one\n  two'"],
    ['a duplicate key', 'a: 1\na: 2'],
    ['a tab', 'a:\t1'],
    ['a tag', 'a: !!str 1'],
    ['an escape in double quotes', 'a: "x\\ty"'],
    ['a kept block scalar', 'a: |+\n  x\n'],
    ['a block scalar with a blank line', 'a: >-\n  x\n\n  y'],
    ['a more-indented folded line', 'a: >\n  x\n    y'],
    ['a value that is a map on the same line', 'a: b: c'],
    ['a list item that is a map with a quoted key', "l:\n  - 'k': v"],
    ['a key that reads as null', 'null: 1'],
    ['a sequence at the top', '- a\n- b'],
    ['a document marker', 'a: 1\n...\n'],
    ['a complex key', '? a\n: b'],
    ['a colon and space inside a plain value', 'a: Médecine Numérique: Santé'],
  ])('steps aside for %s', (_name, block) => {
    expect(parseSubsetYaml(`\n${block}\n`)).toBeUndefined();
    expectSameSplit(`---\n${block}\n---\nbody\n`, block);
  });

  it.each([
    ['scalars of every core type', "a: 012\nb: 0x1F\nc: 1:20\nd: .inf\ne: ~\nf: Null\ng: TRUE\nh: -.5e3\ni: yes\nj: '012'\nk: \"x y\"\nl: ''\nm: 2021-01-13"],
    ['nested maps and lists', 'a:\n  b:\n    - 1\n    - c: 2\n      d:\n        - x\nz:\n- 1\n- 2'],
    ['folded and literal blocks', 'a: >-\n  one\n  two\nb: |\n  x\n  y\nc: >\n  z\nd: |-\n  w'],
    ['quotes inside quotes', "a: 'it''s'\nb: \"say 'hi'\""],
    ['empty values and empty collections', 'a:\nb: []\nc: {}\nd:\n  -\n  - x'],
    ['unicode text', "a: Zoë Ångström\nb: 'Médecine Numérique: Santé Connectée'\nc: a\u00a0b\u00a0"],
  ])('reads %s as js-yaml does', (_name, block) => {
    const parsed = parseSubsetYaml(`\n${block}\n`);
    expect(parsed).toBeDefined();
    expect(parsed).toStrictEqual(jsYaml(`\n${block}\n`));
    expectSameSplit(`---\n${block}\n---\nbody\n`, block);
  });

  it('reads any js-yaml dump as js-yaml reads it back, or steps aside', () => {
    const key = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,12}$/);
    const scalar = fc.oneof(fc.string({ maxLength: 40 }), fc.integer(), fc.double({ noNaN: true }), fc.boolean(), fc.constant(null));
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(key, tie('node'), { maxKeys: 4 })),
    })).node;
    fc.assert(
      fc.property(fc.dictionary(key, value, { minKeys: 1, maxKeys: 8 }), fc.boolean(), (data, flowLevel) => {
        let dumped: string;
        try {
          dumped = yaml.safeDump(data, { schema: yaml.CORE_SCHEMA, ...(flowLevel ? { flowLevel: 2 } : {}), lineWidth: 60 });
        } catch {
          return;
        }
        const block = `\n${dumped}`;
        const parsed = parseSubsetYaml(block);
        if (parsed !== undefined) expect(parsed).toStrictEqual(jsYaml(block));
        expectSameSplit(`---${block}---\n<p>body</p>\n`, dumped);
      }),
      { numRuns: 400 },
    );
  });
});
