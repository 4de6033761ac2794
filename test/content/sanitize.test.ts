import { parseFragment, serialize } from 'parse5';
import { describe, expect, it } from 'vitest';
import { sanitizeContent } from '../../src/content/sanitize.ts';

const PERMALINK = 'https://feeds.example.org/news/some-story/';
const clean = (html: string): string => sanitizeContent(html, PERMALINK);

/** parse5 writes void elements as `<br>` and NBSP as `&nbsp;`; compare in its dialect. */
function inParse5Dialect(html: string): string {
  return html.replace(/ \/>/g, '>').replace(/\u00A0/g, '&nbsp;');
}

describe('sanitizeContent: allowlist', () => {
  it('keeps the feed-reader tags and drops scripts and styles with their contents', () => {
    expect(clean('<p>Hi <strong>there</strong></p><script>alert(1)</script><style>p{color:red}</style>')).toBe(
      '<p>Hi <strong>there</strong></p>',
    );
  });

  it('removes event handlers, style, class and id attributes', () => {
    expect(clean('<p onclick="x()" onmouseover=y style="color:red" class="c" id="i">t</p>')).toBe('<p>t</p>');
    expect(clean('<img src="https://cdn.example.com/a.png" onerror="alert(1)">')).toBe(
      '<img src="https://cdn.example.com/a.png" />',
    );
  });

  it('maps h1 to h2 and keeps h2-h6, lists, tables and quotes', () => {
    expect(clean('<h1>Top</h1>')).toBe('<h2>Top</h2>');
    const table = '<table><caption>C</caption><thead><tr><th scope="col" colspan="2">H</th></tr></thead><tbody><tr><td rowspan="2">1</td></tr></tbody></table>';
    expect(clean(table)).toBe(table);
    expect(clean('<ol start="3"><li>x</li></ol><dl><dt>a</dt><dd>b</dd></dl>')).toBe(
      '<ol start="3"><li>x</li></ol><dl><dt>a</dt><dd>b</dd></dl>',
    );
  });

  it('drops forms, inputs, buttons, svg, math, templates and noscript with their contents', () => {
    const html =
      '<form action="/x"><input value="v">form text<button>Go</button></form><svg><text>svg</text></svg>' +
      '<math><mi>x</mi></math><template><p>t</p></template><noscript>ns</noscript><select><option>o</option></select>' +
      '<textarea>ta</textarea><p>kept</p>';
    expect(clean(html)).toBe('<p>kept</p>');
  });

  it('keeps the text of tags that are merely not allowed', () => {
    expect(clean('<article><section><font color="red">inner</font></section></article>')).toBe('inner');
  });

  it('removes srcset', () => {
    expect(clean('<img src="https://a.example/x.png" srcset="https://a.example/x2.png 2x" alt="">')).toBe(
      '<img src="https://a.example/x.png" alt="" />',
    );
  });
});

describe('sanitizeContent: URLs', () => {
  const hostile = [
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    ' javascript:alert(1)',
    '\u0001javascript:alert(1)',
    'java\tscript:alert(1)',
    'java&#x09;script:alert(1)',
    '&#106;avascript:alert(1)',
    '&#x6A;&#x61;&#x76;&#x61;script:alert(1)',
    'javascript&colon;alert(1)',
    'vbscript:msgbox(1)',
    'VBScript:msgbox(1)',
    'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
    'DATA:text/html,<script>alert(1)</script>',
  ];

  it.each(hostile)('drops the href %j', (href) => {
    const out = clean(`<a href="${href}">x</a>`);
    expect(out).toBe('<a>x</a>');
  });

  it.each(hostile)('drops the img src %j', (src) => {
    expect(clean(`<img src="${src}" alt="a">`)).toBe('<img alt="a" />');
  });

  it('makes relative URLs absolute against the permalink', () => {
    expect(clean('<a href="other/">o</a><a href="/root">r</a><a href="#part">p</a><img src="pic.png" alt="">')).toBe(
      '<a href="https://feeds.example.org/news/some-story/other/">o</a>' +
        '<a href="https://feeds.example.org/root">r</a>' +
        '<a href="https://feeds.example.org/news/some-story/#part">p</a>' +
        '<img src="https://feeds.example.org/news/some-story/pic.png" alt="" />',
    );
  });

  it('resolves protocol-relative URLs with the permalink scheme', () => {
    expect(clean('<img src="//cdn.example.com/a.png">')).toBe('<img src="https://cdn.example.com/a.png" />');
  });

  it('allows mailto links but not mailto images', () => {
    expect(clean('<a href="mailto:desk@example.org">m</a>')).toBe('<a href="mailto:desk@example.org">m</a>');
    expect(clean('<img src="mailto:desk@example.org">')).toBe('<img />');
  });

  it('resolves blockquote and q cite', () => {
    expect(clean('<blockquote cite="/source">q</blockquote><q cite="javascript:x">y</q>')).toBe(
      '<blockquote cite="https://feeds.example.org/source">q</blockquote><q>y</q>',
    );
  });

  it('escapes attribute values', () => {
    expect(clean('<a href="https://x.example/?a=1&b=2" title="say &quot;hi&quot;">t</a>')).toBe(
      '<a href="https://x.example/?a=1&amp;b=2" title="say &quot;hi&quot;">t</a>',
    );
  });
});

