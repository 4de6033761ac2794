/**
 * Body text -> HTML that is ready for the one sanitize call. Bodies with HTML
 * block structure are HTML; the rest is markdown. Inputs that would make a
 * parser recurse or go quadratic are rendered as plain text instead.
 */
import { Marked } from 'marked';
import type { RelatedLink } from './document.ts';
import type { ProblemLog } from './problems.ts';
import { escapeHtml } from './text.ts';

const HTML_BLOCK =
  /<(?:p|div|h[1-6]|ul|ol|li|table|blockquote|pre|br|hr|img|a|figure|section)(?=[\s/>])/i;

/** True when the body already has HTML structure, so markdown must not touch it. */
export function looksLikeHtml(body: string): boolean {
  return HTML_BLOCK.test(body);
}

// Our own instance: the global `marked` is shared mutable state.
const markdown = new Marked({ gfm: true, breaks: false, async: false });

// Measured (Node 20): htmlparser2 keeps its open-element stack with unshift, so
// 10k nested tags take ~50 ms but 100k take seconds; marked recurses per list
// or quote level (a stack overflow near 2k quote levels, ~9 s at 1k list levels).
const MAX_HTML_DEPTH = 1_000;
const MAX_MARKDOWN_INDENT = 128;
const MAX_MARKDOWN_QUOTES = 64;
// marked matches emphasis delimiters (`*`, `_`, `~`) quadratically within one
// paragraph: 20k `_a` in one paragraph take ~1.5 s, a 1 MB run of `*a` ~4 min.
// The budget is the sum over blank-line-separated blocks of (delimiters)^2,
// ~0.4 s at worst; real articles use a few thousandths of it.
const MAX_EMPHASIS_COST = 100_000_000;

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
// Tags that the parser closes when a sibling opens, so they do not nest deeply.
const SELF_CLOSING_SIBLINGS = new Set(['p', 'li', 'dt', 'dd', 'tr', 'td', 'th', 'option', 'optgroup', 'thead', 'tbody', 'tfoot', 'rb', 'rt', 'rp']);

/** True when `html` has at most `limit` tags (counted by `<`): it cannot nest deeper than that, so most bodies skip the regex pass. */
function fewTags(html: string, limit: number): boolean {
  let count = 0;
  for (let at = html.indexOf('<'); at !== -1; at = html.indexOf('<', at + 1)) if (++count > limit) return false;
  return true;
}

/** Whether `html` nests deeper than MAX_HTML_DEPTH, and how deep (`htmlDepth`) when it does. */
function tooDeep(html: string): number | undefined {
  if (fewTags(html, MAX_HTML_DEPTH)) return undefined;
  const depth = htmlDepth(html);
  return depth > MAX_HTML_DEPTH ? depth : undefined;
}

/** Upper estimate of element nesting, in one linear pass (no backtracking on `<`). */
export function htmlDepth(html: string): number {
  let depth = 0;
  let max = 0;
  for (const match of html.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9-]*)[^<>]*?(\/?)>/g)) {
    const name = (match[2] ?? '').toLowerCase();
    if (VOID.has(name) || SELF_CLOSING_SIBLINGS.has(name) || match[3] === '/') continue;
    depth = match[1] === '/' ? Math.max(0, depth - 1) : depth + 1;
    if (depth > max) max = depth;
  }
  return max;
}

function markdownTooDeep(text: string): boolean {
  for (const line of text.split('\n')) {
    const indent = /^[ \t]*/.exec(line)?.[0] ?? '';
    if (indent.replace(/\t/g, '    ').length > MAX_MARKDOWN_INDENT) return true;
    const quotes = /^[ \t>]*/.exec(line)?.[0] ?? '';
    if (quotes.split('>').length - 1 > MAX_MARKDOWN_QUOTES) return true;
  }
  return false;
}

/** True when marked's emphasis matching would take too long on `text`. */
export function emphasisTooCostly(text: string): boolean {
  let cost = 0;
  for (const block of text.split(/\n[ \t]*\n/)) {
    let delimiters = 0;
    for (let i = 0; i < block.length; i += 1) {
      const c = block.charCodeAt(i);
      if (c === 0x2a || c === 0x5f || c === 0x7e) delimiters += 1;
    }
    cost += delimiters * delimiters;
    if (cost > MAX_EMPHASIS_COST) return true;
  }
  return false;
}

/** Text as paragraphs; `&` is left alone so existing character references still read. */
function plainTextHtml(text: string): string {
  return text
    .split(/\n\s*\n/)
    .map((block) => block.trim())
    .filter((block) => block !== '')
    .map((block) => `<p>${block.replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, '<br>')}</p>`)
    .join('\n');
}

function stripTags(html: string): string {
  return html.replace(/<[^<>]*>/g, ' ');
}

/** Body -> HTML to sanitize. Never throws; fallbacks are reported on `body`. */
export function renderBody(body: string, log: ProblemLog): string {
  if (looksLikeHtml(body)) {
    const depth = tooDeep(body);
    if (depth !== undefined) {
      log.add('body', 'htmlTooDeep', depth, MAX_HTML_DEPTH);
      return plainTextHtml(stripTags(body));
    }
    return body;
  }
  if (markdownTooDeep(body)) {
    log.add('body', 'markdownTooDeep');
    return plainTextHtml(body);
  }
  // Same report as deep nesting: runs of emphasis markers are what made marked overflow before.
  if (emphasisTooCostly(body)) {
    log.add('body', 'markdownTooDeep');
    return plainTextHtml(body);
  }
  let html: string;
  try {
    html = markdown.parse(body, { async: false });
  } catch (error) {
    if (error instanceof RangeError) log.add('body', 'markdownTooDeep');
    else log.add('body', 'markdownFailed', error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error));
    return plainTextHtml(body);
  }
  const depth = tooDeep(html);
  if (depth !== undefined) {
    log.add('body', 'htmlTooDeep', depth, MAX_HTML_DEPTH);
    return plainTextHtml(body);
  }
  return html;
}

/** The "Related" list appended to the content; built from escaped values, sanitized with the body. */
export function relatedHtml(related: readonly RelatedLink[]): string {
  if (related.length === 0) return '';
  const items = related.map((link) => `<li><a href="${escapeHtml(link.url)}">${escapeHtml(link.label)}</a></li>`);
  return `<h3>Related</h3><ul>${items.join('')}</ul>`;
}
