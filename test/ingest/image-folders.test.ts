/**
 * Images opened through their folder's real path (RealFolders, media.ts):
 * the same answers as resolving each image's own real path, for every kind
 * of link a content folder can hold, and a folder swapped for a link is seen
 * once its remembered real path is older than a second. A FIFO named like an
 * image is refused at once, at a load and on a request, instead of blocking
 * the open until something writes to it (without O_NONBLOCK, this file hangs
 * in that open rather than failing).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, realpathSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseSiteConfig } from '../../src/config/config.ts';
import { NodeStaticFiles, RealFolders, openImage } from '../../src/ingest/media.ts';
import { FIXTURE_JPEG } from '../support/media-fixture.ts';
import { REPO_ROOT } from '../support/server-process.ts';

const PHOTO = join(REPO_ROOT, 'test/fixtures/media/photo.jpeg');
const MAX = 1024 * 1024;

let base: string;
let content: string;
let outside: string;

beforeEach(() => {
  base = realpathSync(mkdtempSync(join(tmpdir(), 'topic-feeds-folders-')));
  content = join(base, 'content');
  outside = join(base, 'outside');
  mkdirSync(join(content, '2024', 'deep'), { recursive: true });
  mkdirSync(join(content, '.private'));
  mkdirSync(outside);
  copyFileSync(PHOTO, join(content, '2024', 'photo.jpeg'));
  copyFileSync(PHOTO, join(content, '2024', 'deep', 'photo.jpeg'));
  copyFileSync(PHOTO, join(content, 'top.jpeg'));
  copyFileSync(PHOTO, join(content, '.private', 'secret.jpeg'));
  copyFileSync(PHOTO, join(outside, 'secret.jpeg'));
  // Links a curator may make inside the folder, and ones that lead out of it or to a hidden file.
  symlinkSync(join(content, '2024', 'photo.jpeg'), join(content, '2024', 'same.jpeg'));
  symlinkSync(join(content, '2024'), join(content, 'alias'));
  symlinkSync(outside, join(content, 'away'));
  symlinkSync(join(outside, 'secret.jpeg'), join(content, '2024', 'escape.jpeg'));
  symlinkSync(join(content, '.private', 'secret.jpeg'), join(content, '2024', 'hidden.jpeg'));
  symlinkSync(join(content, '.private'), join(content, 'veiled'));
  execFileSync('mkfifo', [join(content, '2024', 'pipe.jpeg')]);
  symlinkSync(join(content, '2024', 'pipe.jpeg'), join(content, '2024', 'to-pipe.jpeg'));
});

afterEach(() => rmSync(base, { recursive: true, force: true }));

/** What `openImage` says of `file`: its size, or the problem's reason. */
function outcome(file: string, folders?: RealFolders): string {
  const result = openImage(content, file, MAX, false, folders);
  return result.ok ? `${result.mimeType} ${result.width}x${result.height} ${result.bytes}` : result.problem('doc.md').reason;
}

const MEASURED = `image/jpeg 64x48 ${FIXTURE_JPEG.byteLength}`;

describe('an image opened through its folder’s real path', () => {
  const cases: [string, string | RegExp][] = [
    ['2024/photo.jpeg', MEASURED],
    ['2024/deep/photo.jpeg', MEASURED],
    ['top.jpeg', MEASURED],
    ['2024/same.jpeg', MEASURED],
    ['alias/photo.jpeg', MEASURED],
    ['away/secret.jpeg', /outside the content folder/],
    ['2024/escape.jpeg', /outside the content folder/],
    ['2024/hidden.jpeg', /hidden file/],
    ['veiled/secret.jpeg', /hidden file/],
    ['2024/gone.jpeg', /does not exist/],
    ['nowhere/photo.jpeg', /does not exist/],
    ['top.jpeg/photo.jpeg', /does not exist/],
    ['2024/pipe.jpeg', /is not a regular file/],
    ['2024/to-pipe.jpeg', /is not a regular file/],
  ];

  it.each(cases)('%s: the same answer as resolving the image itself', (file, expected) => {
    const direct = outcome(file);
    const viaFolder = outcome(file, new RealFolders());
    expect(viaFolder).toBe(direct);
    if (typeof expected === 'string') expect(viaFolder).toBe(expected);
    else expect(viaFolder).toMatch(expected);
  });

  it('sees a folder swapped for a link out of the content folder once its real path is a second old', () => {
    let now = 1_000_000;
    const folders = new RealFolders(() => now);
    expect(outcome('2024/photo.jpeg', folders)).toBe(MEASURED);
    renameSync(join(content, '2024'), join(content, '2024-old'));
    copyFileSync(PHOTO, join(outside, 'photo.jpeg'));
    symlinkSync(outside, join(content, '2024'));
    now += 1001;
    expect(outcome('2024/photo.jpeg', folders)).toMatch(/outside the content folder/);
  });

  it('does not remember a folder it could not resolve: an image whose folder appears is found at once', () => {
    const folders = new RealFolders(() => 0);
    expect(outcome('later/photo.jpeg', folders)).toMatch(/does not exist/);
    mkdirSync(join(content, 'later'));
    copyFileSync(PHOTO, join(content, 'later', 'photo.jpeg'));
    expect(outcome('later/photo.jpeg', folders)).toBe(MEASURED);
  });

  it('answers a request for an image swapped for a FIFO with nothing, at once', async () => {
    const files = new NodeStaticFiles(content, parseSiteConfig({ SITE_URL: 'https://feeds.example.org' }));
    expect(await files.get({ path: '/media/2024/photo.jpeg', file: '2024/photo.jpeg' })).toBeDefined();
    rmSync(join(content, '2024', 'photo.jpeg'));
    execFileSync('mkfifo', [join(content, '2024', 'photo.jpeg')]);
    expect(await files.get({ path: '/media/2024/photo.jpeg', file: '2024/photo.jpeg' })).toBeUndefined();
  });
});
