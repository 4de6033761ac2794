import { describe, expect, it } from 'vitest';
import { parseSiteConfig } from '../../src/config/config.ts';
import { normalizeDocument } from '../../src/content/normalize.ts';
import { reasonText } from '../../src/content/problems.ts';
import { makeSite } from '../support/factories.ts';
import { documentOf, normalizeSeed, problemAt, seedLike } from '../support/documents.ts';

const SLUG = 'examplehealthwire-rural-clinics-adopt-remote-triage-for-winter-surge';
const PERMALINK = `https://feeds.example.org/news/${SLUG}/`;

describe('normalizeDocument: the seed-shaped fixture', () => {
  const result = normalizeSeed();
  const doc = documentOf(result);

  it('loads without problems', () => {
    expect(result.problems).toEqual([]);
  });

  it('maps identity and links', () => {
    expect(doc.id).toBe('7311');
    expect(doc.slug).toBe(SLUG);
    expect(doc.file).toBe('news/seed.md');
    expect(doc.permalink).toBe(PERMALINK);
    expect(doc.externalUrl).toBe('https://www.examplehealthwire.test/telehealth/rural-clinics-adopt-remote-triage');
    expect(doc.publisher).toBe('examplehealthwire.test');
    expect(doc.aliases).toEqual(['/news/rural-clinics-adopt-remote-triage-for-winter-surge']);
  });

  it('maps title, people and tags', () => {
    expect(doc.title).toBe('Rural Clinics Adopt Remote Triage For Winter Surge');
    expect(doc.authors).toEqual(['Imogen Halvorsen']);
    expect(doc.tags).toEqual(['News']);
    expect(doc.via).toBeUndefined();
  });

  it('maps dates, keeping the raw lastMod with microseconds', () => {
    expect(doc.publishedMs).toBe(Date.UTC(2022, 10, 4));
    expect(doc.updatedMs).toBe(Date.parse('2022-11-05T09:14:27.503Z'));
    expect(doc.lastMod).toBe('2022-11-05T09:14:27.503118Z');
  });

  it('takes topic slugs from categoryUrl, names from categories and labels from categoryLabel', () => {
    expect(doc.topics).toEqual([
      { slug: 'example-health-wire-telehealth', name: 'Example Health Wire: Telehealth', label: 'Telehealth' },
      {
        slug: 'example-standards-board-esb-devices-diagnostics-imaging',
        name: 'Example Standards Board (ESB): Devices, Diagnostics & Imaging',
        label: 'Devices, Diagnostics & Imaging',
      },
    ]);
  });

  it('ends the cut description at a word boundary, using the body to spot the partial word', () => {
    expect(doc.summary).toBe(
      'Small clinics in remote valleys are trying a new approach to the seasonal rise in respiratory cases. ' +
        'Nurses now screen patients by video before they travel, and early results…',
    );
  });

  it('names the featured image beside the document, served below the media path (measured later, on Node)', () => {
    expect(doc.image).toEqual({
      url: 'https://feeds.example.org/media/news/0f3c9a2e-1b7d-4c55-9e0a-5d2b8c7e6f41-featuredImage.jpeg',
      alt: 'Rural Clinics Adopt Remote Triage For Winter Surge',
      mimeType: 'image/jpeg',
      file: 'news/0f3c9a2e-1b7d-4c55-9e0a-5d2b8c7e6f41-featuredImage.jpeg',
    });
  });

  it('resolves related offerings against the site URL', () => {
    expect(doc.related).toEqual([
      { label: 'Valley Video Visits', url: 'https://feeds.example.org/offering/valley-video-visits' },
      { label: 'Triage & Routing Suite', url: 'https://feeds.example.org/offering/triage-routing-suite' },
    ]);
  });

  it('sanitizes the body, makes links absolute, closes the truncated paragraph and appends Related', () => {
    expect(doc.contentHtml.startsWith('<p>Small clinics in remote valleys')).toBe(true);
    expect(doc.contentHtml).toContain('<a href="https://feeds.example.org/news/earlier-pilot/">earlier pilot</a>');
    expect(doc.contentHtml).toContain('households without\n</p>');
    expect(doc.contentHtml.endsWith(
      '<h3>Related</h3><ul>' +
        '<li><a href="https://feeds.example.org/offering/valley-video-visits">Valley Video Visits</a></li>' +
        '<li><a href="https://feeds.example.org/offering/triage-routing-suite">Triage &amp; Routing Suite</a></li></ul>',
    )).toBe(true);
  });
});

