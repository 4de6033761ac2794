import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeDocument } from '../../src/content/normalize.ts';
import { sanitizeContent } from '../../src/content/sanitize.ts';
import { cleanText, stripXmlForbidden } from '../../src/content/text.ts';
import { makeSite } from '../support/factories.ts';
import { allStrings, seedLike } from '../support/documents.ts';

// XML 1.0 forbidden code points plus the C1 controls cleanText also removes.
const UNWANTED = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u0080-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

// Any UTF-16 code unit (lone surrogates included), weighted toward troublemakers.
const codeUnit = fc.oneof(
  fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
  fc.constantFrom('\u0000', '\u0085', '\uFFFE', '\uD800', '\uDC00', '\uFEFF', '\r', '\n', ' ', '\u00A0', '<', '&', '…', '.'),
  fc.string({ unit: 'grapheme', maxLength: 1 }),
);
const anyText = fc.string({ unit: codeUnit, maxLength: 80 });

describe('properties', () => {
  it('stripXmlForbidden leaves no forbidden code point and is idempotent', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const out = stripXmlForbidden(s);
        expect(XML_FORBIDDEN.test(out)).toBe(false);
        expect(stripXmlForbidden(out)).toBe(out);
      }),
    );
  });

  it('stripXmlForbidden keeps text that XML allows', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (s) => {
        fc.pre(!XML_FORBIDDEN.test(s));
        expect(stripXmlForbidden(s)).toBe(s);
      }),
    );
  });

  it('cleanText output never has unwanted code points', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        expect(UNWANTED.test(cleanText(s))).toBe(false);
      }),
    );
  });

  it('normalize never throws and emits no XML-forbidden code points, for any title and description', () => {
    const site = makeSite();
    const { data, body } = seedLike();
    fc.assert(
      fc.property(anyText, anyText, anyText, (title, description, extra) => {
        const result = normalizeDocument(
          { file: 'p.md', data: { ...data, title, description, via: extra, author: [extra] }, body: `${body}${extra}` },
          site,
        );
        for (const s of allStrings(result.problems)) expect(XML_FORBIDDEN.test(s)).toBe(false);
        if (result.document) {
          for (const s of allStrings({ ...result.document, contentHtml: '' })) expect(UNWANTED.test(s)).toBe(false);
          expect(XML_FORBIDDEN.test(result.document.contentHtml)).toBe(false);
          expect(result.document.title).not.toBe('');
        } else {
          expect(result.problems.some((p) => p.field === 'title' && p.action === 'skipped')).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('sanitized HTML has no script, handler or non-web URL, whatever the input', () => {
    const fragment = fc.constantFrom(
      '<script>', '</script>', '<a href="', 'javascript:', 'java\tscript:', '&#106;', '"', '>', '<img src=',
      ' onerror=', 'data:', '<iframe src="', '</iframe>', '<p>', '<style>', '&#1;', '<svg>', '<![CDATA[', '-->', '<!--',
    );
    const html = fc.array(fc.oneof(fragment, anyText), { maxLength: 30 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(html, (input) => {
        const out = sanitizeContent(input, 'https://feeds.example.org/news/p/');
        // Text `<` is always escaped, so every `<` left opens a real tag.
        expect(out).not.toMatch(/<script|<style|<iframe|<svg|<[^>]*\son[a-z]+=/i);
        for (const match of out.matchAll(/(?:href|src)="([^"]*)"/g)) {
          expect(match[1]).toMatch(/^(?:https?:\/\/|mailto:)/);
        }
        expect(XML_FORBIDDEN.test(out)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});
