/**
 * `npm run build:content`: parse, normalize and sanitize `content/` on Node
 * into the bundle the Worker imports, so no parser ships to the edge. Over
 * WORKER_ASSETS_THRESHOLD documents it prebuilds every route as a static asset
 * instead, and the bundle keeps only their validators.
 */
import { statSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parse as parseToml } from 'smol-toml';
import { parseSiteConfig, siteConfigToEnv } from '../config/config.ts';
import type { AssetEntry, ContentBundle } from '../publish/bundle.ts';
import type { AssetManifest } from '../publish/bundle.ts';
import { BUNDLE_VERSION, MANIFEST_FILE, encodeManifest, manifestEntry } from '../publish/bundle.ts';
import { renderHeadersFile } from '../http/headers-file.ts';
import { diffTags, feedTags } from '../publish/changes.ts';
import { publishedRoutesForReuse } from '../publish/published-routes.ts';
import { LiveCatalog } from '../publish/live-catalog.ts';
import { ItemFragmentCache } from '../feeds/fragments.ts';
import type { ByteParts } from '../feeds/bytes.ts';
import { filesOnThread, writeAtomic } from './export-state.ts';
import { EXPORT_FRAGMENT_BUDGET } from './export-write.ts';
import { formatProblem, loadCatalogFromDir } from '../ingest/load-dir.ts';
import { collectStaticFiles } from '../ingest/media.ts';
import { openImageMemo } from '../ingest/image-memo.ts';
import { parseNodeRuntimeConfig } from '../config/node-settings.ts';
import { installNativeDigest } from '../node/native-digest.ts';
import { installNativeUtf8 } from '../node/native-utf8.ts';
import { OutputLocked, withOutputLock } from './output-lock.ts';

export const DEFAULT_ASSETS_THRESHOLD = 1000;
const SAVE_CACHE_AFTER_PARSED = 50;
const FEED_TAGS_FILE = 'feed-tags.json';
const CHANGED_FEEDS_FILE = 'changed-feeds.json';
/**
 * Gzip budget of the bundled documents: Cloudflare's free plan allows a 3 MiB
 * (gzip) Worker, and the code itself needs about 60 KiB. Measured documents
 * cost 1.2–1.7 KiB gzip each, so this is what decides for large bodies.
 */
export const DEFAULT_BUNDLE_BUDGET_KIB = 2560;

