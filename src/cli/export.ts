/**
 * `npm run export -- --out DIR [--clean]`: writes every fixed route of the
 * content folder as a file (feeds, archives, previews, pages, topics.json,
 * OPML) plus a `_headers` file with their content types and cache policy,
 * for static hosts (Cloudflare Pages, Netlify and similar). Content comes
 * from CONTENT_DIR and the site settings from the environment, as for
 * `npm start`; the parse cache (CACHE_DIR) is shared with the server.
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { ConfigError, parseSiteConfig } from '../config/config.ts';
import { renderHeadersFile } from '../http/headers-file.ts';
import type { FeedDocument } from '../content/document.ts';
import type { PublishedRoute } from '../publish/published-routes.ts';
import { LiveCatalog } from '../publish/live-catalog.ts';
import { publishedRoutes } from '../publish/published-routes.ts';
import type { TopicIndex } from '../topics/topic-index.ts';
import { LazyDocument } from '../ingest/lazy-document.ts';
import { formatProblem, loadCatalogFromDir } from '../ingest/load-dir.ts';
import { collectStaticFiles, writeStaticFiles } from '../ingest/media.ts';
import { defaultThreads, spawnModuleWorker } from '../ingest/parse-pool.ts';
import { parseNodeRuntimeConfig } from '../config/node-settings.ts';
import type { ExportWorkerData, ExportWorkerMessage } from './export-worker.ts';
import { writeRoutes } from './export-write.ts';

export interface ExportOptions {
  readonly contentDir: string;
  readonly outDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cacheDir?: string;
  /** STATE_DIR: the first-seen ledger (shared with the server), so items keep when they first appeared. */
  readonly stateDir?: string;
  /** Parse and render threads (default: the cores, up to 4); 0 or 1 does everything on this thread. */
  readonly threads?: number;
  /** Below this many documents, render on this thread only (tests lower it). */
  readonly minDocumentsForThreads?: number;
  /** Called after each file; `done` counts files written so far. */
  readonly progress?: (done: number, total: number, file: string) => void;
}

export interface ExportResult {
  readonly files: number;
  readonly bytes: number;
  readonly documents: number;
  readonly problems: number;
  readonly renderThreads: number;
  /** Wall-clock milliseconds: load (parse + sanitize), then render + write. */
  readonly loadMs: number;
  readonly writeMs: number;
}

const MIN_DOCUMENTS_FOR_THREADS = 2000;

/**
 * Topics for each extra render thread, balanced by document count; this
 * thread keeps the site-wide routes (the overall feed and its archive, which
 * reach every document) and whatever topics even out the load.
 */
function assignTopics(index: TopicIndex, threads: number): string[][] {
  const loads = [index.all.length, ...Array.from({ length: threads - 1 }, () => 0)];
  const assigned: string[][] = loads.map(() => []);
  const topics = [...index.topics.values()].sort((a, b) => b.documents.length - a.documents.length);
  for (const topic of topics) {
    const lightest = loads.indexOf(Math.min(...loads));
    loads[lightest]! += topic.documents.length;
    assigned[lightest]!.push(topic.summary.slug);
  }
  return assigned.slice(1);
}

function runRenderThread(data: ExportWorkerData, progress: (files: number) => void): Promise<number> {
  return new Promise((done, fail) => {
    const worker = spawnModuleWorker(new URL('./export-worker.ts', import.meta.url), data);
    worker.on('message', (message: ExportWorkerMessage) => {
      if (message.kind === 'progress') progress(message.files);
      else done(message.bytes);
    });
    worker.on('error', fail);
    worker.on('exit', (code) => code !== 0 && fail(new Error(`export render thread exited with code ${code}`)));
  });
}

