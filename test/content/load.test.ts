import { describe, expect, it } from 'vitest';
import type { ContentSource, Problem } from '../../src/content/document.ts';
import { loadDocuments, normalizeSource } from '../../src/content/load.ts';
import { reasonText } from '../../src/content/problems.ts';
import { makeSite } from '../support/factories.ts';
import { fixtureBytes, minimalFrontMatter, source } from '../support/documents.ts';

const FIXTURES = [
  'seed-like.md',
  'markdown-body.md',
  'invalid-yaml.md',
  'not-a-map.md',
  'missing-title.md',
  'list-title.md',
  'mismatched-arrays.md',
  'only-dashes.md',
  'empty.md',
  'no-front-matter.md',
];

const fromFixture = (name: string): ContentSource => ({ file: `news/${name}`, contents: fixtureBytes(name) });

function problemsOf(problems: readonly Problem[], file: string): Problem[] {
  return problems.filter((p) => p.file === file);
}

describe('loadDocuments with the fixture folder', () => {
  const result = loadDocuments(FIXTURES.map(fromFixture), makeSite());

  it('loads the good documents, ordered by file path', () => {
    expect(result.documents.map((d) => d.file)).toEqual(['news/markdown-body.md', 'news/seed-like.md']);
  });

  it('renders the markdown fixture and keeps its unquoted lastMod text', () => {
    const doc = result.documents[0];
    expect(doc?.lastMod).toBe('2023-03-11T08:30:00.123456Z');
    expect(doc?.contentHtml).toContain('<h2>This Week</h2>');
    expect(doc?.contentHtml).toContain('<a href="https://feeds.example.org/reports/2023-q1">regional report</a>');
    expect(doc?.contentHtml).toContain('<td>Published</td>');
    expect(doc?.summary).toBe('A short digest written in markdown rather than HTML.');
  });

  it.each([
    ['invalid-yaml.md', 'yaml', /^invalid YAML: bad indentation of a sequence entry at line 7/],
    ['not-a-map.md', 'yaml', reasonText('frontMatterNotMap', 'a list')],
    ['missing-title.md', 'title', reasonText('required')],
    ['list-title.md', 'title', reasonText('textRequired', 'a list')],
    ['mismatched-arrays.md', 'categories', /categories: 2, categoryUrl: 3, categoryLabel: 2/],
    ['only-dashes.md', 'yaml', reasonText('unclosedFrontMatter')],
    ['empty.md', 'file', reasonText('fileEmpty')],
    ['no-front-matter.md', 'file', reasonText('noFrontMatter')],
  ])('reports %s as skipped with field %s', (name, field, reason) => {
    const problems = problemsOf(result.problems, `news/${name}`);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: `news/${name}`, field, action: 'skipped' });
    if (typeof reason === 'string') expect(problems[0]?.reason).toBe(reason);
    else expect(problems[0]?.reason).toMatch(reason);
  });

  it('reports nothing for the good documents', () => {
    expect(problemsOf(result.problems, 'news/seed-like.md')).toEqual([]);
    expect(problemsOf(result.problems, 'news/markdown-body.md')).toEqual([]);
  });
});

describe('loadDocuments: duplicates and order', () => {
  it('keeps the first file path of a duplicate id, whatever the input order', () => {
    const result = loadDocuments(
      [source('b/second.md', minimalFrontMatter(1, 'slug: other')), source('a/first.md', minimalFrontMatter(1))],
      makeSite(),
    );
    expect(result.documents.map((d) => d.file)).toEqual(['a/first.md']);
    expect(result.problems).toEqual([
      { file: 'b/second.md', field: 'id', action: 'skipped', reason: reasonText('duplicateId', '1', 'a/first.md') },
    ]);
  });

  it('keeps the first file path of a duplicate slug (a permalink collision)', () => {
    const result = loadDocuments(
      [source('z.md', minimalFrontMatter(2, 'slug: same')), source('y.md', minimalFrontMatter(3, 'slug: same'))],
      makeSite(),
    );
    expect(result.documents.map((d) => d.id)).toEqual(['3']);
    expect(result.problems).toEqual([
      { file: 'z.md', field: 'slug', action: 'skipped', reason: reasonText('duplicateSlug', 'same', 'y.md') },
    ]);
  });

  it('orders by code unit, not locale', () => {
    const files = ['b.md', 'B.md', 'a.md', 'é.md', 'A.md'];
    const result = loadDocuments(files.map((f, i) => source(f, minimalFrontMatter(i))), makeSite());
    expect(result.documents.map((d) => d.file)).toEqual(['A.md', 'B.md', 'a.md', 'b.md', 'é.md']);
  });

  it('gives identical results for identical input', () => {
    const sources = FIXTURES.map(fromFixture);
    expect(JSON.stringify(loadDocuments(sources, makeSite()))).toBe(
      JSON.stringify(loadDocuments([...sources].reverse(), makeSite())),
    );
  });
});