describe('normalizeDocument: id, slug and permalink', () => {
  it('uses the slug as id when id is missing', () => {
    const result = normalizeSeed({ id: undefined });
    expect(documentOf(result).id).toBe(SLUG);
    expect(result.problems).toEqual([]);
  });

  it('keeps text ids and repairs unusable ones', () => {
    expect(documentOf(normalizeSeed({ id: ' abc-1 ' })).id).toBe('abc-1');
    const result = normalizeSeed({ id: ['x'] });
    expect(documentOf(result).id).toBe(SLUG);
    expect(problemAt(result.problems, 'id')).toMatchObject({ action: 'repaired', reason: reasonText('idInvalid', 'a list') });
  });

  it('skips a document with neither id nor slug', () => {
    const result = normalizeSeed({ id: undefined, slug: undefined });
    expect(result.document).toBeUndefined();
    expect(problemAt(result.problems, 'id')).toMatchObject({ action: 'skipped', reason: reasonText('noIdentity') });
  });

  it('derives a missing slug from the title with the topic slug rule', () => {
    const result = normalizeSeed({ slug: undefined, title: 'Café Owners: “Smart” Fridges & You!' });
    expect(documentOf(result).slug).toBe('cafe-owners-smart-fridges-you');
    expect(documentOf(result).permalink).toBe('https://feeds.example.org/news/cafe-owners-smart-fridges-you/');
    expect(problemAt(result.problems, 'slug')).toMatchObject({
      action: 'repaired',
      reason: reasonText('slugDerived', 'cafe-owners-smart-fridges-you'),
    });
  });

  it('repairs a slug that is not URL-safe', () => {
    const result = normalizeSeed({ slug: 'Has Spaces/And Slashes' });
    expect(documentOf(result).slug).toBe('has-spaces-and-slashes');
    expect(problemAt(result.problems, 'slug')?.action).toBe('repaired');
  });

  it('uses basePath, repairing missing slashes and falling back to /news/', () => {
    expect(documentOf(normalizeSeed({ basePath: '/briefs/' })).permalink).toBe(`https://feeds.example.org/briefs/${SLUG}/`);
    const noSlashes = normalizeSeed({ basePath: 'briefs' });
    expect(documentOf(noSlashes).permalink).toBe(`https://feeds.example.org/briefs/${SLUG}/`);
    expect(problemAt(noSlashes.problems, 'basePath')?.reason).toBe(reasonText('basePathRepaired', 'briefs', '/briefs/'));
    expect(documentOf(normalizeSeed({ basePath: undefined })).permalink).toBe(PERMALINK);
    expect(documentOf(normalizeSeed({ basePath: '/../x y/' })).permalink).toBe(PERMALINK);
  });

  it('builds the permalink from a site URL with a path prefix', () => {
    const site = makeSite({ siteUrl: 'https://example.org/health' });
    const doc = documentOf(normalizeSeed({}, { site }));
    expect(doc.permalink).toBe(`https://example.org/health/news/${SLUG}/`);
    expect(doc.related[0]?.url).toBe('https://example.org/health/offering/valley-video-visits');
  });
});

describe('normalizeDocument: title', () => {
  it('is plain text: HTML is not interpreted, whitespace collapses, controls go', () => {
    const doc = documentOf(normalizeSeed({ title: '  <b>Bold</b>\u0000 &amp;\n\tco  ' }));
    expect(doc.title).toBe('<b>Bold</b> &amp; co');
  });

  it('repairs a number to text', () => {
    const result = normalizeSeed({ title: 2024 });
    expect(documentOf(result).title).toBe('2024');
    expect(problemAt(result.problems, 'title')).toMatchObject({ action: 'repaired', reason: reasonText('numberAsText') });
  });

  it.each([
    ['a list', ['A', 'B']],
    ['a map', { text: 'A' }],
    ['nothing', null],
    ['empty text', ''],
    ['empty text', '  \u00A0 '],
    ['true/false', true],
  ])('skips a title that is %s', (kind, title) => {
    const result = normalizeSeed({ title });
    expect(result.document).toBeUndefined();
    expect(problemAt(result.problems, 'title')).toEqual({
      file: 'news/seed.md',
      field: 'title',
      action: 'skipped',
      reason: reasonText('textRequired', kind),
    });
  });

  it('skips a missing title', () => {
    const result = normalizeSeed({ title: undefined });
    expect(result.document).toBeUndefined();
    expect(problemAt(result.problems, 'title')?.reason).toBe(reasonText('required'));
  });
});

