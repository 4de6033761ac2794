/**
 * The image memo: an image a stat proves unchanged is not opened again (its
 * facts and ETag come from the memo), and every way a file can change
 * (edited, replaced by another file, edited within the racy margin) is
 * checked in full again. A build's or export's static files read the bytes
 * of a remembered image only when they are written.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseSiteConfig } from '../../src/config/config.ts';
import type { FeedImage } from '../../src/content/document.ts';
import { ImageMemo, openImageMemo } from '../../src/ingest/image-memo.ts';
import { collectStaticFiles } from '../../src/ingest/media.ts';
import { scanContentOnThread } from '../../src/ingest/stat-thread.ts';
import { bytesEtag } from '../../src/publish/static-files.ts';
import { FIXTURE_JPEG, FIXTURE_PNG } from '../support/media-fixture.ts';

const site = parseSiteConfig({ SITE_URL: 'https://feeds.example.org' });
const FACTS = { mimeType: 'image/jpeg', width: 16, height: 9 };
const HOUR_AGO = Math.floor(Date.now() / 1000) - 3600;

let root: string;
let content: string;
let cacheDir: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'topic-feeds-images-'));
  content = join(root, 'content');
  cacheDir = join(root, 'cache');
  mkdirSync(join(content, 'img'), { recursive: true });
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Writes an image with a whole-second mtime (so it can be restored exactly), an hour old unless told. */
function put(name: string, bytes: Uint8Array, mtime = HOUR_AGO): string {
  const path = join(content, 'img', name);
  writeFileSync(path, bytes);
  utimesSync(path, mtime, mtime);
  return path;
}

function remember(memo: ImageMemo, name: string, path: string, etag?: string): void {
  const info = statSync(path);
  memo.remember(`img/${name}`, { ...FACTS, bytes: info.size, modifiedMs: info.mtimeMs, dev: info.dev, ino: info.ino }, Date.now(), etag);
}

