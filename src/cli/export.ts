/**
 * `npm run export -- --out DIR [--clean] [--ping] [--changed FILE]`: writes
 * every fixed route of the content folder as a file (feeds, archives,
 * previews, pages, topics.json, OPML) plus a `_headers` file with their
 * content types and cache policy, for static hosts (Cloudflare Pages, Netlify
 * and similar). Into a folder that holds an earlier export it updates in
 * place, writing only what changed (export-state.ts, docs/export.md).
 * Content comes from CONTENT_DIR and the site settings from the environment,
 * as for `npm start`; the parse cache (CACHE_DIR) is shared with the server.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, parseSiteConfig } from '../config/config.ts';
import { renderHeadersFile } from '../http/headers-file.ts';
import { diffTags, feedTags } from '../publish/changes.ts';
import { LiveCatalog } from '../publish/live-catalog.ts';
import type { PublishedRoute } from '../publish/published-routes.ts';
import { archiveStepRoutes, archiveSweep, currentRoutes, publishedRoutes } from '../publish/published-routes.ts';
import { ItemFragmentCache } from '../feeds/fragments.ts';
import { WebSubPublisher } from '../publish/websub.ts';
import { ContentStore, restamped } from '../ingest/content-store.ts';
import type { SweepOptions } from '../ingest/content-sweep.ts';
import { ContentSweep } from '../ingest/content-sweep.ts';
import { formatProblem } from '../ingest/load-dir.ts';
import type { StaticFileOutput } from '../ingest/media.ts';
import { collectStaticFiles } from '../ingest/media.ts';
import type { TaskRunner } from '../ingest/parse-pool.ts';
import { parseNodeRuntimeConfig } from '../config/node-settings.ts';
import type { FileCheck, FileOutcome, FileRecord, FolderState } from './export-state.ts';
import { ExportRefused, FileTable, MANIFEST_FILE, MANIFEST_FORMAT, MANIFEST_PROJECT, checkFile, exportStamp, inspectFolder, parseManifest, placeFile, removeFiles, sha1, writeManifest } from './export-state.ts';
import { EXPORT_FRAGMENT_BUDGET, placeStaticFiles, skipTag, writeRoutes } from './export-write.ts';
import { WriteThread } from './write-thread.ts';
import { OutputLocked, withOutputLock } from './output-lock.ts';
import { installNativeDigest } from '../node/native-digest.ts';
import { installNativeUtf8 } from '../node/native-utf8.ts';

export { ExportRefused, MANIFEST_FILE } from './export-state.ts';

export interface ExportOptions {
  readonly contentDir: string;
  readonly outDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cacheDir?: string;
  /** STATE_DIR: the first-seen ledger (shared with the server), so items keep when they first appeared. */
  readonly stateDir?: string;
  /** Parse and sanitize threads (default: the cores, up to 4); 0 or 1 does everything on this thread. Rendering is on this thread. */
  readonly threads?: number;
  /** Batches smaller than this are parsed and sanitized on this thread whatever `threads` says (tests lower it). */
  readonly minFilesForThreads?: number;
  /** How far ahead of the archive pages content is sanitized (content-sweep.ts; tests lower it). */
  readonly sweep?: SweepOptions;
  /** Remove `outDir` first instead of updating the earlier export in it. */
  readonly clean?: boolean;
  /** Called after each file; `done` counts files handled so far (written or unchanged). */
  readonly progress?: (done: number, total: number, file: string, counts: ExportCounts) => void;
}

export interface ExportCounts {
  /** Files whose bytes were written (new or changed). */
  written: number;
  /** Files that already held the right bytes (most without a render). */
  unchanged: number;
  /** Files of an earlier export that no longer exist (routes, media) and were removed. */
  removed: number;
}

