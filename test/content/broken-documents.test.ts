/**
 * Broken documents next to good ones, on a real folder: the static hostile
 * corpus (test/fixtures/hostile/documents) plus files that only make sense
 * built at test time (bytes that are not UTF-8, a 5 MB file, 10,000-deep
 * tags, a symlink loop, a FIFO). Each bad file is skipped or repaired and
 * reported with file, field and reason; every good document is still served
 * in every format; the load never throws and stays fast and bounded.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Problem } from '../../src/content/document.ts';
import { loadDocuments } from '../../src/content/load.ts';
import { ProblemLog, reasonText } from '../../src/content/problems.ts';
import { createApp } from '../../src/http/app.ts';
import type { LiveCatalog } from '../../src/publish/live-catalog.ts';
import { loadCatalogFromDir } from '../../src/ingest/load-dir.ts';
import { makeSite } from '../support/factories.ts';
import type { FetchedFeed } from '../support/feeds-app.ts';
import { fetchFeeds } from '../support/feeds-app.ts';
import { policyViolations } from '../support/policy.ts';
import { documentSource, goodFields } from '../support/source-text.ts';

const HOSTILE_DIR = fileURLToPath(new URL('../fixtures/hostile/documents/', import.meta.url));
const MB = 1024 * 1024;

type Expect = { readonly served: boolean; readonly field?: string | RegExp; readonly action?: Problem['action']; readonly reason?: RegExp };
const skipped = (field: string | RegExp, reason?: RegExp): Expect => ({ served: false, field, action: 'skipped', ...(reason && { reason }) });
const repaired = (field: string | RegExp, reason?: RegExp): Expect => ({ served: true, field, action: 'repaired', ...(reason && { reason }) });
const clean: Expect = { served: true };

/** What each hostile file must come to; a file missing here fails the completeness test. */
const EXPECTED: Readonly<Record<string, Expect>> = {
  'hostile/yaml-unterminated-quote.md': skipped('yaml', /invalid YAML/),
  'hostile/yaml-tab-indent.md': clean, // js-yaml reads the tab-indented line as a top-level key
  'hostile/yaml-duplicate-key.md': skipped('yaml', /duplicated mapping key/),
  'hostile/yaml-js-function.md': skipped('yaml', /unknown tag/),
  'hostile/yaml-python-tag.md': skipped('yaml', /unknown tag/),
  'hostile/yaml-deep-nesting.md': skipped('yaml'),
  'hostile/not-a-map-list.md': skipped('yaml', /map of fields \(got a list\)/),
  'hostile/not-a-map-scalar.md': skipped('yaml', /map of fields/),
  'hostile/not-a-map-number.md': skipped('yaml', /map of fields/),
  'hostile/front-matter-js.md': skipped('yaml', /only YAML/),
  'hostile/front-matter-json.md': skipped('yaml', /only YAML/),
  'hostile/empty.md': skipped('file', /empty/),
  'hostile/only-dashes.md': skipped('yaml'),
  'hostile/only-dashes-twice.md': skipped('yaml', /empty/),
  'hostile/whitespace-only.md': skipped('file', /empty/),
  'hostile/no-front-matter.md': skipped('file', /front-matter/),
  'hostile/unclosed-front-matter.md': skipped('yaml', /closing/),
  'hostile/title-list.md': skipped('title', /got a list/),
  'hostile/title-map.md': skipped('title', /got a map/),
  'hostile/title-null.md': skipped('title'),
  'hostile/title-empty.md': skipped('title'),
  'hostile/title-number.md': repaired('title', /number/),
  'hostile/title-bool.md': skipped('title'),
  'hostile/categories-string.md': repaired('categories', /single value/),
  'hostile/categories-null.md': clean,
  'hostile/categories-map.md': repaired('categories', /got a map/),
  'hostile/categories-mismatched.md': skipped('categories', /different lengths/),
  'hostile/tags-and-authors-wrong.md': repaired(/^(author\[\d\]|tags)$/),
  'hostile/link-not-map.md': repaired('link', /must be a map/),
  'hostile/image-not-map.md': repaired('featuredImage', /must be a map/),
  'hostile/related-wrong.md': repaired(/^relatedOfferings\[\d\]/),
  'hostile/id-bool-slug-ok.md': repaired('id'),
  'hostile/id-infinite.md': repaired('id'),
  'hostile/no-identity.md': skipped('id', /no stable id/),
  'hostile/description-list.md': repaired('description'),
  'hostile/date-feb-30.md': skipped('date', /2021-02-30/),
  'hostile/date-us-format.md': skipped('date', /not a valid date/),
  'hostile/date-words.md': skipped('date', /not a valid date/),
  'hostile/date-number.md': skipped('date', /got a number/),
  'hostile/date-year-zero.md': skipped('date'),
  'hostile/date-hour-25.md': skipped('date'),
  'hostile/date-offset-99.md': skipped('date'),
  'hostile/date-list.md': skipped('date', /got a list/),
  'hostile/lastmod-invalid.md': repaired('lastMod', /not a valid/),
  'hostile/lastmod-no-zone.md': repaired('lastMod', /time zone/),
  'hostile/dup-id-a.md': clean,
  'hostile/dup-id-b.md': skipped('id', /also used by hostile\/dup-id-a\.md/),
  'hostile/dup-slug-a.md': clean,
  'hostile/dup-slug-b.md': skipped('slug', /also used by hostile\/dup-slug-a\.md/),
  'hostile/slug-traversal.md': repaired('slug', /not a valid slug/),
  'hostile/basepath-hostile.md': repaired('basePath'),
  'hostile/category-url-traversal.md': repaired('categoryUrl[0]'),
  'hostile/link-javascript.md': repaired(/^(link\.href|viaLink|featuredImage\.href)$/, /http\(s\)/),
  'hostile/proto-keys.md': clean,
  'hostile/yaml-anchors.md': repaired(/^(author|tags)\[\d\]$/),
  'hostile/html-in-title.md': clean,
  'hostile/body-script-only.md': clean,
  'hostile/body-empty.md': clean,
  // Built at test time (see beforeAll).
  'built/latin1.md': repaired('file', /not valid UTF-8/),
  'built/bom-crlf.md': clean,
  'built/control-chars.md': repaired('file', /control/),
  'built/oversize-5mb.md': skipped('file', /over the|more than the limit/),
  'built/nearly-2mb.md': clean,
  'built/nested-10000.md': repaired('body', /nests about 10000 levels/),
  'built/emphasis-bomb.md': repaired('body', /markdown/),
  'built/huge-bad-list.md': repaired(/^(tags\[\d+\]|file)$/),
  'built/many-topics.md': clean,
  'built/folder.md/inside.md': clean,
};

