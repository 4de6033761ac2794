/**
 * `npm run export`: every fixed route as a file with the bytes the server
 * sends, plus `_headers` for static hosts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST_FILE, exportSite } from '../../src/cli/export.ts';
import { parseSiteConfig } from '../../src/config/config.ts';
import { renderHeadersFile } from '../../src/http/headers-file.ts';
import { publishedRoutes } from '../../src/publish/published-routes.ts';
import { loadCatalogFromDir } from '../../src/ingest/load-dir.ts';
import { collectStaticFiles } from '../../src/ingest/media.ts';

const env = { SITE_URL: 'https://feeds.example.org', FEED_LIMIT: '5' };
let out: string;

/** The export's files; the manifest (`.topic-feeds-export.json`, bookkeeping with mtimes) left out. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).filter((name) => name !== MANIFEST_FILE).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path).map((inner) => `${name}/${inner}`) : [name];
  });
}

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'topic-feeds-export-'));
});

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('exportSite', () => {
  it('writes every published route with the served bytes, and _headers', async () => {
    const progress: [number, number][] = [];
    const result = await exportSite({ contentDir: 'content', outDir: join(out, 'site'), env, threads: 0, progress: (done, total) => progress.push([done, total]) });
    const site = parseSiteConfig(env);
    const catalog = await loadCatalogFromDir(site, 'content');
    const routes = [...publishedRoutes(catalog)];
    expect(routes.some((route) => route.file.includes('archive/'))).toBe(true);
    // The index's source pages (the second click to a topic on large taxonomies).
    expect(catalog.sources().length).toBeGreaterThan(1);
    for (const source of catalog.sources()) expect(routes.some((route) => route.file === `sources/${source.slug}/index.html`), source.slug).toBe(true);
    const written = new Set(filesUnder(join(out, 'site')));
    // The icon files and the documents' images, copied byte for byte.
    const statics = collectStaticFiles(site, 'content', catalog.index.all);
    expect(statics.length).toBeGreaterThan(2);
    for (const file of statics) expect(readFileSync(join(out, 'site', file.outFile)).equals(Buffer.from(file.bytes)), file.outFile).toBe(true);
    expect(written.size).toBe(routes.length + 1 + statics.length);
    expect(result.files).toBe(routes.length + 1 + statics.length);
    for (const route of routes) {
      expect(written.has(route.file), route.file).toBe(true);
      const body = (await route.representation.body()) as Uint8Array;
      expect(readFileSync(join(out, 'site', route.file)).equals(Buffer.from(body)), route.file).toBe(true);
    }
    expect(readFileSync(join(out, 'site', '_headers'), 'utf8')).toBe(renderHeadersFile(site));
    expect(progress.at(-1)).toEqual([routes.length + 1 + statics.length, routes.length + 1 + statics.length]);
  });

  it('sanitizes on parse threads ahead of the renderer with the same result', async () => {
    const single = join(out, 'single');
    const parallel = join(out, 'parallel');
    await exportSite({ contentDir: 'content', outDir: single, env, threads: 0 });
    await exportSite({ contentDir: 'content', outDir: parallel, env, threads: 3, minFilesForThreads: 1, sweep: { batch: 2, lookahead: 3 } });
    const files = filesUnder(single).sort();
    expect(filesUnder(parallel).sort()).toEqual(files);
    for (const file of files) expect(readFileSync(join(parallel, file)).equals(readFileSync(join(single, file))), file).toBe(true);
  });

  it('as a command: plain progress lines when not on a terminal, and no overwriting by accident', () => {
    const target = join(out, 'cli');
    const run = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/export.ts', '--out', target, ...args], {
        encoding: 'utf8',
        env: { ...process.env, ...env, CONTENT_DIR: 'content', CACHE_DIR: 'off', STATE_DIR: join(out, 'state') },
      });
    const first = run();
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/export: \d+\/\d+ files \(100%\)/);
    expect(first.stderr).not.toContain('\u001b[');
    expect(first.stdout).toMatch(/^export: \d+ files/m);
    writeFileSync(join(target, 'stale.txt'), 'old');
    const refused = run();
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('--clean');
    expect(run('--clean').status).toBe(0);
    expect(readdirSync(target)).not.toContain('stale.txt');
  });
});
