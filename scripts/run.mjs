#!/usr/bin/env node
/**
 * `node scripts/run.mjs src/cli/export.ts [args]`: runs a TypeScript entry point
 * of this project from a bundle that esbuild compiles once per version of
 * the sources, instead of through the tsx loader. Under tsx every start paid
 * about a second (its loader thread, then a round trip per module) before
 * the first line of our code ran; an export after one edit at 50k documents
 * takes a few seconds in all, so that second mattered (docs/performance.md).
 *
 * The bundle lives in node_modules/.cache/topic-feeds-run/<key>/, where the key
 * hashes every file under src/, tsconfig.json, package.json, the esbuild and
 * Node versions and the checkout's path: an edit, a checkout or an upgrade
 * builds a new one.
 * Packages stay external (resolved from node_modules as usual). Each module's
 * `import.meta.url` is kept as its source file's URL, so the code that finds
 * files next to it (the cache and export stamps) behaves as under tsx. The
 * parse and write threads get bundles of their own. If a bundle cannot be built, the
 * entry runs under tsx, as before, with a warning.
 *
 * `node scripts/run.mjs --build src/cli/export.ts` only builds (the benchmark does
 * it before timing). TOPIC_FEEDS_RUN_CACHE puts the bundles in another folder
 * inside the project (tests).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');
/** Inside the project: the bundles import packages by name, resolved from the node_modules above them. */
const CACHE = cacheDir(process.env.TOPIC_FEEDS_RUN_CACHE);

function cacheDir(setting) {
  const fallback = join(ROOT, 'node_modules', '.cache', 'topic-feeds-run');
  if (!setting) return fallback;
  const dir = resolve(setting);
  if (dir.startsWith(`${ROOT}/`)) return dir;
  console.warn(`scripts/run.mjs: TOPIC_FEEDS_RUN_CACHE must be a folder inside ${ROOT} (packages resolve from its node_modules); using ${fallback}`);
  return fallback;
}
/** Entry points started as threads (src/ingest/parse-pool.ts `spawnModuleWorker`), bundled next to every entry. */
const THREAD_ENTRIES = ['src/ingest/parse-worker.ts', 'src/cli/write-worker.ts'];
/** Bundles unused this long are removed by the next build. */
const PRUNE_AFTER_MS = 7 * 24 * 3600 * 1000;
const LAYOUT = 2;

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((entry) => (entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : [join(dir, entry.name)]));
}

function bundleKey(esbuildVersion, entry) {
  // The checkout's own path and the entry's too: each module's import.meta.url in a bundle names its source file there.
  const hash = createHash('sha1').update(`${LAYOUT}\0${esbuildVersion}\0${process.version}\0${ROOT}\0${entry}\0`);
  for (const file of [join(ROOT, 'tsconfig.json'), join(ROOT, 'package.json'), ...sourceFiles(SRC)]) {
    hash.update(`\0${relative(ROOT, file)}\0`).update(readFileSync(file));
  }
  return hash.digest('base64url').slice(0, 20);
}

/** Keeps each module's import.meta.url its own source URL (esbuild would give every module the bundle's). */
const sourceUrls = {
  name: 'source-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      if (!args.path.startsWith(SRC)) return undefined;
      const text = readFileSync(args.path, 'utf8');
      return { contents: text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader: 'ts' };
    });
  },
};

function entryName(entry) {
  return basename(entry).replace(/\.ts$/, '.mjs');
}

async function build(esbuild, entry, dir) {
  const temp = `${dir}.${process.pid}.tmp`;
  rmSync(temp, { recursive: true, force: true });
  const entries = [entry, ...THREAD_ENTRIES.map((file) => join(ROOT, file))];
  await esbuild.build({
    entryPoints: entries.map((file) => ({ in: file, out: basename(file).replace(/\.ts$/, '') })),
    outdir: temp,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: `node${process.versions.node.split('.')[0]}`,
    packages: 'external',
    tsconfig: join(ROOT, 'tsconfig.json'),
    // The parse pool starts its threads from this folder's bundles (src/ingest/parse-pool.ts).
    define: { TOPIC_FEEDS_BUNDLE_DIR: JSON.stringify(pathToFileURL(`${dir}/`).href) },
    plugins: [sourceUrls],
    logLevel: 'silent',
  });
  try {
    renameSync(temp, dir);
  } catch (error) {
    // Another process built the same key meanwhile: use its bundle.
    rmSync(temp, { recursive: true, force: true });
    if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw error;
  }
}

function prune(keep) {
  for (const name of readdirSync(CACHE)) {
    const path = join(CACHE, name);
    if (path === keep) continue;
    const info = statSync(path, { throwIfNoEntry: false });
    if (info && Date.now() - info.mtimeMs > PRUNE_AFTER_MS) rmSync(path, { recursive: true, force: true });
  }
}

/** The bundle of `entry` (absolute .ts path), built if missing; undefined when esbuild is unavailable or fails. */
async function bundled(entry) {
  let esbuild;
  try {
    esbuild = createRequire(import.meta.url)('esbuild');
  } catch {
    return undefined;
  }
  const dir = join(CACHE, `${bundleKey(esbuild.version, entry)}-${basename(entry, '.ts')}`);
  const file = join(dir, entryName(entry));
  if (statSync(file, { throwIfNoEntry: false })?.isFile()) return file;
  try {
    mkdirSync(CACHE, { recursive: true });
    // Node reads .mjs as a module anywhere; the marker keeps tools from treating the folder as a package of its own.
    writeFileSync(join(CACHE, 'README'), 'Bundles of topic-feeds entry points built by scripts/run.mjs; safe to delete.\n');
    await build(esbuild, entry, dir);
    prune(dir);
    return file;
  } catch (error) {
    console.warn(`scripts/run.mjs: could not bundle ${relative(ROOT, entry)} (${error instanceof Error ? error.message.split('\n')[0] : error}); running it under tsx`);
    return undefined;
  }
}

const buildOnly = process.argv[2] === '--build';
const [target, ...args] = process.argv.slice(buildOnly ? 3 : 2);
if (target === undefined || !target.endsWith('.ts')) {
  console.error('Usage: node scripts/run.mjs [--build] src/<entry>.ts [args...]');
  process.exit(2);
}
const entry = resolve(target);
const file = await bundled(entry);
if (buildOnly) {
  if (!file) process.exit(1);
  console.log(relative(ROOT, file));
  process.exit(0);
}
// The entry sees itself as the script that was run (its `import.meta.url === file://argv[1]` check) and its own arguments.
process.argv = [process.argv[0], entry, ...args];
if (file) {
  await import(pathToFileURL(file).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(entry).href);
}
