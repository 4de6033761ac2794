/**
 * The index a person can use with thousands of topics: small, grouped by
 * source, every topic within two clicks, and a server-side filter (`/?q=`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'parse5';
import type { DefaultTreeAdapterTypes } from 'parse5';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSiteConfig } from '../../src/config/config.ts';
import { createApp } from '../../src/http/app.ts';
import { renderHeadersFile } from '../../src/http/headers-file.ts';
import { loadCatalogFromDir } from '../../src/ingest/load-dir.ts';
import { LiveCatalog } from '../../src/publish/live-catalog.ts';
import { FILTER_RESULTS_MAX, INDEX_LIST_ALL_MAX } from '../../src/publish/pages.ts';
import { MAX_FILTER_LENGTH, OTHER_SOURCE, groupBySource, matchTopics, sourceOf } from '../../src/topics/sources.ts';
import type { BroadTopic } from '../support/broad-taxonomy.ts';
import { writeBroadCorpus } from '../support/broad-taxonomy.ts';
import { makeDocument, makeSite, makeTopic } from '../support/factories.ts';

type Node = DefaultTreeAdapterTypes.Node;
type Element = DefaultTreeAdapterTypes.Element;

const ORIGIN = 'https://feeds.example.org';
const site = parseSiteConfig({ SITE_URL: ORIGIN });

function* elements(node: Node): Generator<Element> {
  if ('tagName' in node) yield node;
  if ('childNodes' in node) for (const child of node.childNodes) yield* elements(child);
}

function attr(element: Element, name: string): string | undefined {
  return element.attrs.find((a) => a.name === name)?.value;
}

/** Every `<a href>` of a page, as absolute URLs. */
function linksOf(html: string): URL[] {
  const links: URL[] = [];
  for (const element of elements(parse(html))) {
    const href = element.tagName === 'a' ? attr(element, 'href') : undefined;
    if (href !== undefined) links.push(new URL(href, `${ORIGIN}/`));
  }
  return links;
}

function topicSlugOf(url: URL): string | undefined {
  return url.origin === ORIGIN ? /^\/topic\/([^/]+)\/$/.exec(url.pathname)?.[1] : undefined;
}

