/**
 * `npm run export` into a folder that holds an earlier export updates it in
 * place: only changed bytes are written, gone routes removed, and the result
 * equals a fresh export of the same content, byte for byte. Foreign folders
 * are refused; hand-edited files are repaired; an interrupted run is
 * recovered; `--ping` pings exactly the changed feeds.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDocumentText } from '../../scripts/generate-corpus.ts';
import { exportSite } from '../../src/cli/export.ts';
import { MANIFEST_FILE, TEMP_SUFFIX, parseManifest } from '../../src/cli/export-state.ts';
import { writeCorpus } from '../support/corpus.ts';
import { startHub, stopHubs } from '../support/websub-hub-process.ts';

const SITE_URL = 'https://feeds.example.org';
const GENERATOR = { seed: 7, topics: 6, filesPerFolder: 10 };
const root = mkdtempSync(join(tmpdir(), 'topic-feeds-incremental-'));

afterAll(() => {
  stopHubs();
  rmSync(root, { recursive: true, force: true });
});

/** Every file under `dir`, relative, `/`-separated, sorted. */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix))
    .flatMap((name) => {
      const rel = prefix === '' ? name : `${prefix}/${name}`;
      return statSync(join(dir, rel)).isDirectory() ? filesUnder(dir, rel) : [rel];
    })
    .sort();
}

function snapshot(dir: string): Map<string, Buffer> {
  return new Map(filesUnder(dir).map((file) => [file, readFileSync(join(dir, file))]));
}

/** The two folders hold the same files with the same bytes; the manifests agree on everything but mtimes. */
function expectSameExport(actual: string, expected: string): void {
  const files = filesUnder(expected);
  expect(filesUnder(actual)).toEqual(files);
  const differing = files.filter((file) => file !== MANIFEST_FILE && !readFileSync(join(actual, file)).equals(readFileSync(join(expected, file))));
  expect(differing).toEqual([]);
  const manifest = (dir: string) => {
    const parsed = parseManifest(readFileSync(join(dir, MANIFEST_FILE), 'utf8'));
    expect(parsed?.complete).toBe(true);
    const table = parsed?.files;
    return { stamp: parsed?.stamp, feeds: parsed?.feeds, files: table?.names.map((file, i) => [file, table.etags[i], table.sha1s[i], table.sizes[i]]) };
  };
  expect(manifest(actual)).toEqual(manifest(expected));
}

interface Summary {
  readonly files: number;
  readonly written: number;
  readonly unchanged: number;
  readonly removed: number;
  readonly rendered: number;
}

function summaryOf(stdout: string): Summary {
  const match = /^export: (\d+) files \((\d+) written, (\d+) unchanged, (\d+) removed\), .* (\d+) routes rendered\)/m.exec(stdout);
  if (!match) throw new Error(`no summary line in:\n${stdout}`);
  const [files, written, unchanged, removed, rendered] = match.slice(1).map(Number) as [number, number, number, number, number];
  return { files, written, unchanged, removed, rendered };
}

/** One site: its content folder, and the settings every run of it shares (cache, first-seen ledger). */
function makeSite(name: string, count = 40) {
  const base = join(root, name);
  const content = join(base, 'content');
  mkdirSync(content, { recursive: true });
  writeCorpus(content, count, GENERATOR.topics);
  const env: Record<string, string> = { SITE_URL, FEED_LIMIT: '5', CONTENT_DIR: content, CACHE_DIR: join(base, 'cache'), STATE_DIR: join(base, 'state') };
  const run = (out: string, args: string[] = [], extra: Record<string, string> = {}) => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/export.ts', '--out', out, ...args], {
      encoding: 'utf8',
      env: { ...process.env, ...env, ...extra },
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  let fresh = 0;
  /** Runs the export into `out` (updating it), and a fresh one into a new folder; both must succeed. */
  const incrementalAndFresh = (out: string, extra: Record<string, string> = {}) => {
    const incremental = run(out, [], extra);
    expect(incremental.status, incremental.stderr).toBe(0);
    fresh += 1;
    const freshDir = join(base, `fresh-${fresh}`);
    const clean = run(freshDir, [], extra);
    expect(clean.status, clean.stderr).toBe(0);
    return { summary: summaryOf(incremental.stdout), freshDir };
  };
  return { base, content, env, run, incrementalAndFresh };
}

