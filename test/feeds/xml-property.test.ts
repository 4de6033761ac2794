/**
 * XML safety by property: arbitrary strings in every front-matter text field
 * and in the body, written into a real .md source (YAML-escaped, as an
 * authoring tool would), loaded by the core loader and served by the app.
 * Every RSS/Atom document must parse with a strict XML parser, every JSON
 * document must parse (and validate as JSON Feed 1.1), and plain-text fields
 * must come back exactly as `expectedPlainText` defines.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ContentSource } from '../../src/content/document.ts';
import { appFromSources, fetchFeeds } from '../support/feeds-app.ts';
import { policyViolations } from '../support/policy.ts';
import { documentSource, goodFields } from '../support/source-text.ts';
import { parseXmlStrict } from '../support/xml.ts';

/**
 * The plain-text normalization, stated independently of the code:
 *  1. removed: C0 controls other than tab, LF and CR; DEL; C1 controls
 *     (U+0080–U+009F); U+FFFD (what broken UTF-8 decodes to), U+FFFE and
 *     U+FFFF; and any surrogate half that is not part of a pair;
 *  2. then every run of whitespace (JavaScript `\s`: space, tab, CR, LF, VT,
 *     FF, NBSP, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F,
 *     U+3000 and U+FEFF, the BOM) becomes one space;
 *  3. leading and trailing spaces are trimmed.
 * Everything else (`<`, `&amp;`, `]]>`, emoji, RTL text) is kept as written.
 */
export function expectedPlainText(s: string): string {
  return s
    .replace(/[\0-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\uFFFD\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

describe('expectedPlainText (the stated rule)', () => {
  it.each([
    ['a\u0000b\u0001c\u007Fd\u0085e\u009Ff\uFFFDg', 'abcdefg'],
    ['  tab\tand\r\nCRLF\nand\u00A0NBSP\u2028  ', 'tab and CRLF and NBSP'],
    ['\uFEFFbom first, \uFEFF inside', 'bom first, inside'],
    ['lone \uD800 high, \uDC00 low, pair \uD83D\uDE00', 'lone high, low, pair 😀'],
    ['a \u0001 b', 'a b'],
    [']]>]]> &amp; <b>', ']]>]]> &amp; <b>'],
  ])('%j -> %j', (input, output) => {
    expect(expectedPlainText(input)).toBe(output);
  });
});

// Any UTF-16 code unit, lone surrogates included, weighted toward the troublemakers.
const troublemaker = fc.constantFrom(
  ']]>', ']]>]]>', ']]', '&amp;', '&lt;', '&#0;', '&#x1;', '&', '<', '>', '"', "'", '\\', '<![CDATA[', '-->', '<b>', '</title>',
  '\uFEFF', '\r\n', '\r', '\n', '\t', ' ', '\u00A0', '\u2028', '\u0085', '\u007F', '\u009F', '\u0000', '\u0001', '\u001F',
  '\uD800', '\uDBFF', '\uDC00', '\uFFFD', '\uFFFE', '\uFFFF', '😀', 'é', 'ש', '---', '\n---\n', ': ', '- ', '#', '{', '[', '*', '&#x202E;',
);
const unit = fc.oneof(
  { weight: 3, arbitrary: troublemaker },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 4 }) },
);
const text = fc.string({ unit, maxLength: 24 });

interface Fields {
  readonly title: string;
  readonly titlePrefixed: boolean;
  readonly description: string;
  readonly author: string;
  readonly categoryName: string;
  readonly categoryLabel: string;
  readonly alt: string;
  readonly brand: string;
  readonly tag: string;
  readonly via: string;
  readonly body: string;
}

const fields: fc.Arbitrary<Fields> = fc.record({
  title: text,
  titlePrefixed: fc.boolean(),
  description: text,
  author: text,
  categoryName: text,
  categoryLabel: text,
  alt: text,
  brand: text,
  tag: text,
  via: text,
  body: text,
});

const TOPIC = 'prop-topic';

function sourceOf(f: Fields): ContentSource {
  return {
    file: 'prop.md',
    // The body is raw text in the file; the front matter is YAML-escaped.
    contents: documentSource(
      goodFields(1, {
        slug: 'prop',
        title: f.titlePrefixed ? `T ${f.title}` : f.title,
        // Ends with a full stop, so the summary is the description itself (no cut at a word).
        description: `D ${f.description} end.`,
        author: [`A ${f.author}`],
        categories: [`N ${f.categoryName}`],
        categoryUrl: [`topic/${TOPIC}`],
        categoryLabel: [`L ${f.categoryLabel}`],
        featuredImage: { href: 'picture.png', format: 'PNG', alt: `I ${f.alt}` },
        link: { brand: `B ${f.brand}`, href: 'https://publisher.example/a' },
        tags: [`G ${f.tag}`],
        via: `V ${f.via}`,
      }),
      f.body,
    ),
  };
}

/** A second, fixed document so no feed is ever empty. */
const ANCHOR: ContentSource = { file: 'anchor.md', contents: documentSource(goodFields(2, { slug: 'anchor' }), '<p>Anchor.</p>') };

describe('property: arbitrary text in every field survives every format', () => {
  it('every feed is well-formed and plain-text fields round-trip exactly', async () => {
    await fc.assert(
      fc.asyncProperty(fields, async (f) => {
        const { app, loaded } = appFromSources([sourceOf(f), ANCHOR]);
        const title = expectedPlainText(f.titlePrefixed ? `T ${f.title}` : f.title);
        const served = loaded.documents.some((d) => d.slug === 'prop');
        // A title that is empty once cleaned is the one reason to skip, and it is reported.
        expect(served).toBe(title !== '');
        if (!served) expect(loaded.problems).toContainEqual(expect.objectContaining({ file: 'prop.md', field: 'title', action: 'skipped' }));

        const scopes = served ? ['', `/topic/${TOPIC}`] : [''];
        for (const scope of scopes) {
          // fetchFeeds parses RSS/Atom with the strict XML reader and JSON with JSON.parse + schema.
          for (const fetched of await fetchFeeds(app, scope)) {
            if (fetched.format !== 'json') parseXmlStrict(fetched.text);
            const item = fetched.feed.items.find((i) => i.id.includes('/prop/'));
            if (!served) {
              expect(item).toBeUndefined();
              continue;
            }
            if (!item) throw new Error(`${fetched.path} lacks the item`);
            expect(item.title).toBe(title);
            expect(item.summary).toBe(expectedPlainText(`D ${f.description} end.`));
            expect(item.authors).toEqual([expectedPlainText(`A ${f.author}`)]);
            expect(item.topicNames).toEqual([expectedPlainText(`N ${f.categoryName}`)]);
            if (fetched.format !== 'json') expect(item.imageAlt).toBe(expectedPlainText(`I ${f.alt}`));
            expect(policyViolations(item.contentHtml)).toEqual([]);
          }
        }
        const topics = (await (await app.request('/topics.json')).json()) as { topics: { slug: string; label: string }[] };
        if (served) expect(topics.topics.find((t) => t.slug === TOPIC)?.label).toBe(expectedPlainText(`L ${f.categoryLabel}`));
        const json = (await (await app.request('/feed.json?limit=500')).json()) as { items: { id: string; tags?: string[] }[] };
        if (served) expect(json.items.find((i) => i.id.includes('/prop/'))?.tags).toContain(expectedPlainText(`G ${f.tag}`));
        for (const path of ['/', '/opml.xml']) expect((await app.request(path)).status).toBe(200);
        parseXmlStrict(await (await app.request('/opml.xml')).text());
      }),
      { numRuns: 150 },
    );
  });
});
