/**
 * The real Node server (src/node/main.ts) serving images beside the documents
 * and the site icon: bytes, types, strong ETags and 304s, caching, and a 404
 * (never a 500) for every path that must not be served. Raw HTTP, so encoded
 * traversal reaches the server exactly as written.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesEtag, DEFAULT_SITE_ICON, icoFromPng } from '../../src/publish/static-files.ts';
import { httpRequest } from '../support/corpus.ts';
import { FIXTURE_JPEG, FIXTURE_PNG, makeMediaFixture } from '../support/media-fixture.ts';
import type { MediaFixture } from '../support/media-fixture.ts';
import { startServer } from '../support/server-process.ts';
import type { RunningServer } from '../support/server-process.ts';

let fixture: MediaFixture;
let server: RunningServer;
let iconServer: RunningServer;

beforeAll(async () => {
  fixture = makeMediaFixture();
  server = await startServer({ contentDir: fixture.content, env: { WATCH: 'false' } });
  // A configured icon: any PNG (here the fixture chart).
  const iconFile = join(fixture.root, 'icon.png');
  writeFileSync(iconFile, FIXTURE_PNG);
  iconServer = await startServer({ contentDir: fixture.content, env: { WATCH: 'false', SITE_ICON_FILE: iconFile } });
});

afterAll(async () => {
  await server?.stop();
  await iconServer?.stop();
  fixture?.cleanup();
});

describe('images beside the documents', () => {
  it('are served with their bytes, type, a strong ETag from the bytes, and revalidating cache headers', async () => {
    for (const [path, bytes, type] of [
      ['/media/2024/photo.jpeg', FIXTURE_JPEG, 'image/jpeg'],
      ['/media/2024/chart.png', FIXTURE_PNG, 'image/png'],
    ] as const) {
      const response = await httpRequest(server.port, path);
      expect(response.status, path).toBe(200);
      expect(response.body.equals(bytes), path).toBe(true);
      expect(response.headers['content-type']).toBe(type);
      expect(response.headers['etag']).toBe(bytesEtag(bytes));
      expect(response.headers['etag']).not.toMatch(/^W\//);
      expect(response.headers['cache-control']).toBe('public, max-age=86400, stale-while-revalidate=604800');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['last-modified']).toBeDefined();
      expect(response.headers['vary']).toBeUndefined();
      const again = await httpRequest(server.port, path, { headers: { 'If-None-Match': response.headers['etag']! } });
      expect(again.status).toBe(304);
      expect(again.body.length).toBe(0);
      const head = await httpRequest(server.port, path, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.headers['etag']).toBe(response.headers['etag']);
      expect(head.headers['content-length']).toBe(String(bytes.length));
      expect(head.body.length).toBe(0);
    }
  });

  it.each([
    '/media/../package.json',
    '/media/%2e%2e/package.json',
    '/media/%2E%2E/%2E%2E/package.json',
    '/media/2024%2fphoto.jpeg',
    '/media/2024%2F..%2F..%2Fpackage.json',
    '/media/2024%5cphoto.jpeg',
    '/media/..%5c..%5cpackage.json',
    '/media//2024/photo.jpeg',
    '/media/2024/escape.jpeg',
    '/media/.hidden.jpeg',
    '/media/%2ehidden.jpeg',
    '/media/logo.svg',
    '/media/fake.jpg',
    '/media/2024/gone.jpeg',
    '/media/2024/with-jpeg.md',
    '/media/2024/photo.jpeg%00.md',
    '/media/%ff.jpeg',
    '/media/',
    '/media',
  ])('answers %s with a 404, never a 500', async (path) => {
    const response = await httpRequest(server.port, path);
    expect(response.status).toBe(404);
    // The file outside CONTENT_DIR is a JPEG: no answer may carry JPEG bytes.
    expect(response.body.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))).toBe(false);
  });
});

describe('the site icon', () => {
  it('serves /favicon.ico (an ICO wrapping the PNG) and /apple-touch-icon.png with their types and validators', async () => {
    const ico = await httpRequest(server.port, '/favicon.ico');
    expect(ico.status).toBe(200);
    expect(ico.headers['content-type']).toBe('image/x-icon');
    expect(ico.body.equals(Buffer.from(icoFromPng(DEFAULT_SITE_ICON.png, 180, 180)))).toBe(true);
    expect(ico.headers['cache-control']).toBe('public, max-age=604800, stale-while-revalidate=604800');
    const png = await httpRequest(server.port, '/apple-touch-icon.png');
    expect(png.status).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.body.equals(Buffer.from(DEFAULT_SITE_ICON.png))).toBe(true);
    expect((await httpRequest(server.port, '/favicon.ico', { headers: { 'If-None-Match': ico.headers['etag']! } })).status).toBe(304);
  });

  it('serves SITE_ICON_FILE instead when set', async () => {
    const png = await httpRequest(iconServer.port, '/apple-touch-icon.png');
    expect(png.body.equals(FIXTURE_PNG)).toBe(true);
    const ico = await httpRequest(iconServer.port, '/favicon.ico');
    expect(ico.body.subarray(22).equals(FIXTURE_PNG)).toBe(true);
  });

  it('is linked from every HTML page, and used as the feeds’ icon and logo', async () => {
    const pages = ['/', '/topic/imaging/', '/rss.xml?view=html', '/topic/imaging/feed.json?view=html'];
    for (const path of pages) {
      const response = await httpRequest(server.port, path);
      expect(response.status, path).toBe(200);
      const html = response.body.toString('utf8');
      const head = html.slice(0, html.indexOf('</head>'));
      const links = [...head.matchAll(/<link rel="(icon|apple-touch-icon)" href="([^"]+)">/g)].map((m) => [m[1], m[2]]);
      expect(links, path).toEqual([
        ['icon', 'http://feeds.test/favicon.ico'],
        ['apple-touch-icon', 'http://feeds.test/apple-touch-icon.png'],
      ]);
    }
    const json = JSON.parse((await httpRequest(server.port, '/feed.json')).body.toString('utf8')) as { icon?: string; favicon?: string };
    expect(json.icon).toBe('http://feeds.test/apple-touch-icon.png');
    expect(json.favicon).toBe('http://feeds.test/apple-touch-icon.png');
    const atom = (await httpRequest(server.port, '/atom.xml')).body.toString('utf8');
    expect(atom).toContain('<icon>http://feeds.test/apple-touch-icon.png</icon>');
    expect(atom).toContain('<logo>http://feeds.test/apple-touch-icon.png</logo>');
  });
});
