import { describe, expect, it } from 'vitest';
import { cleanText, plainText, sanitizedHtmlHeadText, sanitizedHtmlToText, stripXmlForbidden } from '../../src/content/text.ts';
import { sanitizeContent } from '../../src/content/sanitize.ts';

describe('stripXmlForbidden', () => {
  it('removes C0 controls except tab, newline and carriage return', () => {
    expect(stripXmlForbidden('a\u0000b\u0001c\u0008d\u000Be\u000Cf\u001Fg')).toBe('abcdefg');
    expect(stripXmlForbidden('tab\there\nline\rreturn')).toBe('tab\there\nline\rreturn');
  });

  it('removes U+FFFE, U+FFFF and unpaired surrogates but keeps pairs', () => {
    expect(stripXmlForbidden('x\uFFFEy\uFFFFz')).toBe('xyz');
    expect(stripXmlForbidden('lone \uD800 high, lone \uDC00 low')).toBe('lone  high, lone  low');
    expect(stripXmlForbidden('emoji \uD83D\uDE00 stays')).toBe('emoji \u{1F600} stays');
    expect(stripXmlForbidden('\uDE00\uD83D')).toBe('');
  });

  it('keeps C1 controls, which XML 1.0 allows', () => {
    expect(stripXmlForbidden('a\u0085b')).toBe('a\u0085b');
  });
});

describe('cleanText', () => {
  it('removes a leading BOM, C1 controls and forbidden code points, and normalizes newlines', () => {
    expect(cleanText('\uFEFFline one\r\nline two\rline three\u0085\u0000')).toBe('line one\nline two\nline three');
  });

  it('is idempotent', () => {
    const once = cleanText('\uFEFF\uFEFFa\r\n\u0007');
    expect(cleanText(once)).toBe(once);
  });
});

describe('plainText', () => {
  it('collapses every whitespace run, including NBSP and newlines, and trims', () => {
    expect(plainText('  A\u00A0\u00A0title\n\twith   gaps  ')).toBe('A title with gaps');
  });
});

describe('sanitizedHtmlToText', () => {
  it('reads text across tags, separating block elements and joining inline ones', () => {
    expect(sanitizedHtmlToText('<p>One <b>bo</b>ld</p><p>Two &amp; &lt;three&gt;</p>')).toBe('One bold Two & <three>');
  });
});

describe('sanitizedHtmlHeadText', () => {
  const bodies = [
    '<p>One <b>bo</b>ld</p>\n\n  <p>Two &amp; &lt;three&gt; &nbsp; four</p><ul><li>five</li><li>six &quot;seven&quot;</li></ul>',
    '<h2>Title</h2><p>Text with <a href="https://example.org/?a=1&b=2" title="x > y">a link</a>, an <img src="https://example.org/i.png" alt="a < b"> image,\tand   spaces.</p><blockquote>Quoted <em>words</em></blockquote>',
    '<p>Broken <b>bold <i>italic</p> and a stray > and &amp;amp; and <br> end',
    '   <p>   </p>   <div>only</div>',
  ].map((html) => sanitizeContent(html, 'https://example.org/news/item'));

  it('is a prefix of the whole text wherever the head is cut', () => {
    for (const html of bodies) {
      const whole = sanitizedHtmlToText(html);
      for (let chars = 0; chars <= html.length + 1; chars++) {
        const head = sanitizedHtmlHeadText(html, chars);
        expect(whole.startsWith(head.text), `${JSON.stringify(html)} cut at ${chars}: ${JSON.stringify(head.text)}`).toBe(true);
        if (head.whole) expect(head.text).toBe(whole);
      }
      expect(sanitizedHtmlHeadText(html, Infinity)).toEqual({ text: whole, whole: true });
    }
  });

  it('cuts a long body short', () => {
    const html = sanitizeContent(`<p>Opening words.</p>${'<p>More text.</p>'.repeat(500)}`, 'https://example.org/news/item');
    const head = sanitizedHtmlHeadText(html, 100);
    expect(head.whole).toBe(false);
    expect(head.text.length).toBeLessThan(200);
    expect(head.text.startsWith('Opening words. More text.')).toBe(true);
  });
});
