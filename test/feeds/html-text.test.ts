import { describe, expect, it } from 'vitest';
import { htmlExcerpt, looksLikeMarkup } from '../../src/feeds/html-text.ts';

describe('htmlExcerpt', () => {
  it('gives the text of sanitized HTML with entities decoded and whitespace collapsed', () => {
    expect(htmlExcerpt('<h3>Title</h3>\n<p>A &amp; B &lt;c&gt; été &nbsp;x</p>')).toBe('Title A & B <c> été x');
  });

  it('cuts long text at a word boundary and marks the cut', () => {
    const excerpt = htmlExcerpt(`<p>${'word '.repeat(100)}</p>`, 50);
    expect(excerpt.endsWith('word…')).toBe(true);
    expect(excerpt.length).toBeLessThanOrEqual(51);
  });
});

describe('looksLikeMarkup', () => {
  it.each([
    ['R&D budgets', false],
    ['a < b and c > d', false],
    ['Q&A 2024', false],
    ['bold </b> tag', true],
    ['<script>', true],
    ['&copy; 2024', true],
    ['&#169;', true],
  ])('%j -> %s', (text, expected) => {
    expect(looksLikeMarkup(text)).toBe(expected);
  });
});