describe('sanitizeContent: embeds', () => {
  it('turns an iframe with an http(s) src into a link to it', () => {
    expect(clean('<iframe src="https://video.example/embed/42" width="560"></iframe>')).toBe(
      '<a href="https://video.example/embed/42">https://video.example/embed/42</a>',
    );
  });

  it('uses iframe fallback text as the link text, sanitized', () => {
    expect(clean('<iframe src="https://video.example/e/1">Watch <b>here</b><script>x</script></iframe>')).toBe(
      '<a href="https://video.example/e/1">Watch <b>here</b></a>',
    );
  });

  it('turns embed, object, video and audio sources into links (relative ones resolved)', () => {
    expect(clean('<embed src="/media/clip.mp4">')).toBe(
      '<a href="https://feeds.example.org/media/clip.mp4">https://feeds.example.org/media/clip.mp4</a>',
    );
    expect(clean('<object data="https://docs.example/a.pdf"><param name="x" value="y"></object>')).toBe(
      '<a href="https://docs.example/a.pdf">https://docs.example/a.pdf</a>',
    );
    expect(clean('<video src="https://v.example/a.mp4"></video><audio src="https://v.example/a.mp3"></audio>')).toBe(
      '<a href="https://v.example/a.mp4">https://v.example/a.mp4</a><a href="https://v.example/a.mp3">https://v.example/a.mp3</a>',
    );
  });

  it('shows the URL of a link that has no text: an empty anchor, an iframe without fallback', () => {
    expect(clean('<p>See <a href="/report.pdf"></a> and <a href="https://a.example/x?b=1&amp;c=2"></a>.</p><iframe src="https://v.example/e/2"></iframe>')).toBe(
      '<p>See <a href="https://feeds.example.org/report.pdf">https://feeds.example.org/report.pdf</a> and ' +
        '<a href="https://a.example/x?b=1&amp;c=2">https://a.example/x?b=1&amp;c=2</a>.</p>' +
        '<a href="https://v.example/e/2">https://v.example/e/2</a>',
    );
    expect(clean('<p><a href="https://a.example/">text</a> "quoted"></a></p>')).toBe('<p><a href="https://a.example/">text</a> "quoted"&gt;</p>');
  });

  it('drops embeds without a usable source, contents and all', () => {
    expect(clean('<iframe src="javascript:alert(1)">fallback</iframe><p>after</p>')).toBe('<p>after</p>');
    expect(clean('<video><source src="a.mp4">Your browser cannot play this</video><p>after</p>')).toBe('<p>after</p>');
    expect(clean('<iframe srcdoc="<script>alert(1)</script>"></iframe>')).toBe('');
  });
});

describe('sanitizeContent: well-formed output', () => {
  it('closes tags left open by a truncated body', () => {
    expect(clean('<p>abc')).toBe('<p>abc</p>');
    expect(clean('<div><p>One <strong>two <em>thr')).toBe('<div><p>One <strong>two <em>thr</em></strong></p></div>');
  });

  it.each([
    '<p>abc',
    '<ul><li>one<li>two',
    '<table><tbody><tr><td>cell',
    '<blockquote><p>quoted <a href="/x">link',
    '<p>For many of us&nbsp;2021 <br><br>The mass vaccine&nbsp;roll-out, and dispensing',
    '<h3><strong>Clinical</strong></h3><p>There are two areas <em>that',
  ])('re-parses to the same markup: %j', (input) => {
    const out = inParse5Dialect(clean(input));
    expect(serialize(parseFragment(out))).toBe(out);
  });

  it('removes code points XML cannot carry, even when written as character references', () => {
    const out = clean('<p>a&#1;b&#xFFFE;c\u0002d</p>');
    expect(out).toBe('<p>abcd</p>');
  });
});