describe('normalizeDocument: topics', () => {
  it('never uses categorySlug for URLs', () => {
    const doc = documentOf(normalizeSeed({ categorySlug: ['Not A Slug!', 'also: not'] }));
    expect(doc.topics.map((t) => t.slug)).toEqual([
      'example-health-wire-telehealth',
      'example-standards-board-esb-devices-diagnostics-imaging',
    ]);
  });

  it('derives slugs from names when categoryUrl is missing, and reports it', () => {
    const result = normalizeSeed({ categoryUrl: undefined });
    expect(documentOf(result).topics.map((t) => t.slug)).toEqual([
      'example-health-wire-telehealth',
      'example-standards-board-esb-devices-diagnostics-imaging',
    ]);
    expect(problemAt(result.problems, 'categoryUrl')).toMatchObject({
      action: 'repaired',
      reason: reasonText('categoryUrlMissing'),
    });
  });

  it('repairs a categoryUrl that is not a valid topic slug', () => {
    const result = normalizeSeed({ categoryUrl: ['topic/Example Health Wire', 'example-board'] });
    expect(documentOf(result).topics.map((t) => t.slug)).toEqual(['example-health-wire', 'example-board']);
    expect(problemAt(result.problems, 'categoryUrl[0]')?.reason).toBe(
      reasonText('categoryUrlRepaired', 'topic/Example Health Wire', 'example-health-wire'),
    );
    expect(problemAt(result.problems, 'categoryUrl[1]')?.action).toBe('repaired');
  });

  it('skips the document when the parallel lists differ in length, naming the lengths', () => {
    const result = normalizeSeed({ categoryLabel: ['Only one'] });
    expect(result.document).toBeUndefined();
    expect(problemAt(result.problems, 'categories')).toEqual({
      file: 'news/seed.md',
      field: 'categories',
      action: 'skipped',
      reason: reasonText('topicLengths', 'categories: 2, categoryUrl: 2, categoryLabel: 1'),
    });
  });

  it('reads a single string as a one-item list', () => {
    const result = normalizeSeed({
      categories: 'Example Wire: Policy',
      categoryUrl: 'topic/example-wire-policy',
      categoryLabel: undefined,
      categorySlug: undefined,
    });
    expect(documentOf(result).topics).toEqual([
      { slug: 'example-wire-policy', name: 'Example Wire: Policy', label: 'Policy' },
    ]);
    expect(problemAt(result.problems, 'categories')?.reason).toBe(reasonText('wrappedInList'));
  });

  it('falls back to the name for the label: after the last ": ", else the whole name', () => {
    const doc = documentOf(
      normalizeSeed({
        categories: ['A: B: Deep Label', 'NoColon'],
        categoryUrl: ['topic/a-b-deep-label', 'topic/nocolon'],
        categoryLabel: undefined,
      }),
    );
    expect(doc.topics.map((t) => t.label)).toEqual(['Deep Label', 'NoColon']);
  });

  it('keeps a topic once when it is listed twice', () => {
    const result = normalizeSeed({
      categories: ['Example Wire: Policy', 'Example Wire: Policy'],
      categoryUrl: ['topic/example-wire-policy', 'topic/example-wire-policy'],
      categoryLabel: ['Policy', 'Policy'],
    });
    expect(documentOf(result).topics).toHaveLength(1);
    expect(problemAt(result.problems, 'categoryUrl[1]')?.reason).toBe(reasonText('topicDuplicate', 'example-wire-policy'));
  });

  it('loads a document with no topics (it still belongs to the overall feed)', () => {
    const result = normalizeSeed({ categories: [], categoryUrl: [], categoryLabel: [], categorySlug: [] });
    expect(documentOf(result).topics).toEqual([]);
    expect(result.problems).toEqual([]);
    expect(documentOf(normalizeSeed({ categories: undefined, categoryUrl: undefined, categoryLabel: undefined })).topics).toEqual([]);
  });
});

