/**
 * Content that fights back: every XSS vector of our corpus goes through the
 * core loader (a .md source) and out through the HTTP app; what a reader gets
 * from RSS content:encoded/description, Atom content/summary and JSON Feed
 * content_html is parsed with a browser-grade HTML parser and checked against
 * the sanitization policy, element by element and attribute by attribute.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { HOSTILE_URLS, XSS_VECTORS } from '../fixtures/hostile/xss-vectors.ts';
import type { ReadItem } from '../support/feed-extract.ts';
import type { FetchedFeed } from '../support/feeds-app.ts';
import { appFromSources, fetchFeeds, jsonStrings } from '../support/feeds-app.ts';
import { findUnsafe, htmlTextContent, parseHtmlFragment } from '../support/html.ts';
import { isAbsoluteWebUrl, policyViolations } from '../support/policy.ts';
import { documentSource, goodFields } from '../support/source-text.ts';
import type { XmlNode } from '../support/xml.ts';
import { parseXmlStrict } from '../support/xml.ts';

const TOPIC = 'example-wire-safety';

it('the corpus has at least 80 vectors with distinct names', () => {
  expect(XSS_VECTORS.length).toBeGreaterThanOrEqual(80);
  expect(new Set(XSS_VECTORS.map((v) => v.name)).size).toBe(XSS_VECTORS.length);
});

/** Element count of a fragment, to tell "text only" from markup. */
function elementCount(html: string): number {
  let count = 0;
  const visit = (node: ReturnType<typeof parseHtmlFragment>['childNodes'][number]): void => {
    if ('tagName' in node) count += 1;
    if ('childNodes' in node) node.childNodes.forEach(visit);
  };
  parseHtmlFragment(html).childNodes.forEach(visit);
  return count;
}

/** Every URL-valued attribute or element text in an RSS/Atom document. */
function xmlUrls(node: XmlNode, out: string[] = []): string[] {
  for (const [name, value] of Object.entries(node.attrs)) {
    if (['href', 'url', 'domain', 'scheme', 'uri', 'src'].includes(name)) out.push(value);
  }
  if (['link', 'guid', 'uri', 'docs', 'icon', 'logo'].includes(node.local) && node.children.every((c) => typeof c === 'string')) {
    out.push(node.children.join(''));
  }
  for (const child of node.children) if (typeof child !== 'string') xmlUrls(child, out);
  return out;
}

const URL_KEYS = new Set(['url', 'external_url', 'image', 'banner_image', 'home_page_url', 'feed_url', 'icon', 'favicon', 'avatar', 'next_url']);

/** Every URL a reader might open, in any format. */
function emittedUrls(fetched: FetchedFeed): string[] {
  if (fetched.format === 'json') {
    return jsonStrings(JSON.parse(fetched.text) as unknown).filter((s) => URL_KEYS.has(s.key)).map((s) => s.value);
  }
  return xmlUrls(parseXmlStrict(fetched.text)).filter((u) => u !== '' && !/^[a-z0-9-]+$/.test(u));
}

const child = (node: XmlNode, local: string): XmlNode | undefined =>
  node.children.find((c): c is XmlNode => typeof c !== 'string' && c.local === local);
const textOf = (node: XmlNode | undefined): string => (node ? node.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('') : '');

/**
 * Per item id, the plain-text fields that a format carries as HTML: the RSS
 * description, and Atom title/summary when sent as type="html". A reader
 * renders these as markup, so they must be escaped text with no element.
 */
function htmlTypedText(fetched: FetchedFeed): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (fetched.format === 'json') return out;
  const root = parseXmlStrict(fetched.text);
  const container = fetched.format === 'rss' ? child(root, 'channel') : root;
  for (const item of container?.children ?? []) {
    if (typeof item === 'string' || (item.local !== 'item' && item.local !== 'entry')) continue;
    const id = textOf(child(item, fetched.format === 'rss' ? 'guid' : 'id'));
    const html: string[] = [];
    if (fetched.format === 'rss') html.push(textOf(child(item, 'description')));
    for (const local of ['title', 'summary']) {
      const node = fetched.format === 'atom' ? child(item, local) : undefined;
      if (node?.attrs['type'] === 'html') html.push(textOf(node));
    }
    out.set(id, html);
  }
  return out;
}