async function wranglerVars(path: string): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return {};
  }
  const vars = (parseToml(text) as { vars?: Record<string, unknown> }).vars ?? {};
  return Object.fromEntries(Object.entries(vars).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

export interface BuildContentOptions {
  readonly contentDir: string;
  readonly outDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly threshold: number;
  readonly budgetKiB?: number;
  /**
   * STATE_DIR: the first-seen ledger, read and updated here, so the bundled documents carry
   * when each item first appeared (docs/item-dates.md). Undefined: front matter dates.
   */
  readonly stateDir?: string;
  /** CACHE_DIR: the parsed-document cache the server uses, so a rebuild parses only changed files. Undefined: none. */
  readonly cacheDir?: string;
}

export interface BuildContentResult {
  readonly mode: ContentBundle['mode'];
  readonly documents: number;
  readonly problems: number;
  readonly assetFiles: number;
  readonly bundleBytes: number;
  /** Asset files whose bytes were written this run; the rest were left as the previous build wrote them. */
  readonly written: number;
  readonly unchanged: number;
  /** Asset files of the previous build that no route or image needs any more. */
  readonly removed: number;
}

/** The previous build's route manifest, when the folder holds a static-assets build of this version. */
async function previousManifest(assetsDir: string): Promise<AssetManifest | undefined> {
  try {
    const manifest = JSON.parse(await readFile(join(assetsDir, MANIFEST_FILE), 'utf8')) as AssetManifest;
    return manifest.version === BUNDLE_VERSION && typeof manifest.routes === 'object' ? manifest : undefined;
  } catch {
    return undefined;
  }
}

/** Sync: one stat per kept asset, thousands of them, with nothing else to do meanwhile. */
function exists(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Temp file and rename (export-state.ts `writeAtomic`): wrangler (or a crash) never sees half a file. */
async function writeAtomically(path: string, bytes: Uint8Array | string | ByteParts): Promise<void> {
  await writeAtomic(path, typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes);
}

/** Builds into `options.outDir`; throws `OutputLocked` while another run writes it (output-lock.ts). */
export function buildContent(options: BuildContentOptions): Promise<BuildContentResult> {
  return withOutputLock(options.outDir, 'build:content', () => writeBuild(options));
}

async function writeBuild(options: BuildContentOptions): Promise<BuildContentResult> {
  installNativeDigest();
  installNativeUtf8();
  const site = parseSiteConfig(options.env);
  const assetsDir = join(options.outDir, 'assets');
  const previous = await previousManifest(assetsDir);
  // What an earlier build left, listed on another thread while the content loads (a stat per file on
  // this thread took 0.25 s at 10k documents). Undefined if the walk fails: then each file is stat'ed.
  const present = previous === undefined ? undefined : filesOnThread(assetsDir).catch(() => undefined);
  // Image facts shared by the load and the static files: an unchanged image is neither measured nor read again.
  const images = openImageMemo(site, options.contentDir, options.cacheDir);
  const catalog = await loadCatalogFromDir(site, options.contentDir, {
    ...(options.stateDir === undefined ? {} : { stateDir: options.stateDir }),
    ...(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir }),
    images,
    // Writing the cache costs about as much as reading it: after a few edits, the next run parses those few again.
    saveAfterParsed: SAVE_CACHE_AFTER_PARSED,
    // A first build renders every route: every document sanitized up front, on every core. An update of
    // an earlier build renders only what an edit changed: those documents are sanitized when rendered.
    content: previous === undefined ? 'all' : 'lazy',
    // Fields only, as the export: less to read back on each later run, which renders few documents.
    cacheContent: false,
  });
  for (const problem of catalog.problems) console.warn(`content problem: ${formatProblem(problem)}`);

  // Feed ETags of the previous build: what changed is what a WebSub hub must hear about.
  const previousTags = await readFile(join(options.outDir, FEED_TAGS_FILE), 'utf8')
    .then((text) => new Map(Object.entries(JSON.parse(text) as Record<string, string>)))
    .catch(() => undefined);
  // A previous static-assets build is updated in place: a route whose ETag is unchanged keeps its
  // file unrendered (the ETag covers everything its bytes depend on), so wrangler uploads only what changed.
  if (previous === undefined) await rm(options.outDir, { recursive: true, force: true });
  await mkdir(assetsDir, { recursive: true });
  const onDisk = await present;
  let written = 0;
  let unchanged = 0;
  const madeDirs = new Set<string>();
  const keep = new Set<string>();
  const put = async (file: string, key: string, etag: string, bytes: () => Promise<Uint8Array | string> | Uint8Array | string | ByteParts): Promise<void> => {
    keep.add(file);
    const path = join(assetsDir, ...file.split('/'));
    const before = previous === undefined ? undefined : manifestEntry(previous, key);
    if (before !== undefined && before.etag === etag && before.file === file && (onDisk ? onDisk.has(file) : exists(path))) {
      unchanged += 1;
      return;
    }
    const dir = dirname(path);
    if (!madeDirs.has(dir)) {
      await mkdir(dir, { recursive: true });
      madeDirs.add(dir);
    }
    await writeAtomically(path, await bytes());
    written += 1;
  };
  const headersFile = renderHeadersFile(site);
  const headersPath = join(assetsDir, '_headers');
  keep.add('_headers');
  if ((await readFile(headersPath, 'utf8').catch(() => undefined)) === headersFile) unchanged += 1;
  else {
    await writeAtomically(headersPath, headersFile);
    written += 1;
  }
  // The icon and the documents' images, as static assets in either mode (the Worker reads them through ASSETS).
  const staticFiles = collectStaticFiles(site, options.contentDir, catalog.index.all, images);
  for (const file of staticFiles) await put(file.outFile, file.path, file.entry.etag, () => file.bytes);
  images.save();

  const env = siteConfigToEnv(site);
  let bundle: ContentBundle | undefined;
  let assetFiles = staticFiles.length;
  if (catalog.index.all.length <= options.threshold) {
    const documents: ContentBundle = { version: BUNDLE_VERSION, mode: 'documents', env, documents: catalog.index.all, problems: catalog.problems, files: Object.fromEntries(staticFiles.map((file) => [file.path, file.entry])) };
    const gzipKiB = gzipSync(moduleSource(documents)).length / 1024;
    if (gzipKiB <= (options.budgetKiB ?? DEFAULT_BUNDLE_BUDGET_KIB)) bundle = documents;
    else console.warn(`build:content: bundled documents would be ${gzipKiB.toFixed(0)} KiB gzip, over budget: prebuilding static assets`);
  }
  if (bundle === undefined) {
    const routes = new Map<string, AssetEntry>();
    // Not retained (memory holds only the route being written), item fragments in a cache of this
    // build's own, routes in the order that reuses them (as the export does).
    const streaming = new LiveCatalog(site, { documents: catalog.index.all, problems: catalog.problems }, { index: catalog.index, retain: false, fragments: new ItemFragmentCache(EXPORT_FRAGMENT_BUDGET) });
    for (const route of publishedRoutesForReuse(streaming)) {
      const { representation } = route;
      await put(route.file, route.key, representation.etag, () => representation.parts?.() ?? (representation.body() as Promise<Uint8Array> | Uint8Array));
      assetFiles += 1;
      routes.set(route.key, {
        file: route.file,
        contentType: representation.contentType,
        etag: representation.etag,
        lastModifiedMs: representation.lastModifiedMs,
        cacheControl: representation.cacheControl,
      });
    }
    for (const file of staticFiles) routes.set(file.path, file.entry);
    keep.add(MANIFEST_FILE);
    await writeAtomically(join(assetsDir, MANIFEST_FILE), JSON.stringify(encodeManifest(routes)));
    assetFiles += 1;
    bundle = { version: BUNDLE_VERSION, mode: 'assets', env, health: catalog.health() };
  }

  // Files of the previous build that nothing needs now (routes gone, images gone, or a switch to documents mode).
  let removed = 0;
  if (previous !== undefined) {
    const before = new Set(Object.values(previous.routes).map(([file]) => file));
    if (bundle.mode === 'documents') before.add(MANIFEST_FILE);
    for (const file of before) {
      if (keep.has(file)) continue;
      await rm(join(assetsDir, ...file.split('/')), { force: true });
      removed += 1;
    }
  }

  const source = moduleSource(bundle);
  await writeFile(join(options.outDir, 'content.js'), source);
  const tags = feedTags(catalog);
  await writeFile(join(options.outDir, FEED_TAGS_FILE), JSON.stringify(Object.fromEntries(tags), null, 1));
  const changed = previousTags === undefined ? [] : diffTags(previousTags, tags);
  await writeFile(join(options.outDir, CHANGED_FEEDS_FILE), `${JSON.stringify(changed, null, 1)}\n`);
  return {
    mode: bundle.mode,
    documents: catalog.index.all.length,
    problems: catalog.problems.length,
    assetFiles,
    bundleBytes: Buffer.byteLength(source),
    written,
    unchanged,
    removed,
  };
}

/** JSON.parse of a string literal starts faster than an equivalent object literal. */
function moduleSource(bundle: ContentBundle): string {
  return `export default JSON.parse(${JSON.stringify(JSON.stringify(bundle))});\n`;
}

function nodeDirs(env: Readonly<Record<string, string | undefined>>): { stateDir: string; cacheDir?: string } {
  const runtime = parseNodeRuntimeConfig(env);
  return { stateDir: runtime.stateDir, ...(runtime.cacheDir === undefined ? {} : { cacheDir: runtime.cacheDir }) };
}

async function main(): Promise<void> {
  const env = { ...(await wranglerVars('wrangler.toml')), ...process.env };
  const threshold = Number(env.WORKER_ASSETS_THRESHOLD ?? DEFAULT_ASSETS_THRESHOLD);
  if (!Number.isSafeInteger(threshold) || threshold < 0) throw new Error('WORKER_ASSETS_THRESHOLD must be a whole number');
  const budgetKiB = Number(env.WORKER_BUNDLE_BUDGET_KIB ?? DEFAULT_BUNDLE_BUDGET_KIB);
  if (!Number.isFinite(budgetKiB) || budgetKiB <= 0) throw new Error('WORKER_BUNDLE_BUDGET_KIB must be a positive number');
  let result;
  try {
    result = await buildContent({
      contentDir: env.CONTENT_DIR ?? './content',
      outDir: env.WORKER_GENERATED_DIR ?? '.generated',
      env,
      threshold,
      budgetKiB,
      ...nodeDirs(env),
    });
  } catch (error) {
    if (!(error instanceof OutputLocked)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  console.log(
    `build:content: ${result.documents} documents (${result.problems} problems) -> ${result.mode} mode, ` +
      `${result.assetFiles} asset files (${result.written} written, ${result.unchanged} unchanged, ${result.removed} removed), bundle ${(result.bundleBytes / 1024).toFixed(1)} KiB`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