export interface ExportResult extends ExportCounts {
  /** Files of the export (the manifest not counted). */
  readonly files: number;
  /** Bytes of the export's files. */
  readonly bytes: number;
  readonly documents: number;
  readonly problems: number;
  /** Routes rendered (the rest were skipped on their ETags). */
  readonly rendered: number;
  /** Content files a stat could not prove unchanged since the parse cache was saved, read and hashed again. */
  readonly reread: number;
  /** Subscribable feeds whose ETag differs from the earlier export's (publish/changes.ts): what --ping pings. */
  readonly changedFeeds: readonly string[];
  /** Wall-clock milliseconds: load (parse + sanitize), then render + write. */
  readonly loadMs: number;
  readonly writeMs: number;
}

/** Above this share of routes to render, render every route, sanitizing ahead of the archive sweep. */
const FULL_RENDER_SHARE = 0.2;

/**
 * Every route, in the order that reuses item fragments: the current routes
 * (feeds, previews, pages; their documents' content is pinned), then the
 * archive pages from the newest items back, while the parse threads sanitize
 * the documents of the next pages and the content of pages behind is dropped.
 */
async function* fullRender(catalog: LiveCatalog, store: ContentStore, runner: TaskRunner, options?: SweepOptions): AsyncGenerator<PublishedRoute> {
  const steps = archiveSweep(catalog);
  const sweep = new ContentSweep(
    { hold: (files) => store.hold(files, runner), release: (files) => store.release(files) },
    steps.map((step) => step.items.map((document) => document.file)),
    store.heldFiles,
    options,
  );
  // The sweep asks in batches smaller than the pool's threshold: start the threads for its total.
  runner.expect(sweep.toMake);
  sweep.start();
  yield* currentRoutes(catalog);
  for (const [i, step] of steps.entries()) {
    await sweep.before(i);
    yield* archiveStepRoutes(catalog, step);
    sweep.after(i);
  }
}

/** The feed tags of the export in `outDir`, if it holds one (read before --clean removes it, for --ping). */
async function previousFeeds(outDir: string): Promise<Readonly<Record<string, string>> | undefined> {
  try {
    return parseManifest(await readFile(join(outDir, MANIFEST_FILE), 'utf8'))?.feeds;
  } catch {
    return undefined;
  }
}

/**
 * Exports the content folder into `outDir`: a fresh export into a missing or
 * empty folder, or an update in place of an earlier export of this project
 * (recognised by its manifest): only files whose bytes change are written,
 * routes whose ETag is unchanged are not even rendered, files of routes that
 * are gone are removed. Throws `ExportRefused` for any other folder, and
 * `OutputLocked` while another run writes it (output-lock.ts).
 */
export function exportSite(options: ExportOptions): Promise<ExportResult> {
  // Before the folder is even looked at (or removed by --clean): one run at a time.
  return withOutputLock(options.outDir, 'export', () => writeExport(options));
}

