/**
 * Images beside their documents: measured on Node at load (true type, pixel
 * size, byte length; the front matter's `size` is ignored), described in
 * every feed format as real parsers read them, put at the top of the item
 * content, and reported (and left out) when the file is missing or refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSiteConfig } from '../../src/config/config.ts';
import type { FeedDocument } from '../../src/content/document.ts';
import { sanitizeContent } from '../../src/content/sanitize.ts';
import { featuredImageHtml } from '../../src/feeds/item-content.ts';
import { loadCatalogFromDir } from '../../src/ingest/load-dir.ts';
import { collectStaticFiles, openImage } from '../../src/ingest/media.ts';
import { ContentStore } from '../../src/ingest/content-store.ts';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { generateDocumentText, paddedImage } from '../../scripts/generate-corpus.ts';
import type { LiveCatalog } from '../../src/publish/live-catalog.ts';
import { icoFromPng, DEFAULT_SITE_ICON, bytesEtag } from '../../src/publish/static-files.ts';
import { renderHeadersFile } from '../../src/http/headers-file.ts';
import { createApp } from '../../src/http/app.ts';
import { parseWithFeedParser } from '../support/feed-parser.ts';
import { childrenNamed, onlyChild, parseXmlStrict } from '../support/xml.ts';
import { parseHtmlFragment } from '../support/html.ts';
import { FIXTURE_JPEG, FIXTURE_PNG, makeMediaFixture } from '../support/media-fixture.ts';
import type { MediaFixture } from '../support/media-fixture.ts';

const SITE_URL = 'https://feeds.example.org';
const MEDIA = 'http://search.yahoo.com/mrss/';
const ATOM = 'http://www.w3.org/2005/Atom';

let fixture: MediaFixture;
let catalog: LiveCatalog;

async function body(path: string, app = createApp({ catalog: () => catalog })): Promise<string> {
  const response = await app.request(`${SITE_URL}${path}`);
  expect(response.status, path).toBe(200);
  return response.text();
}

function doc(id: string): FeedDocument {
  const found = catalog.index.all.find((document) => document.id === id);
  if (!found) throw new Error(`no document ${id}`);
  return found;
}

beforeAll(async () => {
  fixture = makeMediaFixture();
  catalog = await loadCatalogFromDir(parseSiteConfig({ SITE_URL }), fixture.content, { threads: 0 });
});

afterAll(() => fixture.cleanup());

describe('local images at load', () => {
  it('carry the true type, pixel size and byte length read from the file, not the front matter size', () => {
    expect(doc('with-jpeg').image).toEqual({
      url: `${SITE_URL}/media/2024/photo.jpeg`,
      alt: 'With a JPEG picture',
      mimeType: 'image/jpeg',
      file: '2024/photo.jpeg',
      width: 64,
      height: 48,
      bytes: FIXTURE_JPEG.byteLength,
    });
    expect(doc('with-png').image).toMatchObject({ mimeType: 'image/png', width: 40, height: 30, bytes: FIXTURE_PNG.byteLength });
  });

  it('report a missing, escaping, fake or SVG image as a problem of featuredImage.href, and serve the document without it', () => {
    const problems = catalog.problems.filter((problem) => problem.field === 'featuredImage.href');
    const byFile = Object.fromEntries(problems.map((problem) => [problem.file, problem]));
    expect(byFile['2024/missing.md']?.reason).toBe('the image file "2024/gone.jpeg" does not exist; no image');
    expect(byFile['2024/escape.md']?.reason).toContain('outside the content folder');
    expect(byFile['fake.md']?.reason).toContain('is not a JPEG, PNG, GIF, WebP or AVIF image');
    expect(byFile['vector.md']?.reason).toContain('is not a JPEG, PNG, GIF, WebP or AVIF image');
    for (const problem of problems) expect(problem.action).toBe('repaired');
    for (const id of ['missing', 'escape', 'fake', 'vector']) expect(doc(id).image, id).toBeUndefined();
    expect(catalog.health().problems).toBe(problems.length);
  });
});

describe('images that change while the server runs (watch mode)', () => {
  it('re-measures the documents that show an image when it appears, changes or goes', async () => {
    const { store, runner } = await ContentStore.open({ site: parseSiteConfig({ SITE_URL }), contentDir: fixture.content, threads: 0 });
    await runner.close();
    try {
      const byId = (id: string) => store.loadResult().documents.find((document) => document.id === id);
      expect(byId('missing')?.image).toBeUndefined();
      const gone = join(fixture.content, '2024', 'gone.jpeg');
      copyFileSync(join(fixture.content, '2024', 'photo.jpeg'), gone);
      const appeared = store.applyChanges([gone]);
      expect(appeared.changed).toEqual(['2024/missing.md']);
      expect(appeared.added[0]?.image).toMatchObject({ file: '2024/gone.jpeg', width: 64, height: 48 });
      expect(store.problems().some((problem) => problem.file === '2024/missing.md')).toBe(false);
      rmSync(gone);
      const removed = store.applyChanges([gone]);
      expect(removed.removed.map((document) => document.id)).toEqual(['missing']);
      expect(removed.added[0]?.image).toBeUndefined();
      expect(store.problems().find((problem) => problem.file === '2024/missing.md')?.field).toBe('featuredImage.href');
    } finally {
      rmSync(join(fixture.content, '2024', 'gone.jpeg'), { force: true });
    }
  });
});

describe('images in the feeds', () => {
  it('RSS: enclosure length and media:content width, height, fileSize, type, medium (strict XML and a reader)', async () => {
    const xml = await body('/rss.xml');
    const channel = onlyChild(parseXmlStrict(xml), '', 'channel');
    const item = childrenNamed(channel, '', 'item').find((node) => node.children.some((c) => typeof c !== 'string' && c.local === 'guid' && JSON.stringify(c).includes('with-jpeg')))!;
    expect(onlyChild(item, '', 'enclosure').attrs).toEqual({ url: `${SITE_URL}/media/2024/photo.jpeg`, length: String(FIXTURE_JPEG.byteLength), type: 'image/jpeg' });
    expect(onlyChild(item, MEDIA, 'content').attrs).toEqual({
      url: `${SITE_URL}/media/2024/photo.jpeg`,
      type: 'image/jpeg',
      medium: 'image',
      fileSize: String(FIXTURE_JPEG.byteLength),
      width: '64',
      height: '48',
    });
    const parsed = parseWithFeedParser(xml).items.find((entry) => entry.title === 'With a JPEG')!;
    expect(parsed.image?.url).toBe(`${SITE_URL}/media/2024/photo.jpeg`);
    expect(parsed.media.some((media) => media.url === `${SITE_URL}/media/2024/photo.jpeg` && media.length === FIXTURE_JPEG.byteLength)).toBe(true);
    // A document whose image is missing has no enclosure at all.
    const missing = childrenNamed(channel, '', 'item').find((node) => JSON.stringify(node).includes('Image missing'))!;
    expect(childrenNamed(missing, '', 'enclosure')).toEqual([]);
  });

  it('Atom: the enclosure link has the length', async () => {
    const xml = await body('/atom.xml');
    const entries = childrenNamed(parseXmlStrict(xml), ATOM, 'entry');
    const entry = entries.find((node) => JSON.stringify(node).includes('With a PNG'))!;
    const enclosure = childrenNamed(entry, ATOM, 'link').find((link) => link.attrs.rel === 'enclosure')!;
    expect(enclosure.attrs).toMatchObject({ href: `${SITE_URL}/media/2024/chart.png`, type: 'image/png', length: String(FIXTURE_PNG.byteLength) });
    const parsed = parseWithFeedParser(xml).items.find((item) => item.title === 'With a PNG')!;
    expect(parsed.media.find((media) => media.url === `${SITE_URL}/media/2024/chart.png`)?.length).toBe(FIXTURE_PNG.byteLength);
  });

  it('JSON Feed: image, and an attachment with size_in_bytes', async () => {
    const feed = JSON.parse(await body('/feed.json')) as { items: { title: string; image?: string; attachments?: { url: string; mime_type: string; size_in_bytes?: number }[] }[] };
    const item = feed.items.find((entry) => entry.title === 'With a JPEG')!;
    expect(item.image).toBe(`${SITE_URL}/media/2024/photo.jpeg`);
    expect(item.attachments).toEqual([{ url: `${SITE_URL}/media/2024/photo.jpeg`, mime_type: 'image/jpeg', title: 'With a JPEG picture', size_in_bytes: FIXTURE_JPEG.byteLength }]);
    expect(feed.items.find((entry) => entry.title === 'Image missing')).not.toHaveProperty('attachments');
  });

  it('puts the featured image at the top of the content, with alt, width and height, in every format', async () => {
    const expected = `<p><img src="${SITE_URL}/media/2024/photo.jpeg" alt="With a JPEG picture" width="64" height="48" /></p><p>Body of With a JPEG.</p>`;
    const json = JSON.parse(await body('/feed.json')) as { items: { title: string; content_html: string }[] };
    expect(json.items.find((item) => item.title === 'With a JPEG')?.content_html.startsWith(expected)).toBe(true);
    const atom = parseXmlStrict(await body('/atom.xml'));
    const entry = childrenNamed(atom, ATOM, 'entry').find((node) => JSON.stringify(node).includes('With a JPEG'))!;
    expect(String(onlyChild(entry, ATOM, 'content').children[0]).startsWith(expected)).toBe(true);
    const rss = parseWithFeedParser(await body('/rss.xml')).items.find((item) => item.title === 'With a JPEG')!;
    expect(rss.content?.startsWith(expected)).toBe(true);
    const img = parseHtmlFragment(expected).childNodes[0] as unknown as { childNodes: { nodeName: string; attrs: { name: string; value: string }[] }[] };
    expect(img.childNodes[0]?.nodeName).toBe('img');
    expect(Object.fromEntries(img.childNodes[0]!.attrs.map((a) => [a.name, a.value]))).toEqual({ src: `${SITE_URL}/media/2024/photo.jpeg`, alt: 'With a JPEG picture', width: '64', height: '48' });
  });

  it('keeps the image markup within the sanitization policy: the sanitizer leaves it unchanged, hostile alt text included', () => {
    const image = { url: `${SITE_URL}/media/a.jpeg`, alt: '"><script>alert(1)</script> & <b>', mimeType: 'image/jpeg', width: 10, height: 5 };
    const html = featuredImageHtml(image);
    expect(html).not.toContain('<script');
    expect(sanitizeContent(html, `${SITE_URL}/news/x/`)).toBe(html);
  });

  it('leaves the content alone with FEATURED_IMAGE_IN_CONTENT=false', async () => {
    const off = await loadCatalogFromDir(parseSiteConfig({ SITE_URL, FEATURED_IMAGE_IN_CONTENT: 'false' }), fixture.content, { threads: 0 });
    const feed = JSON.parse(await body('/feed.json', createApp({ catalog: () => off }))) as { items: { title: string; content_html: string; image?: string }[] };
    const item = feed.items.find((entry) => entry.title === 'With a JPEG')!;
    expect(item.content_html.startsWith('<p>Body of With a JPEG.</p>')).toBe(true);
    expect(item.image).toBe(`${SITE_URL}/media/2024/photo.jpeg`);
  });

  it('changes nothing with an explicit MEDIA_BASE_URL (a CDN): flat URLs, nothing measured, nothing reported, nothing served', async () => {
    const cdn = await loadCatalogFromDir(parseSiteConfig({ SITE_URL, MEDIA_BASE_URL: 'https://cdn.example.org/img/' }), fixture.content, { threads: 0 });
    expect(cdn.index.all.find((document) => document.id === 'with-jpeg')?.image).toEqual({ url: 'https://cdn.example.org/img/photo.jpeg', alt: 'With a JPEG picture', mimeType: 'image/jpeg' });
    expect(cdn.problems.filter((problem) => problem.field === 'featuredImage.href')).toEqual([]);
    expect(await cdn.staticFile('/media/2024/photo.jpeg')).toBeUndefined();
    expect(renderHeadersFile(cdn.site)).not.toContain('/media/');
  });
});

describe('static files for builds and exports', () => {
  it('lists the icon files and each served image with its bytes and validators', () => {
    const files = collectStaticFiles(catalog.site, fixture.content, catalog.index.all);
    expect(files.map((file) => file.path).sort()).toEqual(['/apple-touch-icon.png', '/favicon.ico', '/media/2024/chart.png', '/media/2024/photo.jpeg']);
    const photo = files.find((file) => file.path === '/media/2024/photo.jpeg')!;
    expect(Buffer.from(photo.bytes).equals(FIXTURE_JPEG)).toBe(true);
    expect(photo.entry).toMatchObject({ file: 'media/2024/photo.jpeg', contentType: 'image/jpeg', etag: bytesEtag(FIXTURE_JPEG) });
    expect(photo.entry.cacheControl).toBe('public, max-age=86400, stale-while-revalidate=604800');
  });

  it('wraps the icon PNG in a valid ICO', () => {
    const ico = icoFromPng(DEFAULT_SITE_ICON.png, 180, 180);
    const view = new DataView(ico.buffer);
    expect([view.getUint16(0, true), view.getUint16(2, true), view.getUint16(4, true)]).toEqual([0, 1, 1]);
    expect([ico[6], ico[7]]).toEqual([180, 180]);
    expect(view.getUint32(14, true)).toBe(DEFAULT_SITE_ICON.png.byteLength);
    expect(Buffer.from(ico.subarray(view.getUint32(18, true))).equals(Buffer.from(DEFAULT_SITE_ICON.png))).toBe(true);
  });

  it('gives static hosts the image and icon rules in _headers, each with one Cache-Control', () => {
    const headers = renderHeadersFile(catalog.site);
    expect(headers).toContain('\n/media/*\n  Access-Control-Allow-Origin: *\n');
    expect(headers).toContain('\n/favicon.ico\n  Content-Type: image/x-icon\n');
    expect(headers).toContain('\n/apple-touch-icon.png\n  Content-Type: image/png\n');
    const rules = headers.split(/\n(?=\/)/);
    const matching = (path: string) => rules.filter((rule) => {
      const pattern = rule.split('\n')[0]!;
      return new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/:[a-z]+/g, '[^/]+')}$`).test(path);
    });
    for (const path of ['/media/2024/photo.jpeg', '/favicon.ico', '/rss.xml', '/topic/imaging/atom.xml', '/']) {
      expect(matching(path).filter((rule) => rule.includes('Cache-Control:')).length, path).toBe(1);
    }
  });
});

describe('featured images of a real size (generate-corpus --image-bytes, for the bench)', () => {
  const placeholders = (): { jpeg: Uint8Array; png: Uint8Array } => {
    const found: { jpeg?: Uint8Array; png?: Uint8Array } = {};
    for (let index = 0; found.jpeg === undefined || found.png === undefined; index += 1) {
      const image = generateDocumentText(index).image;
      if (image?.relativePath.endsWith('.jpeg')) found.jpeg ??= image.bytes;
      if (image?.relativePath.endsWith('.png')) found.png ??= image.bytes;
    }
    return { jpeg: found.jpeg, png: found.png };
  };

  /** Every chunk of a PNG, each CRC checked as a strict decoder checks it. */
  function pngChunks(bytes: Uint8Array): string[] {
    const buffer = Buffer.from(bytes);
    const types: string[] = [];
    for (let at = 8; at < buffer.byteLength; ) {
      const length = buffer.readUInt32BE(at);
      const typed = buffer.subarray(at + 4, at + 8 + length);
      expect(buffer.readUInt32BE(at + 8 + length), `CRC of ${typed.subarray(0, 4).toString('latin1')}`).toBe(crc32(typed));
      types.push(typed.subarray(0, 4).toString('latin1'));
      at += 12 + length;
    }
    return types;
  }

  /** The markers of a JPEG up to its frame header, each segment's length walked as a decoder walks it. */
  function jpegMarkersToFrame(bytes: Uint8Array): number[] {
    const buffer = Buffer.from(bytes);
    const markers: number[] = [];
    for (let at = 2; at < buffer.byteLength; ) {
      expect(buffer[at]).toBe(0xff);
      const marker = buffer[at + 1]!;
      markers.push(marker);
      if (marker === 0xc0 || marker === 0xc2) break;
      at += 2 + buffer.readUInt16BE(at + 2);
    }
    return markers;
  }

  it('keeps the type, pixels and structure the media check reads, at the asked length', () => {
    const dir = mkdtempSync(join(tmpdir(), 'topic-feeds-padded-'));
    try {
      const { jpeg, png } = placeholders();
      for (const [name, image] of [['photo.jpeg', jpeg], ['chart.png', png]] as const) {
        writeFileSync(join(dir, `small-${name}`), image);
        const padded = paddedImage(image, 200_000);
        expect(padded.byteLength, name).toBeGreaterThanOrEqual(200_000);
        expect(padded.byteLength, name).toBeLessThan(200_004);
        writeFileSync(join(dir, name), padded);
        const small = openImage(dir, `small-${name}`, 5 * 1024 * 1024);
        const big = openImage(dir, name, 5 * 1024 * 1024);
        expect(small.ok && big.ok, name).toBe(true);
        if (small.ok && big.ok) expect({ ...big, bytes: 0, modifiedMs: 0, ino: 0 }).toEqual({ ...small, bytes: 0, modifiedMs: 0, ino: 0 });
      }
      expect(pngChunks(paddedImage(png, 200_000))).toEqual(['IHDR', 'tEXt', ...pngChunks(png).slice(1)]);
      // Comment segments (0xFE) before the placeholder's own markers, up to its frame header.
      const markers = jpegMarkersToFrame(paddedImage(jpeg, 200_000));
      expect(markers.filter((marker) => marker === 0xfe)).toHaveLength(4);
      expect(markers.filter((marker) => marker !== 0xfe)).toEqual(jpegMarkersToFrame(jpeg));
      expect(paddedImage(jpeg, 10)).toBe(jpeg);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