const GOOD_FILES = ['good/one.md', 'good/two.md', 'good/deep/a/b/three.md', 'good/four.md', 'zz-last.md'];

describe('a content folder full of broken documents', () => {
  let root: string;
  let catalog: LiveCatalog;
  let loadMs: number;
  let feeds: FetchedFeed[];
  const app = () => createApp({ catalog: () => catalog });

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'topic-feeds-broken-'));
    cpSync(HOSTILE_DIR, join(root, 'hostile'), { recursive: true });
    GOOD_FILES.forEach((file, i) => {
      mkdirSync(join(root, file, '..'), { recursive: true });
      writeFileSync(join(root, file), documentSource(goodFields(i, { categories: ['Good Wire: Good'], categoryUrl: ['topic/good'], categoryLabel: ['Good'] }), `<p>Good ${i}.</p>`));
    });
    const built = join(root, 'built');
    mkdirSync(join(built, 'folder.md'), { recursive: true });
    const fields = (n: number, extra = {}) => goodFields(100 + n, { slug: `built-${n}`, ...extra });
    const encoder = new TextEncoder();
    writeFileSync(join(built, 'latin1.md'), new Uint8Array([...encoder.encode(documentSource(fields(1), '<p>caf')), 0xe9, 0xff, 0xfe, ...encoder.encode('</p>')]));
    writeFileSync(join(built, 'bom-crlf.md'), `\uFEFF${documentSource(fields(2), '<p>Windows</p>').replace(/\n/g, '\r\n')}`);
    writeFileSync(join(built, 'control-chars.md'), documentSource(fields(3), '<p>bell\u0007 esc\u001B nul\u0000 nel\u0085 del\u007F</p>').replace('title: "', 'title: "\u0001\u009F'));
    writeFileSync(join(built, 'oversize-5mb.md'), documentSource(fields(4), `<p>${'x'.repeat(5 * MB)}</p>`));
    writeFileSync(join(built, 'nearly-2mb.md'), documentSource(fields(5), `<p>${'Plenty of words here. '.repeat(Math.floor((1.9 * MB) / 22))}</p>`));
    writeFileSync(join(built, 'nested-10000.md'), documentSource(fields(6), `${'<div>'.repeat(10_000)}deep${'</div>'.repeat(10_000)}`));
    writeFileSync(join(built, 'emphasis-bomb.md'), documentSource(fields(7), '*a'.repeat(500_000)));
    writeFileSync(join(built, 'huge-bad-list.md'), `${documentSource(fields(8), '<p>x</p>').replace('---\n<p>', `tags: [${Array(300_000).fill('{}').join(',')}]\n---\n<p>`)}`);
    writeFileSync(join(built, 'many-topics.md'), documentSource(fields(9, {
      categories: Array.from({ length: 20_000 }, (_, i) => `Wire: Topic ${i}`),
      categoryUrl: Array.from({ length: 20_000 }, (_, i) => `topic/t-${i}`),
      categoryLabel: Array.from({ length: 20_000 }, (_, i) => `Topic ${i}`),
    }), '<p>x</p>'));
    writeFileSync(join(built, 'folder.md', 'inside.md'), documentSource(fields(10), '<p>In a folder named like a file.</p>'));
    // Things the walker must survive without reading: a loop, a dangling link, a FIFO, other files.
    symlinkSync('..', join(built, 'loop'));
    symlinkSync(join(root, 'does-not-exist'), join(built, 'dangling.md'));
    execFileSync('mkfifo', [join(built, 'fifo.md')]);
    writeFileSync(join(built, 'notes.txt'), documentSource(fields(11), 'not markdown'));
    writeFileSync(join(built, '.hidden.md'), documentSource(fields(12), 'hidden'));

    const started = performance.now();
    catalog = await loadCatalogFromDir(makeSite(), root);
    loadMs = performance.now() - started;
    feeds = await fetchFeeds(app());
  }, 120_000);

  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  const served = () => new Set(catalog.index.all.map((d) => d.file));
  const problemsOf = (file: string) => catalog.problems.filter((p) => p.file === file);

  it('loads every file, good and broken, to the end', () => {
    expect(loadMs).toBeGreaterThan(0);
    expect(catalog.index.all.length + catalog.problems.length).toBeGreaterThan(40);
  });

  it('serves every good document in every format', () => {
    for (const fetched of feeds) {
      // The original article: RSS <link>, Atom rel=related, JSON external_url.
      const files = new Set(fetched.feed.items.flatMap((item) => [item.url, item.externalUrl]));
      for (let i = 0; i < GOOD_FILES.length; i += 1) {
        expect(files.has(`https://publisher.example/articles/${i}`), `${fetched.format} lacks good document ${i}`).toBe(true);
      }
    }
    for (const file of GOOD_FILES) expect(problemsOf(file)).toEqual([]);
  });

  it('has an expectation for every hostile file', () => {
    const reported = new Set([...served(), ...catalog.problems.map((p) => p.file)].filter((f) => f.startsWith('hostile/')));
    expect([...reported].filter((f) => !(f in EXPECTED))).toEqual([]);
  });

  it.each(Object.entries(EXPECTED))('%s', (file, expected) => {
    expect(served().has(file), 'served').toBe(expected.served);
    const problems = problemsOf(file);
    if (expected.field === undefined) {
      expect(problems).toEqual([]);
      return;
    }
    const matching = problems.filter((p) => (typeof expected.field === 'string' ? p.field === expected.field : expected.field?.test(p.field)));
    expect(matching.length, JSON.stringify(problems)).toBeGreaterThan(0);
    for (const problem of problems) {
      expect(problem.file).toBe(file);
      expect(problem.reason.length).toBeGreaterThan(5);
    }
    if (expected.action === 'skipped') expect(problems.some((p) => p.action === 'skipped')).toBe(true);
    else expect(matching.every((p) => p.action === 'repaired')).toBe(true);
    if (expected.reason) expect(matching.map((p) => p.reason).join('\n')).toMatch(expected.reason);
  });

  it('reports the oversize file against MAX_DOCUMENT_BYTES', () => {
    expect(problemsOf('built/oversize-5mb.md')[0]?.reason).toMatch(/5242\d{3}|MAX_DOCUMENT_BYTES|2097152/);
  });

  it('reports the symlink loop and the dangling link instead of hanging', () => {
    expect(catalog.problems.some((p) => p.file.startsWith('built/loop') && p.field === 'file')).toBe(true);
    expect(catalog.problems.some((p) => p.file === 'built/dangling.md' && p.field === 'file')).toBe(true);
    expect(served().has('built/fifo.md')).toBe(false);
  });

  it('bounds the report of a file with 300,000 bad items', () => {
    expect(problemsOf('built/huge-bad-list.md').length).toBeLessThanOrEqual(101);
    expect(problemsOf('built/huge-bad-list.md').at(-1)?.reason).toMatch(/more problem/);
  });

  it('stays linear on huge lists: 150,000 tags, 40,000 topics and 40,000 related offerings in one file', () => {
    const text = documentSource(
      goodFields(900, {
        slug: 'huge-lists',
        tags: Array.from({ length: 150_000 }, (_, i) => `tag ${i}`),
        categories: Array.from({ length: 40_000 }, (_, i) => `Wire: Topic ${i}`),
        categoryUrl: Array.from({ length: 40_000 }, (_, i) => `topic/h-${i}`),
        categoryLabel: Array.from({ length: 40_000 }, (_, i) => `Topic ${i}`),
        relatedOfferings: Array.from({ length: 40_000 }, (_, i) => ({ label: `Offering ${i}`, permalink: `/offering/${i}` })),
      }),
      '<p>x</p>',
    );
    // Quadratic de-duplication took ~30 s here, past the test timeout; linear takes well under 2 s.
    const result = loadDocuments([{ file: 'huge-lists.md', contents: text }], { ...makeSite(), maxDocumentBytes: 16 * MB });
    expect(result.documents[0]?.tags).toHaveLength(150_000);
    expect(result.documents[0]?.topics).toHaveLength(40_000);
  });

  it('never runs code from front matter and never pollutes prototypes', () => {
    expect((globalThis as Record<string, unknown>)['__pwned']).toBeUndefined();
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('keeps every emitted item safe and every feed well-formed', () => {
    for (const fetched of feeds) {
      for (const item of fetched.feed.items) expect(policyViolations(item.contentHtml), item.id).toEqual([]);
    }
    const titles = feeds.find((f) => f.format === 'json')?.feed.items.map((i) => i.title);
    expect(titles).toContain('<script>alert(1)</script><b>Bold</b> & co');
  });

  it('answers over HTTP with the good documents and the problem count', async () => {
    const health = (await (await app().request('/healthz')).json()) as { documents: number; problems: number };
    expect(health.documents).toBe(catalog.index.all.length);
    expect(health.documents).toBe(GOOD_FILES.length + Object.values(EXPECTED).filter((e) => e.served).length);
    expect(health.problems).toBe(catalog.problems.length);
    expect(health.problems).toBeGreaterThan(40);
    for (const path of ['/topic/good/rss.xml', '/topic/good/atom.xml', '/topic/good/feed.json', '/topic/t-19999/feed.json', '/topics.json', '/']) {
      expect((await app().request(path)).status, path).toBe(200);
    }
    const good = await fetchFeeds(app(), '/topic/good');
    for (const fetched of good) expect(fetched.feed.items).toHaveLength(GOOD_FILES.length);
  });
});

describe('the per-file problem cap', () => {
  it('lists 100 problems, counts the rest in one line, and keeps a late skip visible', () => {
    const log = new ProblemLog('many.md');
    for (let i = 0; i < 250; i += 1) log.add(`tags[${i}]`, 'listItemIgnored', 'a map');
    expect(log.problems).toHaveLength(101);
    expect(log.skipped).toBe(false);
    expect(log.problems[100]).toEqual({ file: 'many.md', field: 'file', action: 'repaired', reason: reasonText('moreProblems', 150) });
    log.add('date', 'dateInvalid', '2021-02-30');
    expect(log.problems).toHaveLength(101);
    expect(log.skipped).toBe(true);
    expect(log.problems[100]?.reason).toBe(reasonText('moreProblemsSkipped', 151));
  });
});
