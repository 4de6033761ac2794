import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FeedDocument, SafeHtml } from '../../src/content/document.ts';
import { FEED_RENDERERS } from '../../src/feeds/render.ts';
import { FEED_FORMATS } from '../../src/feeds/model.ts';
import type { FeedFormat, FeedView } from '../../src/feeds/model.ts';
import { makeDocument, makeTopic } from '../support/factories.ts';
import { parseWithFeedParser } from '../support/feed-parser.ts';
import { readAtom, readJsonFeed, readRss } from '../support/feed-extract.ts';
import type { ReadFeed } from '../support/feed-extract.ts';
import { htmlTextContent } from '../support/html.ts';
import { parseXmlStrict, textOf } from '../support/xml.ts';
import { expectedRead } from './expected.ts';
import { makeView } from './fixtures.ts';

const READERS: Record<FeedFormat, (s: string) => ReadFeed> = { rss: readRss, atom: readAtom, json: readJsonFeed };

/** Anything XML 1.0 cannot carry, or that we strip (DEL, C1). */
const FORBIDDEN_OR_STRIPPED = /[\0-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\uD800-\uDFFF\uFFFE\uFFFF]/u;

const HOSTILE = [
  'a]]>b]]>c',
  ']]>]]>',
  '<![CDATA[x]]></title><script>alert(1)</script>',
  'Tom & Jerry <b>"quoted"</b> \'single\' &amp; &lt;literal&gt; &#x26; &nbsp;',
  'C0 \u0000\u0001\u0008\u000B\u000C\u001F kept \t tab \n LF \r CR \r\n CRLF',
  'C1 \u0080\u0085\u009F DEL \u007F',
  'lone \uD800 high \uDFFF low \uDC00\uD800 reversed, pair 😀 ok',
  '\uFEFFBOM first, \uFFFE\uFFFF nonchars, \u2028\u2029 separators',
  'Ünïcödé — “quotes” – 日本語 — עברית',
  '  padded with spaces  ',
  '',
];

function hostileDocument(text: string, i: number): FeedDocument {
  const topic = makeTopic('hostile', `label ${text}`, `name ${text}`);
  return makeDocument({
    id: `h${i}`,
    slug: `h${i}`,
    permalink: `https://feeds.example.org/news/h${i}/`,
    title: text,
    summary: text,
    contentHtml: text as SafeHtml,
    authors: [text, `second ${text}`],
    tags: [text],
    topics: [topic],
    image: { url: `https://feeds.example.org/media/h${i}.jpg`, alt: `alt ${text}`, mimeType: 'image/jpeg' },
  });
}

function hostileView(text: string, docs: readonly FeedDocument[]): FeedView {
  return makeView(docs, undefined, undefined, { title: `T ${text}`, description: `D ${text}`, generator: `G ${text}` });
}

function checkAllFormats(view: FeedView): void {
  for (const format of FEED_FORMATS) {
    const out = FEED_RENDERERS[format](view);
    expect(FORBIDDEN_OR_STRIPPED.test(out), `${format} output carries a forbidden character`).toBe(false);
    if (format !== 'json') expect(out).not.toContain('<![CDATA[');
    expect(READERS[format](out)).toEqual(expectedRead(view, format));
  }
}

describe('hostile text', () => {
  it.each(HOSTILE.map((s, i) => [i, s] as const))('#%i round-trips in every field and format', (i, text) => {
    checkAllFormats(hostileView(text, [hostileDocument(text, i)]));
  });

  it('all hostile strings in one feed still parse with @rowanmanning/feed-parser', () => {
    const view = hostileView(HOSTILE.join(' | '), HOSTILE.map(hostileDocument));
    for (const format of ['rss', 'atom'] as const) {
      const feed = parseWithFeedParser(FEED_RENDERERS[format](view));
      expect(feed.items).toHaveLength(HOSTILE.length);
      expect(feed.items.map((item) => item.id)).toEqual(view.items.map((d) => d.permalink));
    }
  });

  it('an RSS description is HTML whose text is the summary', () => {
    const summary = 'a <b>not bold</b> & AT&amp;T';
    const view = makeView([makeDocument({ summary })]);
    const channel = parseXmlStrict(FEED_RENDERERS.rss(view)).children.find((c) => typeof c !== 'string');
    const description = channel && typeof channel !== 'string' ? findFirst(channel, 'description', 1) : undefined;
    expect(description).toBeDefined();
    expect(htmlTextContent(description ?? '')).toBe(summary);
  });
});

/** Text of the n-th (0-based) element with this local name, depth-first. */
function findFirst(node: ReturnType<typeof parseXmlStrict>, local: string, nth: number): string | undefined {
  const found: string[] = [];
  const visit = (n: ReturnType<typeof parseXmlStrict>): void => {
    if (n.local === local) found.push(textOf(n));
    for (const c of n.children) if (typeof c !== 'string') visit(c);
  };
  visit(node);
  return found[nth];
}

// Any code point (lone surrogates included), plus the sequences escaping bugs are made of.
const codePoint = fc.integer({ min: 0, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp));
const hostileChunk = fc.constantFrom(']]>', ']]', '&amp;', '&', '<', '>', '"', "'", '\uFEFF', '\r', '\r\n', '\u0085', '\uD800', '\uDC00', '\uFFFE', '\0');
const text = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: fc.oneof(codePoint, hostileChunk) }),
);

describe('property: arbitrary unicode survives every format', () => {
  it('titles, summaries, authors, topic names, alt text and content round-trip minus forbidden characters', () => {
    fc.assert(
      fc.property(
        fc.record({
          title: text,
          summary: fc.option(text, { nil: undefined }),
          authors: fc.array(text, { maxLength: 3 }),
          topicName: text,
          topicLabel: text,
          alt: text,
          content: text,
          feedTitle: text,
        }),
        (r) => {
          const doc = makeDocument({
            id: 'p1',
            slug: 'p1',
            permalink: 'https://feeds.example.org/news/p1/',
            title: r.title,
            summary: r.summary,
            contentHtml: r.content as SafeHtml,
            authors: r.authors,
            tags: [r.topicLabel],
            topics: [makeTopic('prop', r.topicLabel, r.topicName)],
            image: { url: 'https://feeds.example.org/media/p.png', alt: r.alt, mimeType: 'image/png' },
          });
          checkAllFormats(makeView([doc], undefined, undefined, { title: r.feedTitle, description: r.feedTitle }));
        },
      ),
      { numRuns: 300 },
    );
  });
});