describe('loadDocuments: bad files next to good ones', () => {
  it('repairs non-UTF-8 bytes and still loads the document', () => {
    const text = `---\n${minimalFrontMatter(5)}\n---\n<p>caf`;
    const bytes = new Uint8Array([...new TextEncoder().encode(text), 0xe9, ...new TextEncoder().encode('</p>')]);
    const result = loadDocuments([{ file: 'latin1.md', contents: bytes }], makeSite());
    expect(result.documents[0]?.contentHtml).toBe('<p>caf\uFFFD</p>');
    expect(result.problems).toEqual([
      { file: 'latin1.md', field: 'file', action: 'repaired', reason: reasonText('notUtf8') },
    ]);
  });

  it('skips an oversize file and loads the rest', () => {
    const site = makeSite({ maxDocumentBytes: 1024 });
    const big = source('big.md', minimalFrontMatter(6), `<p>${'x'.repeat(2000)}</p>`);
    const result = loadDocuments([big, source('ok.md', minimalFrontMatter(7))], site);
    expect(result.documents.map((d) => d.file)).toEqual(['ok.md']);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ file: 'big.md', field: 'file', action: 'skipped' });
    expect(result.problems[0]?.reason).toMatch(/more than the limit of 1024/);
  });

  it('reads CRLF files with a BOM', () => {
    const text = `\uFEFF---\r\n${minimalFrontMatter(8).replace(/\n/g, '\r\n')}\r\n---\r\n<p>Windows</p>\r\n`;
    const result = loadDocuments([{ file: 'crlf.md', contents: text }], makeSite());
    expect(result.problems).toEqual([]);
    expect(result.documents[0]?.title).toBe('Document 8');
  });

  it('turns an unexpected exception into a problem instead of throwing', () => {
    const broken = { file: 'broken.md', contents: 42 } as unknown as ContentSource;
    const result = loadDocuments([broken, source('fine.md', minimalFrontMatter(9))], makeSite());
    expect(result.documents.map((d) => d.file)).toEqual(['fine.md']);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ file: 'broken.md', field: 'file', action: 'skipped' });
    expect(result.problems[0]?.reason).toMatch(/^internal error: /);
  });

  it('survives a source iterable that throws', () => {
    const sources: Iterable<ContentSource> = {
      *[Symbol.iterator]() {
        yield source('a.md', minimalFrontMatter(10));
        throw new Error('disk went away');
      },
    };
    const result = loadDocuments(sources, makeSite());
    expect(result.documents).toEqual([]);
    expect(result.problems[0]?.reason).toBe(reasonText('internalError', 'Error: disk went away'));
  });
});

describe('normalizeSource', () => {
  it('normalizes one source for watch-mode updates', () => {
    const result = normalizeSource(source('one.md', minimalFrontMatter(11)), makeSite());
    expect(result.problems).toEqual([]);
    expect(result.document?.permalink).toBe('https://feeds.example.org/news/doc-11/');
  });

  it('returns problems and no document for a bad source', () => {
    const result = normalizeSource({ file: 'bad.md', contents: '---\n---\n' }, makeSite());
    expect(result.document).toBeUndefined();
    expect(result.problems).toEqual([
      { file: 'bad.md', field: 'yaml', action: 'skipped', reason: reasonText('emptyFrontMatter') },
    ]);
  });
});
