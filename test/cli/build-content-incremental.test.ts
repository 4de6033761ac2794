/**
 * build:content in static-assets mode updates the previous build in place:
 * routes whose ETag did not change keep their files (wrangler uploads only
 * what changed), routes that are gone lose theirs, and the result equals a
 * fresh build of the same content, byte for byte.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildContent } from '../../src/cli/build-content.ts';
import { writeCorpus } from '../support/corpus.ts';

const root = mkdtempSync(join(tmpdir(), 'topic-feeds-build-incremental-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const env = { SITE_URL: 'https://feeds.example.org', FEED_LIMIT: '5' };

function tree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.set(relative(dir, path), readFileSync(path).toString('base64'));
    }
  };
  walk(dir);
  return files;
}

function sameTree(a: string, b: string): void {
  const left = tree(a);
  const right = tree(b);
  expect([...left.keys()].sort()).toEqual([...right.keys()].sort());
  for (const [file, bytes] of left) expect(bytes === right.get(file), file).toBe(true);
}

describe('incremental build:content (static assets)', () => {
  const content = join(root, 'content');
  const out = join(root, 'generated');
  const stateDir = join(root, 'state');
  const build = (outDir: string) => buildContent({ contentDir: content, outDir, env, threshold: 0, stateDir });
  const fresh = async (name: string) => {
    const dir = join(root, name);
    await build(dir);
    return dir;
  };
  let documents: ReturnType<typeof writeCorpus>;

  it('writes everything the first time, then nothing when nothing changed', async () => {
    documents = writeCorpus(content, 40);
    const first = await build(out);
    expect(first.mode).toBe('assets');
    expect(first.written).toBeGreaterThan(40);
    expect(first.removed).toBe(0);
    const again = await build(out);
    expect(again.written).toBe(0);
    expect(again.unchanged).toBe(first.written);
    sameTree(join(out, 'assets'), join(await fresh('fresh-0'), 'assets'));
  });

  it('rewrites only the routes an edit changed, and equals a fresh build', async () => {
    const file = join(content, documents[3]!.relativePath);
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^lastMod: .*$/m, "lastMod: '2031-05-06T07:08:09.123456Z'"));
    const result = await build(out);
    expect(result.written).toBeGreaterThan(0);
    expect(result.written).toBeLessThan(result.unchanged);
    sameTree(join(out, 'assets'), join(await fresh('fresh-1'), 'assets'));
  });

  it('removes the files of routes and images that are gone', async () => {
    const victim = documents[7]!;
    unlinkSync(join(content, victim.relativePath));
    if (victim.image) unlinkSync(join(content, victim.image.relativePath));
    const result = await build(out);
    expect(result.removed).toBeGreaterThan(0);
    sameTree(join(out, 'assets'), join(await fresh('fresh-2'), 'assets'));
  });

  it('repairs a deleted asset and rebuilds from scratch when the manifest is unreadable', async () => {
    const anyFeed = [...tree(join(out, 'assets')).keys()].find((file) => file.endsWith('rss.xml'))!;
    unlinkSync(join(out, 'assets', anyFeed));
    await build(out);
    expect(statSync(join(out, 'assets', anyFeed)).isFile()).toBe(true);
    writeFileSync(join(out, 'assets', '_manifest.json'), '{not json');
    const rebuilt = await build(out);
    expect(rebuilt.unchanged).toBe(0);
    sameTree(join(out, 'assets'), join(await fresh('fresh-3'), 'assets'));
  });
});