function documentPath(content: string, index: number): string {
  return join(content, generateDocumentText(index, GENERATOR).relativePath);
}

/** The block of topic fields (categories … categoryLabel) of a generated document. */
function topicBlock(text: string): string {
  const match = /^categories:\n[\s\S]*?(?=^contentCategories:)/m.exec(text);
  if (!match) throw new Error('no topic block');
  return match[0];
}

describe('incremental export (CLI)', () => {
  const site = makeSite('cli');
  const out = join(site.base, 'out');

  beforeAll(() => {
    const first = site.run(out);
    expect(first.status, first.stderr).toBe(0);
    const summary = summaryOf(first.stdout);
    expect(summary.written).toBe(summary.files);
    expect(summary.unchanged).toBe(0);
  });

  it('a second run with no change writes nothing and renders nothing', () => {
    const before = snapshot(out);
    const again = site.run(out);
    expect(again.status, again.stderr).toBe(0);
    const summary = summaryOf(again.stdout);
    expect(summary).toMatchObject({ written: 0, removed: 0, rendered: 0 });
    expect(summary.unchanged).toBe(summary.files);
    const after = snapshot(out);
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [file, bytes] of before) if (file !== MANIFEST_FILE) expect(after.get(file)?.equals(bytes), file).toBe(true);
  }, 120_000);

  it('updates in place a folder whose manifest is in format 1 (one object per file, from the release before)', () => {
    const path = join(out, MANIFEST_FILE);
    const current = JSON.parse(readFileSync(path, 'utf8')) as { format: number; files: { names: string[]; etags: string[]; sha1s: string[]; sizes: number[]; mtimes: number[] } };
    expect(current.format).toBe(2);
    const { names, etags, sha1s, sizes, mtimes } = current.files;
    const records = Object.fromEntries(names.map((file, i) => [file, { etag: etags[i], sha1: sha1s[i], size: sizes[i], mtimeMs: mtimes[i] }]));
    writeFileSync(path, JSON.stringify({ ...current, format: 1, files: records }));
    const before = snapshot(out);
    const again = site.run(out);
    expect(again.status, again.stderr).toBe(0);
    // Read as the same records: nothing rendered, nothing written.
    expect(summaryOf(again.stdout)).toMatchObject({ written: 0, removed: 0, rendered: 0 });
    const after = snapshot(out);
    for (const [file, bytes] of before) if (file !== MANIFEST_FILE) expect(after.get(file)?.equals(bytes), file).toBe(true);
    const upgraded = JSON.parse(readFileSync(path, 'utf8')) as typeof current;
    expect(upgraded.format).toBe(2);
    expect(upgraded.files.names).toEqual(names);
    expect(upgraded.files.etags).toEqual(etags);
  }, 120_000);

  it('refuses a manifest whose columns disagree, and changes nothing', () => {
    const path = join(out, MANIFEST_FILE);
    const text = readFileSync(path, 'utf8');
    const current = JSON.parse(text) as { files: { etags: string[] } };
    expect(parseManifest(text)).toBeDefined();
    current.files.etags.pop();
    expect(parseManifest(JSON.stringify(current))).toBeUndefined();
  });

  it('after an added document equals a fresh export', () => {
    const added = generateDocumentText(40, GENERATOR);
    mkdirSync(join(site.content, added.relativePath, '..'), { recursive: true });
    writeFileSync(join(site.content, added.relativePath), added.text);
    if (added.image) writeFileSync(join(site.content, added.image.relativePath), added.image.bytes);
    const { summary, freshDir } = site.incrementalAndFresh(out);
    expect(summary.written).toBeGreaterThan(0);
    expect(summary.unchanged).toBeGreaterThan(0);
    expect(summary.rendered).toBeLessThan(summary.files);
    expectSameExport(out, freshDir);
  }, 120_000);

  it('after an edited document equals a fresh export', () => {
    const file = documentPath(site.content, 3);
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^lastMod: .*$/m, "lastMod: '2024-05-01T10:00:00.000001Z'").replace(/^title: .*$/m, 'title: An edited title'));
    const { summary, freshDir } = site.incrementalAndFresh(out);
    expect(summary.written).toBeGreaterThan(0);
    expect(summary.unchanged).toBeGreaterThan(0);
    expectSameExport(out, freshDir);
  }, 120_000);

  it('after a deleted document equals a fresh export, its image removed', () => {
    const document = generateDocumentText(5, GENERATOR);
    expect(document.image).toBeDefined();
    const imageFiles = filesUnder(out).filter((file) => file.includes(document.image!.relativePath.split('/').at(-1)!));
    expect(imageFiles.length).toBe(1);
    rmSync(join(site.content, document.relativePath));
    const { summary, freshDir } = site.incrementalAndFresh(out);
    expect(summary.removed).toBeGreaterThan(0);
    expect(existsSync(join(out, imageFiles[0]!))).toBe(false);
    expectSameExport(out, freshDir);
  }, 120_000);

  it('after a topic move equals a fresh export (topics gone and new included)', () => {
    const file = documentPath(site.content, 7);
    const text = readFileSync(file, 'utf8');
    const other = [...Array(40).keys()].map((i) => generateDocumentText(i, GENERATOR)).find((d) => d.topicSlugs.join() !== generateDocumentText(7, GENERATOR).topicSlugs.join())!;
    writeFileSync(file, text.replace(topicBlock(text), topicBlock(other.text)));
    const { freshDir } = site.incrementalAndFresh(out);
    expectSameExport(out, freshDir);
  }, 120_000);

  it('after a settings change (SITE_TITLE) equals a fresh export', () => {
    const { summary, freshDir } = site.incrementalAndFresh(out, { SITE_TITLE: 'Another Title' });
    expect(summary.rendered).toBeGreaterThan(0);
    expect(summary.written).toBeGreaterThan(0);
    expectSameExport(out, freshDir);
    // And back.
    const back = site.incrementalAndFresh(out);
    expectSameExport(out, back.freshDir);
  }, 120_000);

  it('repairs a file modified by hand', () => {
    const feed = join(out, 'rss.xml');
    const original = readFileSync(feed);
    writeFileSync(feed, 'tampered');
    const page = join(out, 'index.html');
    const pageBytes = readFileSync(page);
    writeFileSync(page, Buffer.from(pageBytes.toString('latin1').replace('<', '>'), 'latin1')); // same size, other bytes
    const again = site.run(out);
    expect(again.status, again.stderr).toBe(0);
    expect(summaryOf(again.stdout).written).toBe(2);
    expect(readFileSync(feed).equals(original)).toBe(true);
    expect(readFileSync(page).equals(pageBytes)).toBe(true);
  }, 120_000);

  it('refuses a folder with files that no export wrote, and changes nothing in it', () => {
    writeFileSync(join(out, 'notes.txt'), 'mine');
    const before = snapshot(out);
    const refused = site.run(out);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('notes.txt');
    expect(refused.stderr).toContain('--clean');
    const after = snapshot(out);
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [file, bytes] of before) expect(after.get(file)?.equals(bytes), file).toBe(true);
    rmSync(join(out, 'notes.txt'));
  }, 120_000);

  it('refuses a non-empty folder without a manifest, and one with a manifest of something else', () => {
    const foreign = join(site.base, 'foreign');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'index.html'), '<p>my site</p>');
    const refused = site.run(foreign);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain(MANIFEST_FILE);
    writeFileSync(join(foreign, MANIFEST_FILE), JSON.stringify({ project: 'another', format: 1 }));
    expect(site.run(foreign).status).not.toBe(0);
    expect(filesUnder(foreign)).toEqual([MANIFEST_FILE, 'index.html']);
    expect(readFileSync(join(foreign, 'index.html'), 'utf8')).toBe('<p>my site</p>');
    // --clean still replaces.
    expect(site.run(foreign, ['--clean']).status).toBe(0);
    expect(readFileSync(join(foreign, 'index.html'), 'utf8')).not.toBe('<p>my site</p>');
  }, 120_000);

  it('takes a folder that holds only empty folders as empty', () => {
    const hollow = join(site.base, 'hollow');
    mkdirSync(join(hollow, 'a', 'b'), { recursive: true });
    const run = site.run(hollow);
    expect(run.status, run.stderr).toBe(0);
    expect(filesUnder(hollow)).toContain('rss.xml');
  }, 120_000);
});

