/**
 * Measures what the Worker build produces for generated corpora: the mode
 * build:content picks, the Worker script size (gzip, as Cloudflare counts it)
 * and the static asset files. Prints a Markdown table for docs/workers.md.
 *
 *   npm run measure:worker -- [--sizes 1000,10000,50000]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { generateCorpus } from './generate-corpus.ts';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '1000,10000,50000' } } });
const sizes = (values.sizes ?? '').split(',').map(Number).filter((n) => n > 0);
const corpusRoot = resolve('bench/.corpus');

function walk(dir: string): { files: number; bytes: number; largest: number } {
  let files = 0;
  let bytes = 0;
  let largest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      const inner = walk(path);
      files += inner.files;
      bytes += inner.bytes;
      largest = Math.max(largest, inner.largest);
    } else {
      const size = statSync(path).size;
      files += 1;
      bytes += size;
      largest = Math.max(largest, size);
    }
  }
  return { files, bytes, largest };
}

function build(contentDir: string, threshold: number, budgetKiB = 2560) {
  const root = mkdtempSync(join(tmpdir(), 'topic-feeds-measure-'));
  const generated = join(root, 'generated');
  const config = join(root, 'wrangler.toml');
  writeFileSync(
    config,
    readFileSync('wrangler.toml', 'utf8')
      .replace(/^main = .*$/m, `main = ${JSON.stringify(resolve('src/worker/worker.ts'))}`)
      .replaceAll('./.generated/', `${generated}/`),
  );
  const env = { ...process.env, CONTENT_DIR: contentDir, WORKER_GENERATED_DIR: generated, WORKER_ASSETS_THRESHOLD: String(threshold), WORKER_BUNDLE_BUDGET_KIB: String(budgetKiB), WRANGLER_SEND_METRICS: 'false' };
  const started = performance.now();
  const summary = execFileSync('npx', ['tsx', 'src/cli/build-content.ts'], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const contentSeconds = (performance.now() - started) / 1000;
  execFileSync('npx', ['wrangler', 'deploy', '--dry-run', '--config', config, '--outdir', join(root, 'dist')], { env, stdio: 'ignore' });
  const script = readFileSync(join(root, 'dist', 'worker.js'));
  const assets = walk(join(generated, 'assets'));
  rmSync(root, { recursive: true, force: true });
  return { mode: /-> (\w+) mode/.exec(summary)?.[1] ?? '?', gzip: gzipSync(script).length, raw: script.length, assets, contentSeconds };
}

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;

console.log('| Documents | Mode | Worker script (gzip) | Asset files | Assets total | Largest asset | build:content |');
console.log('|---|---|---|---|---|---|---|');
for (const size of sizes) {
  const dir = join(corpusRoot, String(size));
  if (!existsSync(dir)) await generateCorpus({ count: size, outDir: dir });
  const runs = [build(dir, 1000)];
  // Also show what bundling the documents would cost at this size, while it is plausible.
  if (size <= 10_000 && runs[0]?.mode === 'assets') runs.push(build(dir, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER));
  for (const r of runs) {
    console.log(
      `| ${size.toLocaleString('en')} | ${r.mode} | ${kib(r.gzip)} (${mib(r.raw)} raw) | ${r.assets.files.toLocaleString('en')} | ${mib(r.assets.bytes)} | ${kib(r.assets.largest)} | ${r.contentSeconds.toFixed(1)} s |`,
    );
  }
}
