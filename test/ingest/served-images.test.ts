/**
 * An image's revalidation on the Node server (NodeStaticFiles): answered from
 * the validators of the last full read while the open file shows the same
 * identity, and read again in full after any change to the file, even one
 * that keeps its size and puts its mtime back (its ctime moves).
 */
import { readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseSiteConfig } from '../../src/config/config.ts';
import { NodeStaticFiles } from '../../src/ingest/media.ts';
import { createApp } from '../../src/http/app.ts';
import { loadCatalogFromDir } from '../../src/ingest/load-dir.ts';
import { bytesEtag } from '../../src/publish/static-files.ts';
import type { Validators } from '../../src/topics/validators.ts';
import { FIXTURE_PNG, makeMediaFixture } from '../support/media-fixture.ts';
import type { MediaFixture } from '../support/media-fixture.ts';

const SITE_URL = 'https://feeds.example.org';
const site = parseSiteConfig({ SITE_URL });
const request = { path: '/media/2024/chart.png', file: '2024/chart.png' };

let fixture: MediaFixture;

beforeAll(() => {
  fixture = makeMediaFixture();
});

afterAll(() => fixture.cleanup());

afterEach(() => {
  vi.useRealTimers();
});

/** Past the racy margin of the last read: a file written just before a read is never trusted by its stat. */
function later(seconds: number): void {
  vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + seconds * 1000 });
}

describe('revalidating an image on Node', () => {
  it('answers from the last read’s validators, without the bytes, while the file is unchanged', async () => {
    const files = new NodeStaticFiles(fixture.content, site);
    later(10);
    const first = await files.get(request);
    expect(first!.etag).toBe(bytesEtag(FIXTURE_PNG));
    // The first answer read the bytes: they are at hand.
    expect(first!.body()).toBeInstanceOf(Uint8Array);
    const asked: Validators[] = [];
    const again = await files.get({ ...request, answeredByValidators: (validators) => (asked.push(validators), true) });
    expect(asked.map((validators) => validators.etag)).toEqual([first!.etag]);
    expect(again!.etag).toBe(first!.etag);
    expect(again!.lastModified).toBe(first!.lastModified);
    expect(again!.contentType).toBe('image/png');
    // What a HEAD sends as Content-Length, from the stat.
    expect(again!.byteLength?.()).toBe(FIXTURE_PNG.length);
    // Not read: its body would be read only if asked for, and then it is the file's bytes.
    const body = again!.body();
    expect(body).toBeInstanceOf(Promise);
    const stream = (await body) as ReadableStream<Uint8Array>;
    expect(Buffer.from(await new Response(stream).arrayBuffer()).equals(FIXTURE_PNG)).toBe(true);
  });

  it('reads in full when the request needs the body, and when the last read came too soon after a change', async () => {
    const files = new NodeStaticFiles(fixture.content, site);
    await files.get(request);
    // The fixture was written within the racy margin of that read: its stat proves nothing yet.
    const soon = await files.get({ ...request, answeredByValidators: () => true });
    expect(soon!.body()).toBeInstanceOf(Uint8Array);
    later(10);
    await files.get(request);
    const needsBody = await files.get({ ...request, answeredByValidators: () => false });
    expect(needsBody!.body()).toBeInstanceOf(Uint8Array);
  });

  it('serves new bytes under a new ETag after an edit that keeps the size and puts the mtime back', async () => {
    const catalog = await loadCatalogFromDir(site, fixture.content, { threads: 0 });
    const app = createApp({ catalog: () => catalog });
    const path = join(fixture.content, '2024', 'chart.png');
    // A whole-second mtime, which utimes can put back exactly.
    const mtime = Math.floor(Date.now() / 1000) - 60;
    utimesSync(path, mtime, mtime);
    later(10);
    const first = await app.request(`${SITE_URL}/media/2024/chart.png`);
    const etag = first.headers.get('ETag')!;
    expect(etag).toBe(bytesEtag(FIXTURE_PNG));
    later(20);
    expect((await app.request(`${SITE_URL}/media/2024/chart.png`, { headers: { 'If-None-Match': etag } })).status).toBe(304);

    // Same length (the last byte, in the IEND chunk's CRC, flipped), same inode, and the mtime put back.
    const original = statSync(path);
    const edited = Buffer.from(FIXTURE_PNG);
    edited[edited.length - 1] = edited[edited.length - 1]! ^ 0xff;
    writeFileSync(path, edited);
    utimesSync(path, mtime, mtime);
    const now = statSync(path);
    expect([now.ino, now.size, now.mtimeMs]).toEqual([original.ino, original.size, original.mtimeMs]);
    try {
      later(30);
      const after = await app.request(`${SITE_URL}/media/2024/chart.png`, { headers: { 'If-None-Match': etag } });
      expect(after.status).toBe(200);
      expect(after.headers.get('ETag')).toBe(bytesEtag(edited));
      expect(Buffer.from(await after.arrayBuffer()).equals(edited)).toBe(true);
    } finally {
      writeFileSync(path, FIXTURE_PNG);
    }
  });

  it('forgets an image that is gone or no longer an image', async () => {
    const files = new NodeStaticFiles(fixture.content, site);
    const path = join(fixture.content, '2024', 'photo.jpeg');
    const jpeg = readFileSync(path);
    const photo = { path: '/media/2024/photo.jpeg', file: '2024/photo.jpeg' };
    later(10);
    expect(await files.get(photo)).toBeDefined();
    writeFileSync(path, 'not an image any more');
    later(20);
    expect(await files.get({ ...photo, answeredByValidators: () => true })).toBeUndefined();
    rmSync(path);
    expect(await files.get({ ...photo, answeredByValidators: () => true })).toBeUndefined();
    writeFileSync(path, jpeg);
  });
});