describe('normalizeDocument: dates', () => {
  it.each(['2021-02-30', '13/01/2021', 'January 13, 2021', '2021-1-13'])('skips the unparseable date %j', (date) => {
    const result = normalizeSeed({ date });
    expect(result.document).toBeUndefined();
    expect(problemAt(result.problems, 'date')).toEqual({
      file: 'news/seed.md',
      field: 'date',
      action: 'skipped',
      reason: reasonText('dateInvalid', date),
    });
  });

  it('skips a date that is not text', () => {
    const result = normalizeSeed({ date: 20210113 });
    expect(result.document).toBeUndefined();
    expect(problemAt(result.problems, 'date')?.reason).toBe(reasonText('dateNotText', 'a number'));
  });

  it('uses the instant of a full timestamp in date', () => {
    const doc = documentOf(normalizeSeed({ date: '2022-11-04T15:30:00Z' }));
    expect(doc.publishedMs).toBe(Date.UTC(2022, 10, 4, 15, 30));
  });

  it('falls back to date (raw text and instant) when lastMod is missing, without a report', () => {
    const result = normalizeSeed({ lastMod: undefined });
    const doc = documentOf(result);
    expect(doc.lastMod).toBe('2022-11-04');
    expect(doc.updatedMs).toBe(doc.publishedMs);
    expect(result.problems).toEqual([]);
  });

  it('repairs an unparseable lastMod by falling back to date', () => {
    const result = normalizeSeed({ lastMod: 'last Tuesday' });
    const doc = documentOf(result);
    expect(doc.lastMod).toBe('2022-11-04');
    expect(doc.updatedMs).toBe(Date.UTC(2022, 10, 4));
    expect(problemAt(result.problems, 'lastMod')).toMatchObject({
      action: 'repaired',
      reason: reasonText('lastModInvalid', 'last Tuesday'),
    });
  });

  it('uses lastMod as the publication date when date is missing', () => {
    const result = normalizeSeed({ date: undefined });
    const doc = documentOf(result);
    expect(doc.publishedMs).toBe(Date.parse('2022-11-05T09:14:27.503Z'));
    expect(doc.lastMod).toBe('2022-11-05T09:14:27.503118Z');
    expect(problemAt(result.problems, 'date')).toMatchObject({ action: 'repaired', reason: reasonText('dateFromLastMod') });
  });

  it('skips when there is neither date nor a valid lastMod', () => {
    const result = normalizeSeed({ date: undefined, lastMod: 'nope' });
    expect(result.document).toBeUndefined();
    expect(problemAt(result.problems, 'date')).toMatchObject({ action: 'skipped', reason: reasonText('required') });
  });

  it('reads a lastMod without a zone as UTC, reporting it', () => {
    const result = normalizeSeed({ lastMod: '2022-11-05T09:14:27' });
    expect(documentOf(result).updatedMs).toBe(Date.UTC(2022, 10, 5, 9, 14, 27));
    expect(problemAt(result.problems, 'lastMod')?.reason).toBe(reasonText('timeZoneAssumed', '2022-11-05T09:14:27'));
  });

  it('trims the raw lastMod', () => {
    expect(documentOf(normalizeSeed({ lastMod: ' 2022-11-05T09:14:27.503118Z ' })).lastMod).toBe('2022-11-05T09:14:27.503118Z');
  });
});

describe('normalizeDocument: summary', () => {
  it('keeps a description that ends a sentence', () => {
    expect(documentOf(normalizeSeed({ description: 'A complete sentence.' })).summary).toBe('A complete sentence.');
  });

  it('drops a partial word the body cannot vouch for', () => {
    expect(documentOf(normalizeSeed({ description: 'Words nowhere in the bo' })).summary).toBe('Words nowhere in the…');
  });

  it('keeps a word the body shows is complete', () => {
    expect(documentOf(normalizeSeed({ description: 'Small clinics in remote valleys' })).summary).toBe(
      'Small clinics in remote valleys…',
    );
  });

  it('keeps a one-word description', () => {
    expect(documentOf(normalizeSeed({ description: 'Sma' })).summary).toBe('Sma…');
  });

  it('is plain text and omitted when blank or absent', () => {
    expect(documentOf(normalizeSeed({ description: ' <i>Kept</i>\n as   text. ' })).summary).toBe('<i>Kept</i> as text.');
    expect(documentOf(normalizeSeed({ description: '   ' })).summary).toBeUndefined();
    expect(documentOf(normalizeSeed({ description: undefined })).summary).toBeUndefined();
  });
});

describe('normalizeDocument: content', () => {
  it('renders a markdown body', () => {
    const doc = documentOf(normalizeSeed({ relatedOfferings: [] }, { body: '## Heading\n\nA *short* note.\n' }));
    expect(doc.contentHtml).toBe('<h2>Heading</h2>\n<p>A <em>short</em> note.</p>\n');
  });

  it('runs the related list through the same sanitizer', () => {
    const doc = documentOf(normalizeSeed({ relatedOfferings: [{ label: '<script>x</script>Tool', permalink: '/offering/tool' }] }));
    expect(doc.contentHtml).toContain('<li><a href="https://feeds.example.org/offering/tool">&lt;script&gt;x&lt;/script&gt;Tool</a></li>');
  });

  it('has no Related heading when there are no related offerings', () => {
    expect(documentOf(normalizeSeed({ relatedOfferings: null })).contentHtml).not.toContain('Related');
  });
});

