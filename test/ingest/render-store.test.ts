/**
 * The render store keeps rendered and compressed bytes by ETag across
 * restarts. These tests hold it to its promises: what was put comes back,
 * byte for byte, after a reopen; an entry that is damaged in any way
 * (a flipped byte, truncated, another header, another ETag inside) is
 * discarded and never returned; the folder stays within its bound by
 * evicting the least recently used entries; and foreign files are removed.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RenderStoreOptions, StoredRender } from '../../src/ingest/render-store.ts';
import { RenderStore, renderCodeStamp, renderStoreDir } from '../../src/ingest/render-store.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function setup(overrides: Partial<RenderStoreOptions> = {}): { options: RenderStoreOptions; open: (more?: Partial<RenderStoreOptions>) => RenderStore; discarded: string[] } {
  const cacheDir = mkdtempSync(join(tmpdir(), 'render-store-'));
  dirs.push(cacheDir);
  const discarded: string[] = [];
  const options: RenderStoreOptions = { cacheDir, contentDir: '/srv/content', maxBytes: 1 << 20, stamp: 'TeStStMp', onDiscard: (_file, reason) => discarded.push(reason), ...overrides };
  return { options, open: (more = {}) => new RenderStore({ ...options, ...more }), discarded };
}

function render(seed: string, size = 4000): StoredRender {
  const identity = Buffer.alloc(size, seed);
  return { identity, br: Buffer.from(`br:${seed}`), gzip: size > 2000 ? Buffer.from(`gz:${seed}`) : undefined };
}

async function saved(store: RenderStore, etag: string, value: StoredRender): Promise<void> {
  store.put(etag, value);
  await store.idle();
}

function expectSame(actual: StoredRender | undefined, expected: StoredRender): void {
  expect(actual).toBeDefined();
  expect(actual!.identity.equals(expected.identity)).toBe(true);
  expect(actual!.br?.equals(expected.br!) ?? expected.br === undefined).toBe(true);
  expect(actual!.gzip === undefined ? expected.gzip === undefined : actual!.gzip.equals(expected.gzip!)).toBe(true);
}

describe('render store', () => {
  it('gives back what was put, after a reopen, and only under the same ETag', async () => {
    const { open } = setup();
    const first = open();
    const a = render('a');
    const b = render('b', 100); // no gzip variant
    await saved(first, '"tag-a"', a);
    first.put('"tag-b"', Promise.resolve(b));
    first.put('"tag-c"', Promise.resolve(undefined)); // nothing to save
    await first.idle();
    expect(first.stats()).toMatchObject({ entries: 2, written: 2 });

    const second = open();
    expectSame(await second.get('"tag-a"'), a);
    expectSame(await second.get('"tag-b"'), b);
    expect(await second.get('"tag-c"')).toBeUndefined();
    expect(await second.get('W/"tag-a"')).toBeUndefined();
    expect(await second.get('"tag-a-gz"')).toBeUndefined();
    expect(second.stats()).toMatchObject({ hits: 2, misses: 3, discarded: 0 });
  });

  it('keeps one folder per content folder and per code stamp', async () => {
    const { open, options } = setup();
    await saved(open(), '"x"', render('x'));
    expect(await open({ contentDir: '/srv/other' }).get('"x"')).toBeUndefined();
    const newCode = open({ stamp: 'OtHeRsTp' });
    await newCode.whenScanned();
    expect(await newCode.get('"x"')).toBeUndefined();
    // Entries of older code are removed when a store of newer code opens the folder.
    expect(readdirSync(renderStoreDir(options.cacheDir, options.contentDir))).toEqual([]);
    expect(renderStoreDir(options.cacheDir, '/srv/content')).not.toBe(renderStoreDir(options.cacheDir, '/srv/other'));
  });

  it('derives its default code stamp from the sources', () => {
    expect(renderCodeStamp()).toMatch(/^[A-Za-z0-9_-]{8}$/);
    expect(renderCodeStamp()).toBe(renderCodeStamp());
  });

  describe('discards a damaged entry and never returns it', () => {
    const damages: [string, (bytes: Buffer, store: RenderStore) => Buffer][] = [
      ['a flipped byte in the identity bytes', (bytes) => flip(bytes, bytes.length - 3000)],
      ['a flipped byte in a compressed variant', (bytes) => flip(bytes, bytes.length - 2)],
      ['a flipped byte in the header', (bytes) => flip(bytes, bytes.indexOf('"parts"') + 12)],
      ['truncated', (bytes) => bytes.subarray(0, bytes.length - 10)],
      ['truncated inside the header', (bytes) => bytes.subarray(0, 40)],
      ['trailing bytes', (bytes) => Buffer.concat([bytes, Buffer.from('x')])],
      ['another magic line', (bytes) => Buffer.concat([Buffer.from('topic-feeds/render 9\n'), bytes.subarray(bytes.indexOf(10) + 1)])],
      ['an empty file', () => Buffer.alloc(0)],
      ['not JSON in the header', (bytes) => Buffer.concat([bytes.subarray(0, bytes.indexOf(10) + 1), Buffer.from('{oops\n')])],
      ['another ETag inside', (bytes) => replaceInHeader(bytes, '"\\"tag\\""', '"\\"tah\\""')],
      ['another code stamp inside', (bytes) => replaceInHeader(bytes, '"TeStStMp"', '"TeStStMq"')],
    ];
    for (const [what, damage] of damages) {
      it(what, async () => {
        const { open, discarded } = setup();
        const store = open();
        await saved(store, '"tag"', render('a'));
        const path = store.pathOf('"tag"');
        writeFileSync(path, damage(readFileSync(path), store));
        const reopened = open();
        expect(await reopened.get('"tag"')).toBeUndefined();
        expect(discarded).toHaveLength(1);
        expect(existsSync(path)).toBe(false);
        expect(reopened.stats()).toMatchObject({ discarded: 1, entries: 0 });
        // And a fresh render of the same ETag is stored again.
        await saved(reopened, '"tag"', render('a'));
        expectSame(await open().get('"tag"'), render('a'));
      });
    }

    it("another ETag's entry under this ETag's name", async () => {
      const { open, discarded } = setup();
      const store = open();
      await saved(store, '"one"', render('1'));
      await saved(store, '"two"', render('2'));
      writeFileSync(store.pathOf('"two"'), readFileSync(store.pathOf('"one"')));
      const reopened = open();
      expect(await reopened.get('"two"')).toBeUndefined();
      expect(discarded).toEqual(['another ETag']);
      expectSame(await reopened.get('"one"'), render('1'));
    });
  });

  it('stays within its bound, evicting the least recently used entries', async () => {
    const entry = 10_000;
    const { open, options } = setup({ maxBytes: entry * 5 + 2000 });
    const store = open();
    for (const n of [1, 2, 3, 4, 5]) await saved(store, `"${n}"`, render(String(n), entry - 300));
    expect(store.stats()).toMatchObject({ entries: 5, evicted: 0 });
    // Use 1 and 2 again: 3 is now the least recently used.
    await new Promise((done) => setTimeout(done, 20));
    expect(await store.get('"1"')).toBeDefined();
    expect(await store.get('"2"')).toBeDefined();
    await saved(store, '"6"', render('6', entry - 300));
    const stats = store.stats();
    expect(stats.bytes).toBeLessThanOrEqual(options.maxBytes);
    expect(stats.evicted).toBeGreaterThanOrEqual(1);
    expect(await store.get('"3"')).toBeUndefined();
    for (const n of [1, 2, 6]) expect(await store.get(`"${n}"`), String(n)).toBeDefined();
    const onDisk = readdirSync(store.dir).reduce((sum, name) => sum + statSync(join(store.dir, name)).size, 0);
    expect(onDisk).toBe(store.stats().bytes);
    // An entry bigger than the whole bound is not stored at all.
    await saved(store, '"huge"', render('h', options.maxBytes + 1));
    expect(await store.get('"huge"')).toBeUndefined();
    // A reopened store with a smaller bound trims the folder at once.
    const smaller = open({ maxBytes: entry * 2 });
    await smaller.whenScanned();
    expect(smaller.stats().bytes).toBeLessThanOrEqual(entry * 2);
  });

  it('removes foreign files, folders and leftover temporary files from its folder', async () => {
    const { open } = setup();
    const store = open();
    await saved(store, '"kept"', render('k'));
    const name = store.fileOf('"kept"');
    writeFileSync(join(store.dir, 'notes.txt'), 'hello');
    writeFileSync(join(store.dir, `${name}.123.1.tmp`), 'half written');
    writeFileSync(join(store.dir, `XXXXXXXX-${'a'.repeat(32)}.render`), 'older code');
    mkdirSync(join(store.dir, 'sub'));
    const reopened = open();
    await reopened.whenScanned();
    expect(readdirSync(store.dir)).toEqual([name]);
    expectSame(await reopened.get('"kept"'), render('k'));
  });

  it('takes no saves once closed, and finishes those in flight', async () => {
    const { open } = setup();
    const store = open();
    let finish!: (value: StoredRender) => void;
    store.put('"late"', new Promise<StoredRender>((resolve) => (finish = resolve)));
    store.put('"now"', render('n'));
    const idle = store.idle();
    finish(render('l'));
    await idle;
    store.close();
    store.put('"closed"', render('c'));
    await store.idle();
    const reopened = open();
    expect(await reopened.get('"late"')).toBeDefined();
    expect(await reopened.get('"now"')).toBeDefined();
    expect(await reopened.get('"closed"')).toBeUndefined();
  });
});

function flip(bytes: Buffer, at: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[at] = copy[at]! ^ 0x01;
  return copy;
}

function replaceInHeader(bytes: Buffer, from: string, to: string): Buffer {
  const end = bytes.indexOf(10, bytes.indexOf(10) + 1);
  const header = bytes.toString('utf8', 0, end);
  expect(header).toContain(from);
  return Buffer.concat([Buffer.from(header.replace(from, to), 'utf8'), bytes.subarray(end)]);
}