describe('index of a broad taxonomy (2,000 documents, 1,900 topics)', () => {
  let dir: string;
  let catalog: LiveCatalog;
  let app: ReturnType<typeof createApp>;
  let taxonomy: BroadTopic[];
  const get = (path: string, init?: RequestInit) => app.request(`${ORIGIN}${path}`, init);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'topic-feeds-broad-'));
    taxonomy = writeBroadCorpus(dir, 2000, 1900);
    catalog = await loadCatalogFromDir(site, dir);
    app = createApp({ catalog: () => catalog });
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps / under 300 KB by listing sources, not topics', async () => {
    expect(catalog.index.topics.size).toBe(1900);
    const res = await get('/');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(Buffer.byteLength(html)).toBeLessThanOrEqual(300 * 1024);
    const sources = groupBySource(catalog.index.topicList);
    expect(sources.length).toBe(40);
    expect(html).toContain('1900 topics from 40 sources');
    // No script anywhere: the filter is a plain GET form.
    expect(html).not.toContain('<script');
    expect(html).toMatch(/<form class="filter" role="search" method="get" action="https:\/\/feeds\.example\.org\/">/);
  });

  it('reaches every topic page within two clicks from /', async () => {
    const first = linksOf(await (await get('/')).text());
    const reached = new Set(first.map(topicSlugOf).filter((slug) => slug !== undefined));
    // Second click: every HTML page this service answers that / links (item permalinks live on the main site).
    const pages = [...new Set(first.filter((url) => url.origin === ORIGIN && url.pathname !== '/').map((url) => url.pathname))];
    let followed = 0;
    for (const path of pages) {
      const res = await get(path);
      if (res.status !== 200 || !res.headers.get('content-type')?.startsWith('text/html')) continue;
      followed += 1;
      const html = await res.text();
      expect(Buffer.byteLength(html), path).toBeLessThanOrEqual(300 * 1024);
      for (const url of linksOf(html)) {
        const slug = topicSlugOf(url);
        if (slug !== undefined) reached.add(slug);
      }
    }
    expect(followed).toBeGreaterThanOrEqual(40);
    const missing = taxonomy.map((topic) => topic.slug).filter((slug) => !reached.has(slug));
    expect(missing).toEqual([]);
  });

  it('lists a source page with exactly its topics, linked back from each topic page', async () => {
    const source = sourceOf(taxonomy[0]!.name);
    const expected = taxonomy.filter((topic) => sourceOf(topic.name).slug === source.slug).map((topic) => topic.slug).sort();
    const res = await get(`/sources/${source.slug}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const listed = linksOf(await res.text()).map(topicSlugOf).filter((slug) => slug !== undefined);
    expect([...new Set(listed)].sort()).toEqual(expected);
    const topicPage = await (await get(`/topic/${taxonomy[0]!.slug}/`)).text();
    expect(linksOf(topicPage).map((url) => url.href)).toContain(`${ORIGIN}/sources/${source.slug}/`);
  });

  it('keeps topics.json and OPML complete', async () => {
    const json = (await (await get('/topics.json')).json()) as { topics: unknown[] };
    expect(json.topics.length).toBe(1900);
    const opml = await (await get('/opml.xml')).text();
    expect(opml.match(/<outline /g)?.length).toBe(1900);
  });

  it('filters topics by name, ignoring case and accents', async () => {
    const expected = taxonomy.filter((topic) => topic.name.toLowerCase().includes('vacc')).map((topic) => topic.slug).sort();
    expect(expected.length).toBeGreaterThan(10);
    const pages: string[] = [];
    for (const q of ['vacc', 'VACC', 'VaCc', '  vacc  ']) {
      const res = await get(`/?q=${encodeURIComponent(q)}`);
      expect(res.status, q).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const html = await res.text();
      const listed = [...new Set(linksOf(html).map(topicSlugOf).filter((slug) => slug !== undefined))].sort();
      expect(listed, q).toEqual(expected);
      expect(html).toContain(`${expected.length} topics match`);
      pages.push(html);
    }
    // A form submits spaces as `+`.
    const accents = await (await get('/?q=medecine+numerique')).text();
    const accented = taxonomy.filter((topic) => topic.name.startsWith('Médecine Numérique:'));
    expect(accents).toContain(`${accented.length} topics match`);
    for (const topic of accented) expect(accents).toContain(`/topic/${topic.slug}/`);
    expect(matchTopics(catalog.index.topicList, 'Médecine').length).toBe(accented.length);
  });

  it(`lists at most ${FILTER_RESULTS_MAX} matches and says how many there are`, async () => {
    const all = matchTopics(catalog.index.topicList, 'a');
    expect(all.length).toBeGreaterThan(FILTER_RESULTS_MAX);
    const html = await (await get('/?q=a')).text();
    expect(html).toContain(`${all.length} topics match`);
    expect(html).toContain(`The first ${FILTER_RESULTS_MAX} are listed`);
    expect(html.match(/<tr><th scope="row">/g)?.length).toBe(FILTER_RESULTS_MAX);
    const none = await get('/?q=zzzz-no-such-topic');
    expect(none.status).toBe(200);
    expect(await none.text()).toContain('No topic matches “zzzz-no-such-topic”.');
  });

  it('escapes hostile queries and shows them back exactly', async () => {
    const hostile = `<script>alert("x")</script>' onmouseover='x' "><img src=x onerror=alert(1)>`;
    expect(hostile.length).toBeLessThanOrEqual(MAX_FILTER_LENGTH);
    const res = await get(`/?q=${encodeURIComponent(hostile)}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    const document = parse(html);
    const found = [...elements(document)];
    expect(found.filter((element) => element.tagName === 'script' || element.tagName === 'img')).toEqual([]);
    expect(found.flatMap((element) => element.attrs.map((a) => a.name)).filter((name) => name.startsWith('on'))).toEqual([]);
    const input = found.find((element) => element.tagName === 'input' && attr(element, 'name') === 'q');
    expect(attr(input!, 'value')).toBe(hostile);
    const title = found.find((element) => element.tagName === 'title')!;
    expect((title.childNodes[0] as { value?: string }).value).toBe(`Topics matching “${hostile}” · ${site.siteTitle}`);
  });

  it('answers 400 to an over-long or repeated q, and / itself to a blank one', async () => {
    expect((await get(`/?q=${'v'.repeat(MAX_FILTER_LENGTH)}`)).status).toBe(200);
    const long = await get(`/?q=${'v'.repeat(MAX_FILTER_LENGTH + 1)}`);
    expect(long.status).toBe(400);
    expect(await long.text()).toContain(`at most ${MAX_FILTER_LENGTH} characters`);
    // Characters, not UTF-16 units: 100 emoji are fine.
    expect((await get(`/?q=${encodeURIComponent('🩺'.repeat(MAX_FILTER_LENGTH))}`)).status).toBe(200);
    expect((await get('/?q=a&q=b')).status).toBe(400);
    const home = await get('/');
    for (const blank of ['/?q=', '/?q=+++']) {
      const res = await get(blank);
      expect(res.status).toBe(200);
      expect(res.headers.get('etag')).toBe(home.headers.get('etag'));
    }
  });

  it('gives the filter page honest validators: same query same ETag, 304 on revalidation', async () => {
    const a = await get('/?q=cyber');
    const b = await get('/?q=CYBER');
    expect(a.headers.get('etag')).not.toBe(b.headers.get('etag')); // the page shows the query as typed
    expect((await get('/?q=cyber')).headers.get('etag')).toBe(a.headers.get('etag'));
    const again = await get('/?q=cyber', { headers: { 'If-None-Match': a.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('redirects a source path without its slash, or in another case, and 404s an unknown source', async () => {
    const slug = sourceOf(taxonomy[0]!.name).slug;
    const bare = await get(`/sources/${slug}`);
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe(`/sources/${slug}/`);
    const upper = await get(`/sources/${slug.toUpperCase()}/`);
    expect(upper.status).toBe(301);
    expect(upper.headers.get('location')).toBe(`/sources/${slug}/`);
    const unknown = await get('/sources/no-such-source/');
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('Unknown source');
  });
});

describe('index of a small taxonomy', () => {
  it(`lists every topic right on / up to ${INDEX_LIST_ALL_MAX} topics, without the filter form`, async () => {
    const small = await loadCatalogFromDir(site, 'content');
    const html = await (await small.homePage().body()) as Uint8Array;
    const text = Buffer.from(html).toString('utf8');
    expect(small.index.topics.size).toBeLessThanOrEqual(INDEX_LIST_ALL_MAX);
    const listed = new Set(linksOf(text).map(topicSlugOf).filter((slug) => slug !== undefined));
    expect([...listed].sort()).toEqual([...small.index.topics.keys()].sort());
    expect(text).not.toContain('<form');
    // Source pages exist all the same; each topic page links its own.
    for (const source of small.sources()) expect(small.sourcePage(source.slug), source.slug).toBeDefined();
  });

  it('switches to sources just above the threshold', () => {
    const documents = Array.from({ length: INDEX_LIST_ALL_MAX + 1 }, (_, i) =>
      makeDocument({ topics: [makeTopic(`s${i % 3}-t${i}`, `T${i}`, `Source ${i % 3}: T${i}`)] }),
    );
    const at = new LiveCatalog(makeSite(), { documents: documents.slice(0, INDEX_LIST_ALL_MAX), problems: [] });
    const above = new LiveCatalog(makeSite(), { documents, problems: [] });
    const render = (catalog: LiveCatalog) => Buffer.from(catalog.homePage().body() as Uint8Array).toString('utf8');
    expect(render(at)).toContain('<h2>Topics</h2>');
    expect(render(above)).toContain('<h2>Topics by source</h2>');
    expect(render(above)).toContain(`${INDEX_LIST_ALL_MAX + 1} topics from 3 sources`);
  });
});

describe('sources', () => {
  it('are the text before the first colon; names without one go to Other topics', () => {
    expect(sourceOf('Healthcare IT News: Cybersecurity')).toEqual({ slug: 'healthcare-it-news', name: 'Healthcare IT News' });
    expect(sourceOf('U.S. Food and Drug Administration (FDA): Vaccines, Blood & Biologics').slug).toBe('u-s-food-and-drug-administration-fda');
    expect(sourceOf('Q&A: Analysis: Deep')).toEqual({ slug: 'q-a', name: 'Q&A' });
    expect(sourceOf('Plain topic')).toBe(OTHER_SOURCE);
    expect(sourceOf(': no source')).toBe(OTHER_SOURCE);
  });

  it('are covered by _headers like the other pages (static hosts)', () => {
    const headers = renderHeadersFile(site);
    for (const pattern of ['/sources/:source/', '/sources/:source/index.html']) {
      expect(headers).toContain(`\n${pattern}\n  Content-Type: text/html; charset=utf-8\n`);
    }
  });

  it('give each source page an ETag that changes when one of its topics changes, and only then', () => {
    const a1 = makeDocument({ id: 'a1', lastMod: '2024-03-01T10:00:00.000000Z', topics: [makeTopic('alpha-one', 'One', 'Alpha: One')] });
    const a2 = makeDocument({ id: 'a2', topics: [makeTopic('alpha-two', 'Two', 'Alpha: Two')] });
    const b1 = makeDocument({ id: 'b1', topics: [makeTopic('beta-one', 'One', 'Beta: One')] });
    const before = new LiveCatalog(makeSite(), { documents: [a1, a2, b1], problems: [] });
    const edited = { ...a1, lastMod: '2024-03-02T10:00:00.000000Z', updatedMs: Date.parse('2024-03-02T10:00:00Z') };
    const after = new LiveCatalog(makeSite(), { documents: [edited, a2, b1], problems: [] });
    const relabelled = new LiveCatalog(makeSite(), { documents: [a1, { ...a2, topics: [makeTopic('alpha-two', 'Deux', 'Alpha: Deux')] }, b1], problems: [] });
    const tag = (catalog: LiveCatalog, source: string) => catalog.sourcePage(source)!.etag;
    const bytes = (catalog: LiveCatalog, source: string) => Buffer.from(catalog.sourcePage(source)!.body() as Uint8Array).toString('utf8');
    expect(tag(after, 'alpha')).not.toBe(tag(before, 'alpha'));
    expect(bytes(after, 'alpha')).not.toBe(bytes(before, 'alpha'));
    expect(tag(relabelled, 'alpha')).not.toBe(tag(before, 'alpha'));
    expect(bytes(relabelled, 'alpha')).toContain('Deux');
    expect(tag(after, 'beta')).toBe(tag(before, 'beta'));
    expect(bytes(after, 'beta')).toBe(bytes(before, 'beta'));
    expect(before.sourcePage('gamma')).toBeUndefined();
  });
});