async function writeExport(options: ExportOptions): Promise<ExportResult> {
  installNativeDigest();
  installNativeUtf8();
  const started = performance.now();
  const site = parseSiteConfig(options.env);
  const outDir = options.outDir;
  let feedsBefore: Readonly<Record<string, string>> | undefined;
  if (options.clean) {
    feedsBefore = await previousFeeds(outDir);
    await rm(outDir, { recursive: true, force: true });
  }
  const storeOptions = {
    site,
    contentDir: options.contentDir,
    ...(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir }),
    ...(options.threads === undefined ? {} : { threads: options.threads }),
    ...(options.minFilesForThreads === undefined ? {} : { minFilesForThreads: options.minFilesForThreads }),
    ...(options.stateDir === undefined ? {} : { stateDir: options.stateDir }),
  };
  // The content scan only reads: it starts before the folder check (the manifest's parse took 0.4 s at 50k documents).
  const scan = ContentStore.scanAhead(storeOptions);
  // Refuse a folder without a manifest before any work, and change nothing in it. The walk that
  // looks for files no export wrote runs on its own thread during the load.
  let folder;
  try {
    folder = await inspectFolder(outDir);
  } catch (error) {
    scan?.close();
    throw error;
  }
  feedsBefore ??= folder.manifest?.feeds ?? {};
  const stamp = exportStamp(site);
  const sameStamp = folder.manifest?.stamp === stamp;

  // Fields and index first; content is sanitized below, as the routes need it.
  const { store, runner, report } = await ContentStore.open(storeOptions, scan);
  const records = new Map<string, FileRecord>();
  const counts: ExportCounts = { written: 0, unchanged: 0, removed: 0 };
  let done = 0;
  let total = 0;
  const fileDone = (file: string, outcome: FileOutcome, record: FileRecord): void => {
    records.set(file, record);
    counts[outcome] += 1;
    done += 1;
    options.progress?.(done, total, file, counts);
  };
  let catalog: LiveCatalog;
  let streaming: LiveCatalog;
  let staticFiles: readonly StaticFileOutput[];
  let planned: ReadonlySet<string>;
  let toRender = 0;
  let loaded: number;
  const checks = new Map<string, FileCheck>();
  let state: FolderState;
  let writer: WriteThread | undefined;
  try {
    state = await folder.state;
    catalog = new LiveCatalog(site, store.loadResult(), { files: store.files });
    // A catalog that does not keep what it renders: memory holds only the routes being written.
    // Item fragments (each item rendered once per format, laid into every page that shows it) in a
    // cache of this export's own, with the routes in an order that reuses them (publishedRoutesForReuse):
    // at 10k documents rendering took a third of the time of rendering each page whole.
    streaming = new LiveCatalog(site, { documents: catalog.index.all, problems: catalog.problems }, { index: catalog.index, retain: false, fragments: new ItemFragmentCache(EXPORT_FRAGMENT_BUDGET) });
    // Validators come before bodies: which routes need a render is known now.
    const changedRoutes: PublishedRoute[] = [];
    for (const route of publishedRoutes(streaming)) {
      const check = checkFile(state, route.file, skipTag(streaming, route), sameStamp);
      checks.set(route.file, check);
      if (check.skip) continue;
      toRender += 1;
      // An update renders these, and no other route is even looked at again.
      changedRoutes.push(route);
    }
    const full = toRender > checks.size * FULL_RENDER_SHARE;
    // A full render takes every route again, in the order that reuses item fragments.
    if (full) changedRoutes.length = 0;
    // A full render sanitizes the windows now (the routes rendered first show only those), and the
    // archives' documents just ahead of the pages that show them (fullRender). An update's few routes
    // sanitize their documents on first read.
    if (full) await store.pinWindows(catalog.index, site.feedLimit, runner);
    // Saving the cache costs about as much as reading it: after a few edits, the next run parses those few files again instead.
    // Files read again only because a stat could not prove them (copied just before the last run: racy
    // mtimes) count too: unsaved, every later run would read them again.
    // Fields only, no sanitized content: an export renders few documents when it is incremental,
    // and reading every document's content back costs a second per 40 MB on each later run.
    if (options.cacheDir !== undefined && (full || restamped(report) > Math.max(50, report.files / 100))) await store.saveCache(new Set());
    for (const problem of catalog.problems) console.warn(`content problem: ${formatProblem(problem)}`);
    loaded = performance.now();

    // The icon and the documents' images, copied as they are (docs/media.md).
    staticFiles = collectStaticFiles(site, options.contentDir, catalog.index.all, store.images);
    const plan = new Set(checks.keys());
    for (const file of staticFiles) plan.add(file.outFile);
    planned = plan.add('_headers');
    total = planned.size;

    // In progress: the previous records, plus every file this run may add, so an interrupted run leaves a folder the next one accepts.
    await mkdir(outDir, { recursive: true });
    const previousFiles = state.manifest?.files ?? new FileTable();
    const claimed = [...new Set([...planned, ...(state.manifest?.claimed ?? [])])].filter((file) => !previousFiles.has(file)).sort();
    // With nothing new to claim, the manifest on disk already accepts every file this run can leave (54k records at 50k documents: not written twice).
    if (state.manifest === undefined || claimed.length > 0) {
      await writeManifest(outDir, { project: MANIFEST_PROJECT, format: MANIFEST_FORMAT, complete: false, stamp: state.manifest?.stamp ?? '', files: previousFiles, claimed, feeds: feedsBefore });
    }

    // An update: the unchanged routes are done already; only the few changed ones are rendered.
    if (!full) for (const [file, check] of checks) if (check.skip && check.previous) fileDone(file, 'unchanged', check.previous);
    // The icon and images are placed while the routes render; both go to the write thread in a full
    // render. The first failure stops the other writer too; both have settled before it is thrown.
    const made = new Set<string>();
    // A full render's 10k-54k files are hashed and written on a thread of their own; an update's few, here.
    writer = full ? new WriteThread() : undefined;
    const place = writer?.place ?? placeFile;
    const stop = new AbortController();
    const stopOnFailure = (error: unknown): never => {
      stop.abort(error);
      throw error;
    };
    const outcomes = await Promise.allSettled([
      writeRoutes(streaming, full ? fullRender(streaming, store, runner, options.sweep) : changedRoutes, outDir, checks, fileDone, made, stop.signal, place).catch(stopOnFailure),
      placeStaticFiles(staticFiles, outDir, (file) => checkFile(state, file.outFile, file.entry.etag, true), fileDone, made, stop.signal, place).catch(stopOnFailure),
    ]);
    const failed = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failed) throw stop.signal.reason ?? failed.reason;
  } finally {
    store.close();
    await Promise.all([runner.close(), writer?.close()]);
  }

  store.images.save();
  const headers = new TextEncoder().encode(renderHeadersFile(site));
  const headersTag = sha1(headers);
  const placedHeaders = await placeFile(outDir, '_headers', headers, headersTag, checkFile(state, '_headers', headersTag, true));
  fileDone('_headers', placedHeaders.outcome, placedHeaders.record);

  // Files of routes (and media) that are gone.
  const stale = [...state.disk.keys()].filter((file) => !planned.has(file));
  await removeFiles(outDir, stale);
  counts.removed = stale.length;

  const tags = feedTags(streaming);
  // In the order the files were planned (routes in index order, then media, then _headers): the same
  // content and settings give the same manifest, and 54k names need no sort (0.15 s at 50k documents).
  const files = new FileTable();
  for (const file of planned) {
    const record = records.get(file);
    if (record !== undefined) files.add(file, record);
  }
  // Every file written is recorded, planned or not: an unrecorded one would make the next run refuse the folder.
  for (const file of [...records.keys()].filter((file) => !planned.has(file)).sort()) files.add(file, records.get(file)!);
  await writeManifest(outDir, { project: MANIFEST_PROJECT, format: MANIFEST_FORMAT, complete: true, stamp, files, claimed: [], feeds: Object.fromEntries(tags) });
  const health = catalog.health();
  let bytes = 0;
  for (const record of records.values()) bytes += record.size;
  return {
    files: records.size,
    bytes,
    ...counts,
    documents: health.documents,
    problems: health.problems,
    rendered: toRender,
    reread: report.reread,
    changedFeeds: diffTags(new Map(Object.entries(feedsBefore)), tags),
    loadMs: loaded - started,
    writeMs: performance.now() - loaded,
  };
}