export async function exportSite(options: ExportOptions): Promise<ExportResult> {
  const started = performance.now();
  const site = parseSiteConfig(options.env);
  // Every document is in some archive page: sanitize them all up front, on every core.
  const catalog = await loadCatalogFromDir(site, options.contentDir, {
    content: 'all',
    ...(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir }),
    ...(options.threads === undefined ? {} : { threads: options.threads }),
    ...(options.stateDir === undefined ? {} : { stateDir: options.stateDir }),
  });
  for (const problem of catalog.problems) console.warn(`content problem: ${formatProblem(problem)}`);
  const loaded = performance.now();

  // A catalog that does not keep what it renders: memory holds only the routes being written.
  const streaming = new LiveCatalog(site, { documents: catalog.index.all, problems: catalog.problems }, { index: catalog.index, retain: false });
  // The icon and the documents' images, copied as they are (docs/media.md).
  const staticFiles = collectStaticFiles(site, options.contentDir, catalog.index.all);
  let total = 1 + staticFiles.length;
  for (const _route of publishedRoutes(streaming)) total += 1;
  await mkdir(options.outDir, { recursive: true });
  let done = 0;
  const written = (file: string): void => {
    done += 1;
    options.progress?.(done, total, file);
  };

  const threads = options.threads ?? defaultThreads();
  const parallel = threads > 1 && catalog.index.all.length >= (options.minDocumentsForThreads ?? MIN_DOCUMENTS_FOR_THREADS);
  const others = parallel ? assignTopics(catalog.index, threads).filter((slugs) => slugs.length > 0) : [];
  const elsewhere = new Set(others.flat());
  const threadsDone = others.map((slugs) => {
    const documents = new Set<FeedDocument>();
    for (const slug of slugs) for (const document of catalog.index.topics.get(slug)?.documents ?? []) documents.add(document);
    // Plain documents with their content: what a thread can receive.
    const plain = [...documents].map((document) => (document instanceof LazyDocument ? document.toJSON() : document));
    return runRenderThread({ site, outDir: options.outDir, slugs, documents: plain }, (files) => {
      for (let i = 0; i < files; i += 1) written('');
    });
  });
  const own = (function* (): Generator<PublishedRoute> {
    for (const route of publishedRoutes(streaming)) if (!elsewhere.has(route.topic ?? '')) yield route;
  })();
  const sizes = await Promise.all([writeRoutes(own, options.outDir, written), ...threadsDone]);

  const staticBytes = await writeStaticFiles(staticFiles, options.outDir);
  for (const file of staticFiles) written(file.outFile);
  const headers = renderHeadersFile(site);
  await writeFile(join(options.outDir, '_headers'), headers);
  written('_headers');
  const health = catalog.health();
  return {
    files: done,
    bytes: sizes.reduce((a, b) => a + b, 0) + staticBytes + Buffer.byteLength(headers),
    documents: health.documents,
    problems: health.problems,
    renderThreads: 1 + others.length,
    loadMs: loaded - started,
    writeMs: performance.now() - loaded,
  };
}

/** A bar on a terminal; on a pipe or in CI, one plain line per tenth. */
function progressReporter(): { update: (done: number, total: number, file: string) => void; stop: () => void } {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: 'export [{bar}] {percentage}% | {value}/{total} files | {file}', stream: process.stderr, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(done, total, file) {
        if (!started) {
          bar.start(total, 0, { file: '' });
          started = true;
        }
        bar.update(done, { file });
      },
      stop: () => bar.stop(),
    };
  }
  let reported = -1;
  return {
    update(done, total) {
      const tenth = Math.floor((done / total) * 10);
      if (tenth > reported) {
        reported = tenth;
        console.error(`export: ${done}/${total} files (${tenth * 10}%)`);
      }
    },
    stop() {},
  };
}

async function isEmptyDir(path: string): Promise<boolean> {
  try {
    return (await readdir(path)).length === 0;
  } catch {
    return true;
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { out: { type: 'string' }, clean: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help || values.out === undefined) {
    console.error('Usage: npm run export -- --out DIR [--clean]   (CONTENT_DIR, SITE_URL, ... from the environment)');
    process.exit(values.help ? 0 : 1);
  }
  const outDir = resolve(values.out);
  if (values.clean) await rm(outDir, { recursive: true, force: true });
  else if (!(await isEmptyDir(outDir))) {
    console.error(`export: ${outDir} is not empty; pass --clean to replace it (stale files would be served)`);
    process.exit(1);
  }
  let runtime;
  try {
    runtime = parseNodeRuntimeConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const progress = progressReporter();
  const result = await exportSite({
    contentDir: process.env.CONTENT_DIR ?? './content',
    outDir,
    env: process.env,
    ...(runtime.cacheDir === undefined ? {} : { cacheDir: runtime.cacheDir }),
    ...(runtime.parseThreads === undefined ? {} : { threads: runtime.parseThreads }),
    stateDir: runtime.stateDir,
    progress: progress.update,
  });
  progress.stop();
  console.log(
    `export: ${result.files} files, ${(result.bytes / 1e6).toFixed(1)} MB from ${result.documents} documents (${result.problems} problems) ` +
      `in ${((result.loadMs + result.writeMs) / 1000).toFixed(1)} s (load ${(result.loadMs / 1000).toFixed(1)} s, render + write ${(result.writeMs / 1000).toFixed(1)} s on ${result.renderThreads} thread(s)) -> ${outDir}`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    if (error instanceof ConfigError) console.error(error.message);
    else console.error(error);
    process.exit(1);
  });
}