describe('normalizeDocument: featured image', () => {
  // An explicit MEDIA_BASE_URL (a CDN): hrefs resolve against it as they always did; nothing is local.
  const cdn = makeSite({ ...parseSiteConfig({ SITE_URL: 'https://feeds.example.org', MEDIA_BASE_URL: 'https://feeds.example.org/cdn/' }) });

  it.each([
    ['img/pic.webp', 'https://feeds.example.org/media/news/img/pic.webp', 'image/webp', 'news/img/pic.webp'],
    ['a b.JPG', 'https://feeds.example.org/media/news/a%20b.JPG', 'image/jpeg', 'news/a b.JPG'],
    ['./c.avif', 'https://feeds.example.org/media/news/c.avif', 'image/avif', 'news/c.avif'],
  ])('names the local file of %j', (href, url, mimeType, file) => {
    const doc = documentOf(normalizeSeed({ featuredImage: { href, format: 'JPEG', alt: 'Alt text' } }));
    expect(doc.image).toEqual({ url, mimeType, alt: 'Alt text', file });
  });

  it.each([
    ['../outside.jpg', 'imageOutsideContent'],
    ['sub/../../x.jpg', 'imageOutsideContent'],
    ['.hidden.jpg', 'imageOutsideContent'],
    ['x.svg', 'imageFileNotImage'],
    ['x.bin', 'imageFileNotImage'],
  ] as const)('refuses the local reference %j', (href, code) => {
    const result = normalizeSeed({ featuredImage: { href, format: 'PNG' } });
    expect(documentOf(result).image).toBeUndefined();
    expect(problemAt(result.problems, 'featuredImage.href')).toMatchObject({ action: 'repaired' });
    expect(problemAt(result.problems, 'featuredImage.href')?.reason.startsWith(reasonText(code, href, 'x').slice(0, 12))).toBe(true);
  });

  it.each([
    ['https://cdn.example.com/a/b.png', 'PNG', 'https://cdn.example.com/a/b.png', 'image/png'],
    ['img/pic.webp', null, 'https://feeds.example.org/cdn/img/pic.webp', 'image/webp'],
    ['/abs/pic.GIF', undefined, 'https://feeds.example.org/abs/pic.GIF', 'image/gif'],
    ['x.bin', 'avif', 'https://feeds.example.org/cdn/x.bin', 'image/avif'],
    ['x.svg', 'unknown', 'https://feeds.example.org/cdn/x.svg', 'image/svg+xml'],
  ])('resolves %j (format %j) against an explicit MEDIA_BASE_URL', (href, format, url, mimeType) => {
    const doc = documentOf(normalizeSeed({ featuredImage: { href, format, alt: 'Alt text' } }, { site: cdn }));
    expect(doc.image).toEqual({ url, mimeType, alt: 'Alt text' });
  });

  it('falls back to the title for alt', () => {
    expect(documentOf(normalizeSeed({ featuredImage: { href: 'a.jpg' } })).image?.alt).toBe(
      'Rural Clinics Adopt Remote Triage For Winter Surge',
    );
  });

  it.each(['javascript:alert(1)', 'data:image/png;base64,AAAA', 'ftp://x.example/a.png'])('drops %j and reports it', (href) => {
    const result = normalizeSeed({ featuredImage: { href, format: 'PNG' } });
    expect(documentOf(result).image).toBeUndefined();
    expect(problemAt(result.problems, 'featuredImage.href')).toMatchObject({
      action: 'repaired',
      reason: reasonText('imageUrlInvalid', href),
    });
  });

  it('drops an image of unknown type', () => {
    const result = normalizeSeed({ featuredImage: { href: 'file.bin', format: 'TIFF' } }, { site: cdn });
    expect(documentOf(result).image).toBeUndefined();
    expect(problemAt(result.problems, 'featuredImage.format')?.reason).toBe(reasonText('imageTypeUnknown'));
  });

  it('has no image for null, and none for an image marked invalid', () => {
    const none = normalizeSeed({ featuredImage: null });
    expect(documentOf(none).image).toBeUndefined();
    expect(none.problems).toEqual([]);
    const invalid = normalizeSeed({ featuredImage: { href: 'a.jpg', valid: false } });
    expect(documentOf(invalid).image).toBeUndefined();
    expect(problemAt(invalid.problems, 'featuredImage.valid')?.action).toBe('repaired');
  });
});

