import { describe, expect, it } from 'vitest';
import { htmlDepth, looksLikeHtml, relatedHtml, renderBody } from '../../src/content/body.ts';
import { ProblemLog, reasonText } from '../../src/content/problems.ts';
import { sanitizeContent } from '../../src/content/sanitize.ts';

const PERMALINK = 'https://feeds.example.org/news/story/';

function render(body: string) {
  const log = new ProblemLog('b.md');
  const html = sanitizeContent(renderBody(body, log), PERMALINK);
  return { html, problems: log.problems };
}

/**
 * Runs a pathological input to completion. These guard against stack
 * overflows and runaway (quadratic, backtracking) work: the test timeout is
 * the hang guard, and no assertion depends on the machine's speed.
 */
function finish<T>(run: () => T): { value: T } {
  return { value: run() };
}

describe('looksLikeHtml', () => {
  it.each(['<p>x</p>', 'text<br>more', '<DIV class="a">x</DIV>', '<h3>t</h3>', '<ul><li>a</li></ul>', '<img src="a.png"/>', 'see <a href="/x">x</a>'])(
    'treats %j as HTML',
    (body) => {
      expect(looksLikeHtml(body)).toBe(true);
    },
  );

  it.each(['# Heading\n\n*text*', 'plain words', 'inline <span>only</span> and <em>em</em>', 'a <pre-release> note', 'x < y and <abbr>'])(
    'treats %j as markdown',
    (body) => {
      expect(looksLikeHtml(body)).toBe(false);
    },
  );
});

describe('renderBody', () => {
  it('renders markdown with GFM tables, h1 as h2 and absolute links', () => {
    const { html, problems } = render('# Title\n\nSome **bold** and a [link](other/).\n\n| a | b |\n|---|---|\n| 1 | 2 |\n');
    expect(problems).toEqual([]);
    expect(html).toContain('<h2>Title</h2>');
    expect(html).toContain('<p>Some <strong>bold</strong> and a <a href="https://feeds.example.org/news/story/other/">link</a>.</p>');
    expect(html).toContain('<table>');
    expect(html).toContain('<td>1</td>');
  });

  it('still sanitizes raw HTML inside markdown', () => {
    const { html } = render('Hello <script>alert(1)</script> *world* <span onclick="alert(1)">hi</span>');
    expect(html).not.toContain('script');
    expect(html).not.toContain('onclick');
    expect(html).toContain('<em>world</em>');
  });

  it('leaves HTML bodies alone: markdown syntax in HTML is text', () => {
    const { html } = render('<p>Not *emphasis* and not [a link](x)</p>\n\n# not a heading');
    expect(html).toBe('<p>Not *emphasis* and not [a link](x)</p>\n\n# not a heading');
  });

  it('renders 10,000 nested tags quickly as plain text instead of overflowing', () => {
    const body = `${'<div>'.repeat(10_000)}deep text`;
    const { value } = finish(() => render(body));
    expect(value.html).toBe('<p>deep text</p>');
    expect(value.problems).toEqual([
      { file: 'b.md', field: 'body', action: 'repaired', reason: reasonText('htmlTooDeep', 10_000, 1_000) },
    ]);
  });

  it('draws the depth line at exactly 1,000 levels, however many tags come before', () => {
    const shallow = '<p>a</p>'.repeat(2_000);
    expect(render(`${shallow}${'<div>'.repeat(1_000)}x`).problems).toEqual([]);
    expect(render(`${shallow}${'<div>'.repeat(1_001)}x`).problems).toEqual([
      { file: 'b.md', field: 'body', action: 'repaired', reason: reasonText('htmlTooDeep', 1_001, 1_000) },
    ]);
    // Markdown whose HTML has more than 1,000 tags but nests two deep stays HTML.
    const list = render(Array.from({ length: 1_500 }, (_, i) => `- item ${i}`).join('\n'));
    expect(list.problems).toEqual([]);
    expect(list.html.match(/<li>/g)).toHaveLength(1_500);
  });

  it('keeps moderately nested HTML as HTML', () => {
    const { html, problems } = render(`${'<div>'.repeat(200)}x`);
    expect(problems).toEqual([]);
    expect(html).toBe(`${'<div>'.repeat(200)}x${'</div>'.repeat(200)}`);
  });

  it.each([
    ['10,000 nested quotes', `${'>'.repeat(10_000)} deep`],
    // 1,000 levels take marked ~9 s (and 10,000 exhaust the heap): never handed to it.
    ['1,000 nested list levels', Array.from({ length: 1_000 }, (_, i) => `${'  '.repeat(i)}- item`).join('\n')],
    ['5,000 nested emphasis markers', `${'**'.repeat(5_000)}x${'**'.repeat(5_000)}`],
  ])('falls back to plain text for %s without blowing the stack', (_name, body) => {
    const { value } = finish(() => render(body));
    expect(value.problems.map((p) => p.reason)).toEqual([reasonText('markdownTooDeep')]);
    expect(value.html.startsWith('<p>')).toBe(true);
  });

  it('sanitizes a 5 MB HTML body in well under a few seconds', () => {
    const paragraph = '<p>Some <b>text</b> with a <a href="/x">link</a> &amp; more words.</p>\n';
    const body = paragraph.repeat(Math.ceil(5_000_000 / paragraph.length));
    const { value } = finish(() => render(body));
    expect(value.problems).toEqual([]);
    expect(value.html.length).toBeGreaterThan(5_000_000);
  });

  it('plain-text fallbacks escape markup', () => {
    const { html } = render(`${'<div>'.repeat(2_000)}a < b & <script>x</script>`);
    expect(html).not.toContain('<script');
    expect(html).toContain('a &lt; b');
  });
});

describe('htmlDepth', () => {
  it('counts nesting, ignoring void and sibling-closing tags', () => {
    expect(htmlDepth('<div><section><b>x</b></section></div>')).toBe(3);
    expect(htmlDepth('<p>a<p>b<p>c<br><img src=x><hr/>')).toBe(0);
    expect(htmlDepth('<span/><span/>')).toBe(0);
  });

  it('finishes on a million unterminated tags (linear scan; the test timeout is the hang guard)', () => {
    const { value } = finish(() => htmlDepth('<a'.repeat(1_000_000)));
    expect(value).toBeGreaterThanOrEqual(0);
  });
});

describe('relatedHtml', () => {
  it('builds an escaped list, empty when there is nothing related', () => {
    expect(relatedHtml([])).toBe('');
    expect(relatedHtml([{ label: 'A & <B>', url: 'https://x.example/o?a=1&b="2"' }])).toBe(
      '<h3>Related</h3><ul><li><a href="https://x.example/o?a=1&amp;b=&quot;2&quot;">A &amp; &lt;B&gt;</a></li></ul>',
    );
  });
});
