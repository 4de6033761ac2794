import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { el, escapeXmlAttr, escapeXmlText, renderXmlDocument, stripForbiddenChars } from '../../src/feeds/xml.ts';
import { parseXmlStrict, textOf } from '../support/xml.ts';

describe('stripForbiddenChars', () => {
  it('drops C0 (except tab/LF/CR), DEL, C1, U+FFFD/U+FFFE/U+FFFF and lone surrogates only', () => {
    expect(stripForbiddenChars('a\u0000b\u0001\u0008\u000B\u000C\u001F\t\n\r\u007F\u0080\u009F\u00A0c')).toBe('ab\t\n\r\u00A0c');
    expect(stripForbiddenChars('x\uD800y\uDFFFz\uDC00\uD800')).toBe('xyz');
    expect(stripForbiddenChars('😀 \uFEFF \uFFFD \uFFFE\uFFFF')).toBe('😀 \uFEFF  ');
  });
});

describe('escapeXmlText / escapeXmlAttr', () => {
  it('escapes markup characters and CR, never using CDATA', () => {
    expect(escapeXmlText('a]]>b & <c> "d" \'e\'\r\n')).toBe('a]]&gt;b &amp; &lt;c&gt; "d" \'e\'&#13;\n');
    expect(escapeXmlText('&amp;')).toBe('&amp;amp;');
  });

  it('escapes quotes and whitespace that attribute normalization would eat', () => {
    expect(escapeXmlAttr('a"b\'c<d>&\t\n\r')).toBe('a&quot;b&apos;c&lt;d&gt;&amp;&#9;&#10;&#13;');
  });

  it('round-trips any string through a strict parser, in text and attributes', () => {
    const codePoint = fc.integer({ min: 0, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp));
    fc.assert(
      fc.property(fc.string({ unit: fc.oneof(codePoint, fc.constantFrom(']]>', '\r\n', '&amp;', '\uD800')) }), (s) => {
        const root = parseXmlStrict(`<r a="${escapeXmlAttr(s)}">${escapeXmlText(s)}</r>`);
        expect(textOf(root)).toBe(stripForbiddenChars(s));
        expect(root.attrs['a']).toBe(stripForbiddenChars(s));
      }),
      { numRuns: 500 },
    );
  });
});

describe('renderXmlDocument', () => {
  it('indents elements, writes text exactly, skips undefined/false children and attributes', () => {
    const doc = renderXmlDocument(
      el('root', { a: '1', skipped: undefined, n: 0 }, [el('t', {}, '  x & y  '), undefined, false, el('empty', { z: 'q' }), el('none', {}, [undefined])]),
    );
    expect(doc).toBe(
      '<?xml version="1.0" encoding="utf-8"?>\n<root a="1" n="0">\n  <t>  x &amp; y  </t>\n  <empty z="q"/>\n  <none/>\n</root>\n',
    );
  });
});
