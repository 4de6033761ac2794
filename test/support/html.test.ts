import { describe, expect, it } from 'vitest';
import { findUnsafe, htmlTextContent, unsafeUrlReason } from './html.ts';

describe('findUnsafe', () => {
  it('accepts ordinary sanitized markup', () => {
    expect(
      findUnsafe(
        '<p>Hi <a href="https://x.org/?a=1&amp;b=2" title="t">x</a> <a href="mailto:a@b.org">m</a> <a href="/rel">r</a> <a href="#f">f</a><img src="http://x.org/i.png" alt=""></p>',
      ),
    ).toEqual([]);
  });

  it.each([
    ['<script>alert(1)</script>', '<script> element'],
    ['<svg><a xlink:href="javascript:alert(1)">x</a></svg>', '<svg> element'],
    ['<math><mi>x</mi></math>', '<math> element'],
    ['<template><img src=x onerror=alert(1)></template>', '<img onerror> event handler'],
    ['<img src=x ONERROR=alert(1)>', '<img onerror> event handler'],
    ['<p style="background:url(x)">', '<p style> attribute'],
    ['<iframe srcdoc="&lt;script&gt;"></iframe>', '<iframe> element'],
    ['<img srcset="a.png 1x">', '<img srcset> attribute'],
    ['<a href="javascript:alert(1)">', '<a href="javascript:alert(1)"> javascript: URL'],
    ['<a href=" JaVa&#x09;Script&colon;alert(1)">', '<a href=" JaVa\\tScript:alert(1)"> javascript: URL'],
    ['<a href="\u0001javascript:alert(1)">', 'javascript: URL'],
    ['<img src="data:image/svg+xml,<svg>">', 'data: URL'],
    ['<a href="//evil.example">', 'protocol-relative URL'],
    ['<a href="\\\\evil.example">', 'protocol-relative URL'],
    ['<a href="/\\evil.example">', 'protocol-relative URL'],
    ['<blockquote cite="vbscript:x">', 'vbscript: URL'],
    ['<video poster="javascript:x">', 'javascript: URL'],
    ['<form action="https://x.org"><button formaction="javascript:x">', '<form> element'],
    ['<meta http-equiv="refresh" content="0;url=javascript:x">', '<meta> element'],
  ])('flags %s', (html, expected) => {
    const found = findUnsafe(html);
    expect(found.some((f) => f.includes(expected)), found.join('; ')).toBe(true);
  });

  it('reads URLs as a browser would', () => {
    expect(unsafeUrlReason('  https://x.org  ')).toBeUndefined();
    expect(unsafeUrlReason('java\nscript:x')).toBe('javascript: URL');
    expect(unsafeUrlReason('relative/path:with-colon')).toBeUndefined();
  });
});

describe('htmlTextContent', () => {
  it('decodes entities and drops tags', () => {
    expect(htmlTextContent('a &lt;b&gt; <em>c</em> &amp;amp;')).toBe('a <b> c &amp;');
  });
});