describe('ImageMemo', () => {
  it('vouches for an unchanged file, also after a save and a reopen', () => {
    const path = put('a.jpeg', FIXTURE_JPEG);
    const memo = openImageMemo(site, content, cacheDir);
    remember(memo, 'a.jpeg', path, '"tag"');
    expect(memo.lookup('img/a.jpeg', path)).toMatchObject({ ...FACTS, bytes: FIXTURE_JPEG.byteLength, etag: '"tag"' });
    memo.save();
    const reopened = openImageMemo(site, content, cacheDir);
    expect(reopened.lookup('img/a.jpeg', path)).toMatchObject({ ...FACTS, etag: '"tag"' });
  });

  it('keeps names with tabs, newlines, quotes and backslashes; a damaged line is only that image checked again', () => {
    const names = ['tab\there.jpeg', 'new\nline.jpeg', 'quote".jpeg', 'back\\slash.jpeg', 'plain.jpeg'];
    const paths = names.map((name) => put(name, FIXTURE_JPEG));
    const memo = openImageMemo(site, content, cacheDir);
    names.forEach((name, i) => remember(memo, name, paths[i]!, `"tag${i}"`));
    memo.save();
    const file = readdirSync(cacheDir).find((name) => name.startsWith('images-'))!;
    expect(file).toMatch(/\.tsv$/);
    const reopened = openImageMemo(site, content, cacheDir);
    expect(reopened.knownFiles()).toEqual(names.map((name) => `img/${name}`));
    names.forEach((name, i) => expect(reopened.lookup(`img/${name}`, paths[i]!)).toMatchObject({ ...FACTS, etag: `"tag${i}"` }));
    // One line damaged (a field that is no number): that image is unknown, the others are still vouched for.
    const saved = readFileSync(join(cacheDir, file), 'utf8').split('\n');
    const plain = saved.findIndex((line) => line.startsWith('"img/plain.jpeg"'));
    saved[plain] = saved[plain]!.replace(/\t16\t/, '\tsixteen\t');
    writeFileSync(join(cacheDir, file), saved.join('\n'));
    const damaged = openImageMemo(site, content, cacheDir);
    expect(damaged.lookup('img/plain.jpeg', paths[4]!)).toBeUndefined();
    expect(damaged.lookup('img/quote".jpeg', paths[2]!)).toMatchObject({ etag: '"tag2"' });
  });

  it('reads no memo of the first format (one JSON object), and removes it at the next save', () => {
    const path = put('a.jpeg', FIXTURE_JPEG);
    const memo = openImageMemo(site, content, cacheDir);
    remember(memo, 'a.jpeg', path, '"tag"');
    memo.save();
    const file = readdirSync(cacheDir).find((name) => name.startsWith('images-'))!;
    const legacy = join(cacheDir, file.replace(/\.tsv$/, '.json'));
    renameSync(join(cacheDir, file), legacy);
    expect(openImageMemo(site, content, cacheDir).knownFiles()).toEqual([]);
    const again = openImageMemo(site, content, cacheDir);
    remember(again, 'a.jpeg', path, '"tag"');
    again.save();
    expect(readdirSync(cacheDir).sort()).toEqual([file]);
  });

  it('checks again a file edited in place (new size or mtime)', () => {
    const path = put('a.jpeg', FIXTURE_JPEG);
    const memo = ImageMemo.inMemory();
    remember(memo, 'a.jpeg', path);
    writeFileSync(path, FIXTURE_PNG);
    expect(memo.lookup('img/a.jpeg', path)).toBeUndefined();
  });

  it('takes the stats another thread took during the load, for that load only', async () => {
    const path = put('a.jpeg', FIXTURE_JPEG);
    const saved = openImageMemo(site, content, cacheDir);
    remember(saved, 'a.jpeg', path, '"tag"');
    saved.save();
    const memo = openImageMemo(site, content, cacheDir);
    expect(memo.knownFiles()).toEqual(['img/a.jpeg']);
    const scan = scanContentOnThread(content);
    const prestats = await scan.statMore(content, memo.knownFiles());
    expect(prestats.get('img/a.jpeg')).toMatchObject({ size: FIXTURE_JPEG.byteLength, mtimeMs: statSync(path).mtimeMs, ino: statSync(path).ino });
    // Edited after the threads' stat: this load goes by that stat (as if the edit came a moment later)...
    writeFileSync(path, FIXTURE_PNG);
    memo.usePrestats(prestats);
    expect(memo.lookup('img/a.jpeg', path)).toMatchObject({ etag: '"tag"' });
    // ...and once the load is over, a lookup stats for itself and sees the edit.
    memo.dropPrestats();
    expect(memo.lookup('img/a.jpeg', path)).toBeUndefined();
  });

  it('counts a path the thread could not stat, or that is not a file, as changed', async () => {
    const path = put('a.jpeg', FIXTURE_JPEG);
    const memo = ImageMemo.inMemory();
    remember(memo, 'a.jpeg', path);
    const prestats = await scanContentOnThread(content).statMore(content, ['img/a.jpeg', 'img', 'missing.jpeg']);
    expect(['img/a.jpeg', 'img', 'missing.jpeg'].map((file) => [prestats.has(file), prestats.get(file) !== undefined])).toEqual([
      [true, true],
      [true, false],
      [true, false],
    ]);
    memo.usePrestats(new Map([['img/a.jpeg', undefined]]));
    expect(memo.lookup('img/a.jpeg', path)).toBeUndefined();
  });

  it('lookupOnce trusts what this memo proved earlier in the process (no second stat), and stats what it did not', () => {
    const path = put('a.jpeg', FIXTURE_JPEG);
    const saved = openImageMemo(site, content, cacheDir);
    remember(saved, 'a.jpeg', path, '"tag"');
    saved.save();
    // A new process: the saved entry is not proven yet, so lookupOnce stats and sees the edit.
    const fresh = openImageMemo(site, content, cacheDir);
    writeFileSync(path, FIXTURE_PNG);
    expect(fresh.lookupOnce('img/a.jpeg', content)).toBeUndefined();
    // Proven by a lookup (the load's), then edited: lookupOnce keeps the load's answer; lookup sees the edit.
    put('a.jpeg', FIXTURE_JPEG);
    const memo = openImageMemo(site, content, cacheDir);
    expect(memo.lookup('img/a.jpeg', path)).toMatchObject({ etag: '"tag"' });
    writeFileSync(path, FIXTURE_PNG);
    expect(memo.lookupOnce('img/a.jpeg', content)).toMatchObject({ etag: '"tag"' });
    expect(memo.lookup('img/a.jpeg', path)).toBeUndefined();
  });

  it('checks again a file replaced by another one with the same size and mtime (another inode)', () => {
    const path = put('a.jpeg', FIXTURE_JPEG);
    const memo = ImageMemo.inMemory();
    remember(memo, 'a.jpeg', path);
    const flipped = Uint8Array.from(FIXTURE_JPEG);
    flipped[flipped.length - 3]! ^= 0xff;
    const other = put('other.jpeg', flipped);
    renameSync(other, path);
    expect(statSync(path).size).toBe(FIXTURE_JPEG.byteLength);
    expect(statSync(path).mtimeMs).toBe(HOUR_AGO * 1000);
    expect(memo.lookup('img/a.jpeg', path)).toBeUndefined();
  });

  it('does not vouch for a file whose mtime was within the racy margin of its check', () => {
    // A minute ahead: within the margin of any check, however slow the machine.
    const path = put('a.jpeg', FIXTURE_JPEG, Math.floor(Date.now() / 1000) + 60);
    const memo = ImageMemo.inMemory();
    remember(memo, 'a.jpeg', path);
    expect(memo.lookup('img/a.jpeg', path)).toBeUndefined();
  });

  it('starts empty from a memo of other settings or code, and from a damaged file', () => {
    const path = put('a.jpeg', FIXTURE_JPEG);
    const memo = openImageMemo(site, content, cacheDir);
    remember(memo, 'a.jpeg', path);
    memo.save();
    const other = parseSiteConfig({ SITE_URL: 'https://elsewhere.example.org' });
    expect(openImageMemo(other, content, cacheDir).lookup('img/a.jpeg', path)).toBeUndefined();
    writeFileSync(memo.path!, readFileSync(memo.path!, 'utf8').slice(0, 40));
    expect(openImageMemo(site, content, cacheDir).lookup('img/a.jpeg', path)).toBeUndefined();
  });
});