describe('XSS vectors in the body', () => {
  let app: Hono;
  const byFormat = new Map<string, Map<string, ReadItem>>();
  const htmlTyped = new Map<string, string[]>();
  const pages: string[] = [];

  beforeAll(async () => {
    // One document per vector; the vector is also the title and the description.
    const sources = XSS_VECTORS.map((vector, i) => ({
      file: `xss/${String(i).padStart(3, '0')}.md`,
      contents: documentSource(goodFields(i, { title: `T ${vector.html}`, description: `D ${vector.html}` }), vector.html),
    }));
    const loaded = appFromSources(sources);
    app = loaded.app;
    expect(loaded.loaded.problems.filter((p) => p.action === 'skipped')).toEqual([]);
    for (const scope of ['', `/topic/${TOPIC}`]) {
      for (const fetched of await fetchFeeds(app, scope)) {
        const items = new Map(fetched.feed.items.map((item) => [item.id, item]));
        byFormat.set(`${scope}${fetched.format}`, items);
        expect(items.size, `${fetched.path} lists every document`).toBe(XSS_VECTORS.length);
        for (const [id, html] of htmlTypedText(fetched)) htmlTyped.set(id, [...(htmlTyped.get(id) ?? []), ...html]);
      }
    }
    for (const path of ['/', `/topic/${TOPIC}/`, '/rss.xml?view=html&limit=500', `/topic/${TOPIC}/feed.json?view=html&limit=500`]) {
      const res = await app.request(path);
      expect(res.status).toBe(200);
      pages.push(await res.text());
    }
  });

  const cases = XSS_VECTORS.map((vector, i) => [vector.name, i] as const);

  it.each(cases)('%s: no executable construct survives in any format', (_name, i) => {
    const id = `https://feeds.example.org/news/good-${i}/`;
    for (const [key, items] of byFormat) {
      const item = items.get(id);
      expect(item, `${key} has the item`).toBeDefined();
      if (!item) continue;
      expect(policyViolations(item.contentHtml), `${key} content: ${item.contentHtml.slice(0, 200)}`).toEqual([]);
    }
  });

  it.each(cases)('%s: title and description stay plain text', (_name, i) => {
    const id = `https://feeds.example.org/news/good-${i}/`;
    const titles = new Set<string>();
    const summaries = new Set<string>();
    for (const items of byFormat.values()) {
      const item = items.get(id);
      titles.add(item?.title ?? '');
      summaries.add(item?.summary ?? '');
    }
    // The same text in every format: nothing was interpreted as markup on the way.
    expect(titles.size).toBe(1);
    expect(summaries.size).toBe(1);
    // Where a format carries them as HTML, they are escaped text without a single element.
    const html = htmlTyped.get(id) ?? [];
    expect(html.length).toBeGreaterThan(0);
    for (const fragment of html) {
      expect(elementCount(fragment), fragment).toBe(0);
      expect([...titles, ...summaries]).toContain(htmlTextContent(fragment));
    }
  });

  it('HTML pages and feed previews carry no script, handler or unsafe URL from the documents', () => {
    for (const page of pages) {
      const body = page.slice(page.indexOf('<body'));
      // The preview's own read-only inputs (copyable feed URLs) are ours, not a document's.
      expect(findUnsafe(body).filter((f) => f !== '<input> element')).toEqual([]);
      expect(body).not.toMatch(/<script/i);
    }
  });
});

describe('front-matter URLs must be http(s)', () => {
  // Fields that must hold an absolute URL; the others resolve a relative value against a base.
  const ABSOLUTE_FIELDS = ['link.href', 'href', 'viaLink'] as const;

  function sourceWith(url: string, i: number) {
    return {
      file: `urls/${String(i).padStart(3, '0')}.md`,
      contents: documentSource(
        goodFields(i, {
          link: { brand: 'publisher.example', href: url },
          href: url,
          featuredImage: { href: url, alt: 'picture', format: 'PNG' },
          relatedOfferings: [{ label: 'Related tool', permalink: url }],
          via: 'Someone',
          viaLink: url,
        }),
        '<p>Body.</p>',
      ),
    };
  }

  it.each(HOSTILE_URLS.map((url, i) => [JSON.stringify(url), url, i] as const))(
    '%s is refused in every link and image field, reported, and the document still served',
    async (_shown, url, i) => {
      const { app, loaded, site } = appFromSources([sourceWith(url, i)]);
      expect(loaded.documents).toHaveLength(1);
      for (const field of ABSOLUTE_FIELDS) {
        expect(loaded.problems.some((p) => p.field === field && p.action === 'repaired'), `problem for ${field}`).toBe(true);
      }
      const reported = (field: string): boolean => loaded.problems.some((p) => p.field === field);
      for (const fetched of await fetchFeeds(app)) {
        const [item] = fetched.feed.items;
        expect(item?.externalUrl).toBeUndefined();
        // A scheme-less value (say `java script:x` once whitespace is collapsed) is a relative path under our own bases.
        if (!reported('featuredImage.href')) expect(item?.imageUrl?.startsWith(site.mediaBaseUrl)).toBe(true);
        else expect(item?.imageUrl).toBeUndefined();
        const related = /<a href="([^"]*)">Related tool<\/a>/.exec(item?.contentHtml ?? '')?.[1];
        if (!reported('relatedOfferings[0].permalink')) expect(related?.startsWith(`${site.siteUrl}/`)).toBe(true);
        else expect(related).toBeUndefined();
        expect(policyViolations(item?.contentHtml ?? '')).toEqual([]);
        for (const emitted of emittedUrls(fetched)) {
          expect(isAbsoluteWebUrl(emitted), `${fetched.format}: ${emitted}`).toBe(true);
        }
      }
    },
  );

  it('keeps http(s) values of the same fields (the check is not a blanket drop)', async () => {
    const { app, loaded } = appFromSources([sourceWith('https://cdn.example.com/x/pic.png', 1)]);
    expect(loaded.problems).toEqual([]);
    const [rss, atom, json] = await fetchFeeds(app);
    expect(atom?.feed.items[0]?.externalUrl).toBe('https://cdn.example.com/x/pic.png');
    expect(json?.feed.items[0]?.imageUrl).toBe('https://cdn.example.com/x/pic.png');
    expect(rss?.feed.items[0]?.contentHtml).toContain('<a href="https://cdn.example.com/x/pic.png">Related tool</a>');
  });
});