/** An export that dies after `files` files were handled (the progress callback throws, as a kill would stop it). */
async function exportKilledAfter(files: number, contentDir: string, outDir: string, env: Record<string, string>): Promise<void> {
  let handled = 0;
  const progress = (): void => {
    handled += 1;
    if (handled === files) throw new Error('killed');
  };
  await expect(exportSite({ contentDir, outDir, env, threads: 0, progress })).rejects.toThrow('killed');
}

describe('incremental export (in process)', () => {
  it('recovers from an interrupted run: the half-updated folder is accepted and ends equal to a fresh export', async () => {
    const content = join(root, 'crash', 'content');
    mkdirSync(content, { recursive: true });
    writeCorpus(content, 30, GENERATOR.topics);
    const env = { SITE_URL, FEED_LIMIT: '4' };
    const out = join(root, 'crash', 'out');
    await exportSite({ contentDir: content, outDir: out, env, threads: 0 });
    // Content and settings change, then the run dies part-way through its writes.
    const added = generateDocumentText(30, GENERATOR);
    mkdirSync(join(content, added.relativePath, '..'), { recursive: true });
    writeFileSync(join(content, added.relativePath), added.text);
    if (added.image) writeFileSync(join(content, added.image.relativePath), added.image.bytes);
    rmSync(documentPath(content, 2));
    const changed = { ...env, SITE_TITLE: 'Changed' };
    await exportKilledAfter(20, content, out, changed);
    expect(parseManifest(readFileSync(join(out, MANIFEST_FILE), 'utf8'))?.complete).toBe(false);
    // A temp file of a write cut short.
    writeFileSync(join(out, `rss.xml.999-0-1${TEMP_SUFFIX}`), 'half');
    const result = await exportSite({ contentDir: content, outDir: out, env: changed, threads: 0 });
    expect(result.removed).toBeGreaterThan(0);
    const fresh = join(root, 'crash', 'fresh');
    await exportSite({ contentDir: content, outDir: fresh, env: changed, threads: 0 });
    expectSameExport(out, fresh);
  }, 120_000);

  it('recovers from an interrupted run that added no file (the earlier manifest stands): ends equal to a fresh export', async () => {
    const content = join(root, 'crash-edit', 'content');
    mkdirSync(content, { recursive: true });
    writeCorpus(content, 30, GENERATOR.topics);
    const env = { SITE_URL, FEED_LIMIT: '4' };
    const out = join(root, 'crash-edit', 'out');
    await exportSite({ contentDir: content, outDir: out, env, threads: 0 });
    const file = documentPath(content, 5);
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^title: .*$/m, 'title: Edited before a crash'));
    const changed = { ...env, SITE_TITLE: 'Changed again' };
    await exportKilledAfter(20, content, out, changed);
    // No file was new, so no in-progress manifest was written: the earlier complete one is still there.
    expect(parseManifest(readFileSync(join(out, MANIFEST_FILE), 'utf8'))?.complete).toBe(true);
    await exportSite({ contentDir: content, outDir: out, env: changed, threads: 0 });
    const fresh = join(root, 'crash-edit', 'fresh');
    await exportSite({ contentDir: content, outDir: fresh, env: changed, threads: 0 });
    expectSameExport(out, fresh);
  }, 120_000);

  it('saves the parse cache after reading again files a stat could not prove, so the next run proves them by stat', async () => {
    const content = join(root, 'reread', 'content');
    mkdirSync(content, { recursive: true });
    const documents = writeCorpus(content, 60, GENERATOR.topics);
    const options = { contentDir: content, outDir: join(root, 'reread', 'out'), env: { SITE_URL, FEED_LIMIT: '4' }, cacheDir: join(root, 'reread', 'cache'), threads: 0 };
    await exportSite(options);
    // Same bytes, other mtimes (a copy or a restore that did not keep them): no stamp in the cache matches a stat.
    const hourAgo = Date.now() / 1000 - 3600;
    for (const document of documents) utimesSync(join(content, document.relativePath), hourAgo, hourAgo);
    const second = await exportSite(options);
    expect(second).toMatchObject({ reread: 60, written: 0, rendered: 0 });
    // Unsaved, every later run would read all 60 again.
    const third = await exportSite(options);
    expect(third).toMatchObject({ reread: 0, written: 0, rendered: 0 });
  }, 120_000);

  it('parse threads update in place with the same result', async () => {
    const content = join(root, 'threads', 'content');
    mkdirSync(content, { recursive: true });
    writeCorpus(content, 30, GENERATOR.topics);
    const out = join(root, 'threads', 'out');
    const env = { SITE_URL, FEED_LIMIT: '4' };
    await exportSite({ contentDir: content, outDir: out, env, threads: 3, minFilesForThreads: 1, sweep: { batch: 2, lookahead: 3 } });
    const file = documentPath(content, 4);
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^title: .*$/m, 'title: Threads edit'));
    const changed = { ...env, SITE_DESCRIPTION: 'Other description' };
    const result = await exportSite({ contentDir: content, outDir: out, env: changed, threads: 3, minFilesForThreads: 1 });
    const fresh = join(root, 'threads', 'fresh');
    await exportSite({ contentDir: content, outDir: fresh, env: changed, threads: 0 });
    expectSameExport(out, fresh);
  }, 120_000);
});