describe('static files through the memo', () => {
  const image = (file: string): { image: FeedImage } => ({ image: { url: `https://feeds.example.org/media/${file}`, alt: '', mimeType: 'image/jpeg', file } });

  it('gives a remembered image the same ETag and bytes as a full read, and a changed one its new bytes', () => {
    put('a.jpeg', FIXTURE_JPEG);
    const memo = openImageMemo(site, content, cacheDir);
    const first = collectStaticFiles(site, content, [image('img/a.jpeg')], memo).find((file) => file.outFile === 'media/img/a.jpeg')!;
    expect(first.entry.etag).toBe(bytesEtag(FIXTURE_JPEG));
    memo.save();

    const again = collectStaticFiles(site, content, [image('img/a.jpeg')], openImageMemo(site, content, cacheDir)).find((file) => file.outFile === 'media/img/a.jpeg')!;
    expect(again.entry.etag).toBe(first.entry.etag);
    expect(Buffer.from(again.bytes).equals(FIXTURE_JPEG)).toBe(true);

    // A new image under the same name (a JPEG again, other bytes, a new mtime).
    const flipped = Uint8Array.from(FIXTURE_JPEG);
    flipped[flipped.length - 3]! ^= 0xff;
    put('a.jpeg', flipped, HOUR_AGO + 60);
    const changed = collectStaticFiles(site, content, [image('img/a.jpeg')], openImageMemo(site, content, cacheDir)).find((file) => file.outFile === 'media/img/a.jpeg')!;
    expect(changed.entry.etag).toBe(bytesEtag(flipped));
    expect(Buffer.from(changed.bytes).equals(Buffer.from(flipped))).toBe(true);
  });

  it('holds image bytes up to its budget until each is read once, and reads the rest when written, checked against their ETag', () => {
    put('a.jpeg', FIXTURE_JPEG);
    put('b.png', FIXTURE_PNG);
    const documents = [image('img/a.jpeg'), image('img/b.png')];
    // Room for the first image only: its bytes are held from the read that hashed them, the second is read again.
    const files = collectStaticFiles(site, content, documents, ImageMemo.inMemory(), FIXTURE_JPEG.byteLength);
    const a = files.find((file) => file.outFile === 'media/img/a.jpeg')!;
    const b = files.find((file) => file.outFile === 'media/img/b.png')!;
    expect([a.entry.etag, b.entry.etag]).toEqual([bytesEtag(FIXTURE_JPEG), bytesEtag(FIXTURE_PNG)]);

    // Both files change after the collection (a new mtime, other bytes of the same type).
    const otherJpeg = Uint8Array.from(FIXTURE_JPEG);
    otherJpeg[otherJpeg.length - 3]! ^= 0xff;
    const otherPng = Uint8Array.from(FIXTURE_PNG);
    otherPng[otherPng.length - 20]! ^= 0xff;
    put('a.jpeg', otherJpeg, HOUR_AGO + 60);
    put('b.png', otherPng, HOUR_AGO + 60);

    // The held bytes are the ones hashed, handed over once; a read from disk never gives bytes under another ETag.
    expect(Buffer.from(a.bytes).equals(FIXTURE_JPEG)).toBe(true);
    expect(() => a.bytes).toThrow(/changed during the run/);
    expect(() => b.bytes).toThrow(/changed during the run/);

    // Unchanged files are read again as often as asked, with the same bytes.
    put('b.png', FIXTURE_PNG);
    expect(Buffer.from(b.bytes).equals(FIXTURE_PNG)).toBe(true);
    expect(Buffer.from(b.bytes).equals(FIXTURE_PNG)).toBe(true);
  });
});
