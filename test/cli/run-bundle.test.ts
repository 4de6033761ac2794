/**
 * `scripts/run.mjs`, how `npm start` and `npm run export` run: the entry point
 * from an esbuild bundle, with the same bytes, stamps and arguments as under
 * tsx, and parse threads that run a bundle of their own.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST_FILE } from '../../src/cli/export.ts';
import { parseSiteConfig } from '../../src/config/config.ts';
import type { PoolResponse } from '../../src/ingest/parse-pool.ts';
import { emptyTimings, scanFile } from '../../src/ingest/parse-tasks.ts';

const env = { SITE_URL: 'https://feeds.example.org', FEED_LIMIT: '5', CONTENT_DIR: 'content', CACHE_DIR: 'off' };
let work: string;
let runCache: string;

function run(args: string[], extra: Record<string, string> = {}) {
  // A ledger of the test's own: the default, the checkout's .state/, is the developer's (and the two exports share this one).
  return spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, ...env, STATE_DIR: join(work, 'state'), TOPIC_FEEDS_RUN_CACHE: runCache, ...extra } });
}

function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path, `${prefix}${name}/`) : [`${prefix}${name}`];
  });
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'topic-feeds-run-'));
  // Inside the project: the bundles import packages from its node_modules.
  mkdirSync('node_modules/.cache', { recursive: true });
  runCache = mkdtempSync(resolve('node_modules/.cache/topic-feeds-run-test-'));
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(runCache, { recursive: true, force: true });
});

describe('scripts/run.mjs', () => {
  it('builds a bundle once per version of the sources, with the parse and write threads beside it', () => {
    const first = run(['scripts/run.mjs', '--build', 'src/cli/export.ts']);
    expect(first.status, first.stderr).toBe(0);
    const bundle = resolve(first.stdout.trim());
    expect(bundle.startsWith(runCache)).toBe(true);
    expect(readdirSync(join(bundle, '..')).sort()).toEqual(['export.mjs', 'parse-worker.mjs', 'write-worker.mjs']);
    const builtAt = statSync(bundle).mtimeMs;
    const again = run(['scripts/run.mjs', '--build', 'src/cli/export.ts']);
    expect(resolve(again.stdout.trim())).toBe(bundle);
    expect(statSync(bundle).mtimeMs).toBe(builtAt);
  });

  it('exports the same files, bytes and stamp as the entry under tsx', () => {
    const bundled = join(work, 'bundled');
    const plain = join(work, 'plain');
    const viaBundle = run(['scripts/run.mjs', 'src/cli/export.ts', '--out', bundled]);
    expect(viaBundle.status, viaBundle.stderr).toBe(0);
    expect(viaBundle.stderr).not.toContain('running it under tsx');
    const viaTsx = run(['--import', 'tsx', 'src/cli/export.ts', '--out', plain]);
    expect(viaTsx.status, viaTsx.stderr).toBe(0);
    const files = filesUnder(plain).filter((file) => file !== MANIFEST_FILE).sort();
    expect(files.length).toBeGreaterThan(50);
    expect(filesUnder(bundled).filter((file) => file !== MANIFEST_FILE).sort()).toEqual(files);
    for (const file of files) expect(readFileSync(join(bundled, file)).equals(readFileSync(join(plain, file))), file).toBe(true);
    // The stamp hashes the sources next to each module: a bundle must not look like other code (a full re-render).
    const stamp = (dir: string) => (JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as { stamp: string }).stamp;
    expect(stamp(bundled)).toBe(stamp(plain));
  });

  it('hands the entry its own arguments, and refuses a target that is not a .ts entry', () => {
    const help = run(['scripts/run.mjs', 'src/cli/export.ts', '--help']);
    expect(help.status).toBe(0);
    expect(help.stderr).toContain('Usage: npm run export -- --out DIR');
    const bad = run(['scripts/run.mjs', 'README.md']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('Usage: node scripts/run.mjs');
    // Outside the project its packages would not resolve: the default folder is used instead, with a warning.
    const outside = run(['scripts/run.mjs', 'src/cli/export.ts', '--help'], { TOPIC_FEEDS_RUN_CACHE: join(work, 'elsewhere') });
    expect(outside.status).toBe(0);
    expect(outside.stderr).toContain('TOPIC_FEEDS_RUN_CACHE must be a folder inside');
  });

  it("runs the parse thread's bundle: it parses a document as the source does", async () => {
    const built = run(['scripts/run.mjs', '--build', 'src/cli/export.ts']);
    const threadBundle = join(resolve(built.stdout.trim()), '..', 'parse-worker.mjs');
    const site = parseSiteConfig(env);
    const file = readdirSync('content').find((name) => name.endsWith('.md'))!;
    const task = { file, path: resolve('content', file) };
    const worker = new Worker(pathToFileURL(threadBundle), { workerData: { site } });
    try {
      const response = await new Promise<PoolResponse>((done, fail) => {
        worker.once('message', done);
        worker.once('error', fail);
        worker.postMessage({ id: 1, kind: 'scan', tasks: [task] });
      });
      const expected = scanFile(task, site, emptyTimings());
      expect(response.kind).toBe('scan');
      const [result] = response.results as unknown[];
      expect(result).toMatchObject({ file, kind: 'parsed' });
      expect((result as { record: unknown }).record).toEqual((expected as { record: unknown }).record);
    } finally {
      await worker.terminate();
    }
  });
});

describe('the npm scripts of the batch commands', () => {
  const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;

  /** The environment the command of npm script `name` starts with: the script run by sh, `env` in the command's place. */
  function startEnvironment(name: string, tunables: string | undefined): string {
    const line = scripts[name] ?? '';
    const printed = line.replace(/node scripts\/run\.mjs \S+$/, 'env');
    expect(printed, `${name} runs scripts/run.mjs`).not.toBe(line);
    const environment: NodeJS.ProcessEnv = { ...process.env };
    delete environment.GLIBC_TUNABLES;
    if (tunables !== undefined) environment.GLIBC_TUNABLES = tunables;
    return spawnSync('sh', ['-c', printed], { encoding: 'utf8', env: environment }).stdout;
  }

  // Fewer page faults for the export's buffers (docs/performance.md, fourteenth set); a setting of the user's is kept.
  it.each(['export', 'build:content'])('%s gets glibc malloc on transparent huge pages unless GLIBC_TUNABLES is set', (name) => {
    expect(startEnvironment(name, undefined)).toMatch(/^GLIBC_TUNABLES=glibc\.malloc\.hugetlb=1$/m);
    expect(startEnvironment(name, 'glibc.malloc.check=0')).toMatch(/^GLIBC_TUNABLES=glibc\.malloc\.check=0$/m);
  });
});
