/**
 * The export's writers: every failure of a write surfaces (never a success
 * report over a missing file), and a run's other writer stops on it.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FileCheck } from '../../src/cli/export-state.ts';
import { placeFile, sha1, writeAtomic } from '../../src/cli/export-state.ts';
import { joinParts } from '../../src/feeds/bytes.ts';
import { WriteThread } from '../../src/cli/write-thread.ts';
import { placeStaticFiles } from '../../src/cli/export-write.ts';
import type { StaticFileOutput } from '../../src/ingest/media.ts';

const FRESH: FileCheck = { intact: false, skip: false };
let out: string;

beforeEach(() => {
  out = mkdtempSync(join(tmpdir(), 'topic-feeds-write-'));
});
afterEach(() => rmSync(out, { recursive: true, force: true }));

function staticFile(outFile: string): StaticFileOutput {
  return {
    path: `/${outFile}`,
    outFile,
    bytes: new TextEncoder().encode(`bytes of ${outFile}`),
    entry: { file: outFile, contentType: 'image/png', etag: `"${outFile}"`, lastModifiedMs: 0, cacheControl: 'public, max-age=60' },
  };
}

describe('placeStaticFiles', () => {
  it('fails when one write fails, however early it failed and however many writes follow it', async () => {
    // `media` is a file, so nothing can be written under it.
    writeFileSync(join(out, 'media'), 'not a folder');
    const files = [staticFile('media/a.png'), ...Array.from({ length: 60 }, (_, i) => staticFile(`ok/${i}.png`))];
    const done: string[] = [];
    await expect(placeStaticFiles(files, out, () => FRESH, (file) => done.push(file))).rejects.toThrow();
    expect(done).not.toContain('media/a.png');
  });

  it('writes nothing once the run’s other writer failed (the stop signal)', async () => {
    const stop = new AbortController();
    stop.abort(new Error('the routes failed'));
    await expect(placeStaticFiles([staticFile('ok/a.png')], out, () => FRESH, () => undefined, new Set(), stop.signal)).rejects.toThrow('the routes failed');
    expect(existsSync(join(out, 'ok'))).toBe(false);
  });

  it('writes every file when nothing fails', async () => {
    mkdirSync(join(out, 'ok'));
    const files = Array.from({ length: 40 }, (_, i) => staticFile(`ok/${i}.png`));
    const done: string[] = [];
    await placeStaticFiles(files, out, () => FRESH, (file) => done.push(file));
    expect(done.sort()).toEqual(files.map((file) => file.outFile).sort());
    expect(readdirSync(join(out, 'ok'))).toHaveLength(40);
  });
});

describe('writing parts', () => {
  it('writes every part in order, past the 1024 buffers one writev call takes, and records the joined bytes’ hash', async () => {
    const parts = Array.from({ length: 3000 }, (_, i) => new TextEncoder().encode(`<item n="${i}">${'é'.repeat(i % 7)}</item>\n`));
    parts.push(new Uint8Array(3 * 1024 * 1024).fill(0x61));
    const bytes = { parts, byteLength: parts.reduce((sum, part) => sum + part.byteLength, 0) };
    const written = await writeAtomic(join(out, 'feed.xml'), bytes);
    const onDisk = readFileSync(join(out, 'feed.xml'));
    expect(onDisk.equals(Buffer.from(joinParts(bytes)))).toBe(true);
    expect(written.size).toBe(bytes.byteLength);
    expect(readdirSync(out)).toEqual(['feed.xml']);

    const placed = await placeFile(out, 'sub/feed.xml', bytes, '"tag"', FRESH);
    expect(placed.outcome).toBe('written');
    expect(placed.record.sha1).toBe(sha1(onDisk));
    expect(readFileSync(join(out, 'sub', 'feed.xml')).equals(onDisk)).toBe(true);
  });
});

describe('the write thread', () => {
  it('writes what it is sent (parts, a view into a larger buffer), reports each outcome, and fails a write that fails', async () => {
    const thread = new WriteThread();
    try {
      const parts = [new TextEncoder().encode('<rss>'), new TextEncoder().encode('ü</rss>\n')];
      const pooled = new Uint8Array(64).fill(0x7a).subarray(10, 20);
      const [feed, image] = await Promise.all([
        thread.place(out, 'a/rss.xml', { parts, byteLength: parts[0]!.byteLength + parts[1]!.byteLength }, '"1"', FRESH),
        thread.place(out, 'media/x.png', pooled, '"2"', FRESH),
      ]);
      expect(readFileSync(join(out, 'a', 'rss.xml'), 'utf8')).toBe('<rss>ü</rss>\n');
      expect(readFileSync(join(out, 'media', 'x.png'))).toEqual(Buffer.alloc(10, 0x7a));
      expect(feed.outcome).toBe('written');
      expect(feed.record.sha1).toBe(sha1(readFileSync(join(out, 'a', 'rss.xml'))));
      expect(image.record.size).toBe(10);
      // The same bytes again, over an intact file: left as it is.
      const again = await thread.place(out, 'a/rss.xml', { parts, byteLength: feed.record.size }, '"1"', { previous: feed.record, intact: true, skip: false });
      expect(again.outcome).toBe('unchanged');
      // Under a file where a folder must go: the error comes back with its code.
      writeFileSync(join(out, 'blocked'), 'a file');
      await expect(thread.place(out, 'blocked/rss.xml', parts[0]!, '"3"', FRESH)).rejects.toMatchObject({ code: 'EEXIST' });
      // The run's writers stop on it, as with writes on this thread.
      await expect(placeStaticFiles([staticFile('blocked/b.png')], out, () => FRESH, () => undefined, new Set(), undefined, thread.place)).rejects.toThrow();
    } finally {
      await thread.close();
    }
    await expect(thread.place(out, 'late.xml', new Uint8Array(1), '"4"', FRESH)).rejects.toThrow('closed');
  });

  it('lays pages into buffers it lends the thread and gets back: each file exactly its page, the parts left whole for the next page', async () => {
    const thread = new WriteThread();
    const encoder = new TextEncoder();
    // A fragment shared by pages (as item fragments are): lending must not take it away.
    const shared = encoder.encode('<item>shared</item>');
    const page = (text: string) => ({ parts: [encoder.encode(text), shared], byteLength: encoder.encode(text).byteLength + shared.byteLength });
    try {
      // Big pages first, then small ones into the same (reused) buffers: no byte of a bigger page may follow a smaller one.
      const sizes = [300_000, 5, 120_000, 0, 1, 300_001, 7];
      for (let round = 0; round < 3; round += 1) {
        const placed = await Promise.all(sizes.map((size, i) => thread.place(out, `p/${round}-${i}.xml`, page('x'.repeat(size)), `"${i}"`, FRESH)));
        for (const [i, size] of sizes.entries()) {
          const expected = Buffer.concat([Buffer.from('x'.repeat(size)), Buffer.from(shared)]);
          const written = readFileSync(join(out, 'p', `${round}-${i}.xml`));
          expect(written.equals(expected), `${round}-${i}`).toBe(true);
          expect(placed[i]!.record.size).toBe(expected.byteLength);
          expect(placed[i]!.record.sha1).toBe(sha1(expected));
        }
      }
      expect(new TextDecoder().decode(shared)).toBe('<item>shared</item>');
    } finally {
      await thread.close();
    }
  });
});