describe('normalizeDocument: external link, people, via, aliases', () => {
  it('omits and reports a link that is not absolute http(s), falling back to href', () => {
    const result = normalizeSeed({ link: { href: '/relative/path', brand: 'b.example' }, href: 'https://fallback.example/a' });
    expect(documentOf(result).externalUrl).toBe('https://fallback.example/a');
    expect(problemAt(result.problems, 'link.href')?.reason).toBe(reasonText('urlInvalid', '/relative/path'));
    const none = normalizeSeed({ link: { href: 'javascript:alert(1)' }, href: undefined });
    expect(documentOf(none).externalUrl).toBeUndefined();
    expect(documentOf(none).publisher).toBeUndefined();
  });

  it('reads author and tags from a string or a list, cleaned and de-duplicated', () => {
    const doc = documentOf(normalizeSeed({ author: ' Ada  Example ', tags: ['News', ' News', 'Policy', '', null] }));
    expect(doc.authors).toEqual(['Ada Example']);
    expect(doc.tags).toEqual(['News', 'Policy']);
  });

  it('reports list items that are not text', () => {
    const result = normalizeSeed({ author: ['Ada', { name: 'x' }] });
    expect(documentOf(result).authors).toEqual(['Ada']);
    expect(problemAt(result.problems, 'author[1]')?.reason).toBe(reasonText('listItemIgnored', 'a map'));
  });

  it('treats a blank via as none and keeps a labelled one with its link', () => {
    expect(documentOf(normalizeSeed({ via: ' ', viaLink: 'https://x.example' })).via).toBeUndefined();
    expect(documentOf(normalizeSeed({ via: ' Example Digest ', viaLink: 'https://digest.example/a' })).via).toEqual({
      label: 'Example Digest',
      url: 'https://digest.example/a',
    });
    const bad = normalizeSeed({ via: 'Digest', viaLink: 'not a url' });
    expect(documentOf(bad).via).toEqual({ label: 'Digest' });
    expect(problemAt(bad.problems, 'viaLink')?.action).toBe('repaired');
  });

  it('reads aliases from a string or a list', () => {
    expect(documentOf(normalizeSeed({ aliases: ['/a', '/b'] })).aliases).toEqual(['/a', '/b']);
    expect(documentOf(normalizeSeed({ aliases: undefined })).aliases).toEqual([]);
  });
});

describe('normalizeDocument: related offerings', () => {
  it('drops and reports bad entries, keeping the good ones', () => {
    const result = normalizeSeed({
      relatedOfferings: [
        { label: 'Good', permalink: '/offering/good' },
        { permalink: '/offering/no-label' },
        { label: 'Evil', permalink: 'javascript:alert(1)' },
        'not a map',
        { label: 'Absolute', permalink: 'https://elsewhere.example/o' },
        { label: 'Good again', permalink: '/offering/good' },
      ],
    });
    expect(documentOf(result).related).toEqual([
      { label: 'Good', url: 'https://feeds.example.org/offering/good' },
      { label: 'Absolute', url: 'https://elsewhere.example/o' },
    ]);
    expect(result.problems.map((p) => [p.field, p.reason])).toEqual([
      ['relatedOfferings[1].label', reasonText('relatedNoLabel')],
      ['relatedOfferings[2].permalink', reasonText('relatedUrlInvalid', 'javascript:alert(1)')],
      ['relatedOfferings[3]', reasonText('relatedNotMap', 'text')],
    ]);
  });
});

describe('normalizeDocument: reporting', () => {
  it('reports every problem at once', () => {
    const { data, body } = seedLike();
    const result = normalizeDocument(
      { file: 'x.md', data: { ...data, title: [], date: '2021-02-30', categoryLabel: ['one'] }, body },
      makeSite(),
    );
    expect(result.document).toBeUndefined();
    expect(result.problems.map((p) => p.field).sort()).toEqual(['categories', 'date', 'title']);
  });

  it('reports front matter that is not a map', () => {
    expect(normalizeDocument({ file: 'x.md', data: ['a'], body: '' }, makeSite()).problems[0]?.reason).toBe(
      reasonText('frontMatterNotMap', 'a list'),
    );
  });
});