/** A bar on a terminal; on a pipe or in CI, one plain line per tenth. */
async function progressReporter(): Promise<{ update: NonNullable<ExportOptions['progress']>; stop: () => void }> {
  if (process.stderr.isTTY) {
    // Loaded for a terminal only: its import is 20 ms of an export that takes a few seconds.
    const { default: cliProgress } = await import('cli-progress');
    const bar = new cliProgress.SingleBar(
      { format: 'export [{bar}] {percentage}% | {value}/{total} files | {written} written, {unchanged} unchanged | {file}', stream: process.stderr, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(done, total, file, counts) {
        if (!started) {
          bar.start(total, 0, { file: '', written: 0, unchanged: 0 });
          started = true;
        }
        bar.update(done, { file, written: counts.written, unchanged: counts.unchanged });
      },
      stop: () => bar.stop(),
    };
  }
  let reported = -1;
  return {
    update(done, total, _file, counts) {
      const tenth = Math.floor((done / total) * 10);
      if (tenth > reported) {
        reported = tenth;
        console.error(`export: ${done}/${total} files (${tenth * 10}%): ${counts.written} written, ${counts.unchanged} unchanged`);
      }
    },
    stop() {},
  };
}

const USAGE = 'Usage: npm run export -- --out DIR [--clean] [--ping] [--changed FILE]   (CONTENT_DIR, SITE_URL, ... from the environment)';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      clean: { type: 'boolean', default: false },
      ping: { type: 'boolean', default: false },
      changed: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help || values.out === undefined) {
    console.error(USAGE);
    process.exit(values.help ? 0 : 1);
  }
  const outDir = resolve(values.out);
  let runtime;
  let site;
  try {
    site = parseSiteConfig(process.env);
    runtime = parseNodeRuntimeConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  if (values.ping && site.websubHub === undefined) {
    console.error('export: --ping needs WEBSUB_HUB (the hub the feeds advertise)');
    process.exit(1);
  }
  const progress = await progressReporter();
  let result;
  try {
    result = await exportSite({
      contentDir: process.env.CONTENT_DIR ?? './content',
      outDir,
      env: process.env,
      clean: values.clean,
      ...(runtime.cacheDir === undefined ? {} : { cacheDir: runtime.cacheDir }),
      ...(runtime.parseThreads === undefined ? {} : { threads: runtime.parseThreads }),
      stateDir: runtime.stateDir,
      progress: progress.update,
    });
  } catch (error) {
    progress.stop();
    if (error instanceof ExportRefused || error instanceof OutputLocked) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  progress.stop();
  console.log(
    `export: ${result.files} files (${result.written} written, ${result.unchanged} unchanged, ${result.removed} removed), ` +
      `${(result.bytes / 1e6).toFixed(1)} MB from ${result.documents} documents (${result.problems} problems) ` +
      `in ${((result.loadMs + result.writeMs) / 1000).toFixed(1)} s (load ${(result.loadMs / 1000).toFixed(1)} s, render + write ${(result.writeMs / 1000).toFixed(1)} s, ` +
      `${result.rendered} routes rendered) -> ${outDir}`,
  );
  // Files whose stamps a stat could not prove (copied or touched since the cache was saved): read and hashed again.
  if (result.reread > 0) console.log(`export: ${result.reread} content files read again, a stat could not prove them unchanged`);
  if (values.changed !== undefined) await writeFile(values.changed, `${JSON.stringify(result.changedFeeds, null, 2)}\n`);
  if (values.ping && site.websubHub !== undefined) {
    if (result.changedFeeds.length === 0) console.log('export: no feed changed; nothing to ping');
    else {
      let gaveUp = false;
      await new WebSubPublisher({ hub: site.websubHub, onOutcome: (outcome) => (gaveUp ||= outcome === 'gave-up') }).publish(result.changedFeeds);
      console.log(`export: ${result.changedFeeds.length} changed feed(s) ${gaveUp ? 'NOT all pinged' : 'pinged'} at ${site.websubHub}`);
      if (gaveUp) process.exitCode = 1;
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // Exit once both streams have flushed, instead of waiting for the threads and the heap to wind down (40 ms at 50k documents).
  const flushed = (stream: NodeJS.WriteStream) => new Promise<void>((done) => stream.write('', () => done()));
  main().then(async () => {
    await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
    process.exit();
  }, (error: unknown) => {
    if (error instanceof ConfigError) console.error(error.message);
    else console.error(error);
    process.exit(1);
  });
}