describe('--ping', () => {
  it('pings the hub for exactly the feeds whose bytes changed', async () => {
    const hub = await startHub();
    const site = makeSite('ping', 30);
    const out = join(site.base, 'out');
    const extra = { WEBSUB_HUB: hub.url };
    const first = site.run(out, ['--ping'], extra);
    expect(first.status, first.stderr).toBe(0);
    const firstPings = (await hub.pings()).pings;
    const all = firstPings.flatMap((p) => p.urls);
    // A new export: every subscribable feed (overall and per topic, three formats) is new.
    expect(all).toContain(`${SITE_URL}/rss.xml`);
    expect(all.length % 3).toBe(0);

    const before = snapshot(out);
    const file = documentPath(site.content, 6);
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^lastMod: .*$/m, "lastMod: '2024-06-01T10:00:00.000001Z'"));
    const changedList = join(site.base, 'changed-feeds.json');
    const second = site.run(out, ['--ping', '--changed', changedList], extra);
    expect(second.status, second.stderr).toBe(0);
    const after = snapshot(out);
    // The rule of publish/changes.ts is per feed ETag: a scope whose items changed changes in every format
    // (RSS carries no update time, so its bytes may stay the same), so every format of each scope with changed bytes.
    const feed = /^((?:topic\/[^/]+\/)?)(?:rss\.xml|atom\.xml|feed\.json)$/;
    const scopes = new Set(
      [...new Set([...before.keys(), ...after.keys()])]
        .filter((f) => feed.test(f) && !(before.get(f) && after.get(f)?.equals(before.get(f)!)))
        .map((f) => feed.exec(f)![1]!),
    );
    const expected = [...scopes].flatMap((scope) => ['atom.xml', 'feed.json', 'rss.xml'].map((name) => `${SITE_URL}/${scope}${name}`)).sort();
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(all.length);
    const secondPings = (await hub.pings()).pings.slice(firstPings.length);
    const pings = secondPings.flatMap((p) => p.urls);
    expect(pings.sort()).toEqual(expected);
    expect(JSON.parse(readFileSync(changedList, 'utf8'))).toEqual(expected);

    // Nothing changed: no ping.
    const third = site.run(out, ['--ping'], extra);
    expect(third.status, third.stderr).toBe(0);
    expect(third.stdout).toContain('no feed changed');
    expect((await hub.pings()).pings.length).toBe(firstPings.length + secondPings.length);
  }, 120_000);

  it('refuses --ping without WEBSUB_HUB', () => {
    const site = makeSite('noping', 3);
    const result = site.run(join(site.base, 'out'), ['--ping']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('WEBSUB_HUB');
    expect(existsSync(join(site.base, 'out'))).toBe(false);
  }, 120_000);
});
