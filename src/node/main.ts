/**
 * Node entry: watch the content folder, listen (503 until loaded), load it
 * (every core, disk cache), serve it with the fast path in front of the Hono
 * app, apply file changes as they happen (those made during start-up right
 * after `ready`), and stop gracefully on SIGTERM/SIGINT
 * (docs/operations.md).
 */
import { createAdaptorServer } from '@hono/node-server';
import type { Server } from 'node:http';
import { ConfigError } from '../config/config.ts';
import type { ServerConfig } from '../config/config.ts';
import type { Problem } from '../content/document.ts';
import { createApp } from '../http/app.ts';
import { changedFeedUrls } from '../publish/changes.ts';
import { FrontDoor } from './front-door.ts';
import { ServerMetrics } from './metrics.ts';
import { installShutdown } from './shutdown.ts';
import { SubscriberTracker, subscribersFile } from './subscriber-tracker.ts';
import { sameSubscriberTotals } from '../publish/subscribers.ts';
import { pathOf } from '../publish/routes.ts';
import { guardServer } from './http-guards.ts';
import { LiveSite } from './live.ts';
import { RenderStore } from '../ingest/render-store.ts';
import { restamped } from '../ingest/content-store.ts';
import { formatProblem } from '../ingest/load-dir.ts';
import type { NodeRuntimeConfig } from '../config/node-settings.ts';
import { parseNodeServerConfig } from '../config/node-settings.ts';
import { watchContent } from './watch.ts';
import { WebSubPublisher } from '../publish/websub.ts';
import { installNativeDigest } from './native-digest.ts';
import { installNativeUtf8 } from './native-utf8.ts';

function logProblems(problems: readonly Problem[]): void {
  for (const problem of problems) console.warn(`content problem: ${formatProblem(problem)}`);
}

function readConfig(): { config: ServerConfig; runtime: NodeRuntimeConfig } {
  try {
    return parseNodeServerConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

const peakRssMb = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

async function main(): Promise<void> {
  installNativeDigest();
  installNativeUtf8();
  const { config, runtime } = readConfig();
  // Timings are measured from process start (performance.now()'s origin).
  const report = (event: string, data: Record<string, unknown>): void => {
    if (runtime.report) console.log(JSON.stringify({ event, atMs: Math.round(performance.now()), peakRssMb: peakRssMb(), ...data }));
  };

  let live: LiveSite | undefined;
  let snapshotAt: number | undefined;
  const swapped = (): void => {
    snapshotAt = performance.now();
  };

  // Subscriber counts survive restarts in STATE_DIR.
  const subscriberFile = subscribersFile(runtime.stateDir, config.contentDir);
  const subscribers = SubscriberTracker.load(subscriberFile, (message) => console.warn(message));
  const metrics = new ServerMetrics({ catalog: () => live?.catalog, snapshotAt: () => snapshotAt, subscribers }, { token: runtime.metricsToken });

  const hub = config.site.websubHub;
  const publisher = hub === undefined ? undefined : new WebSubPublisher({ hub, onOutcome: metrics.websubOutcome });

  // 1. Watch before the first scan. Changes seen while loading and warming
  //    wait here and are applied right after `ready` (a file the scan read
  //    already is a cache hit for `apply`, so nothing is applied twice).
  let startServing!: () => void;
  const serving = new Promise<void>((resolve) => (startServing = resolve));
  let saveCache: (delayMs: number) => void = () => {};
  let stopWatching = (): void => {};
  if (config.watch) {
    stopWatching = watchContent(
      config.contentDir,
      async (paths, firstEventAt) => {
        await serving;
        if (!live || shutdown.stopping) return;
        const update = live.apply(paths, firstEventAt);
        if (!update) return;
        swapped();
        metrics.reloadSeconds.observe(update.applyMs / 1000);
        logProblems(update.problems);
        const health = update.next.health();
        console.log(`updated ${update.files.length} file(s) in ${update.applyMs.toFixed(1)} ms: ${health.documents} documents, ${health.topics} topics, ${health.problems} problems`);
        report('update', { files: update.files.length, applyMs: update.applyMs });
        void live.warm(true, undefined, update.affectedPaths);
        if (publisher) void publisher.publish(changedFeedUrls(update.previous, update.next, update.affectedTopics));
        saveCache(2000);
      },
      runtime.watchSettleMs,
    );
  }

  // 2. Listen now: until the content is loaded, 503 with Retry-After (and /healthz says "loading").
  const app = createApp({ catalog: () => live!.catalog, onError: (error) => console.error(error), metrics: metrics.handler });
  const server = createAdaptorServer({ fetch: app.fetch, hostname: config.host }) as Server;
  guardServer(server);
  const door = new FrontDoor({
    table: runtime.fastPath ? () => live?.table : () => undefined,
    metrics,
    subscribers,
    accessLog: runtime.accessLog === 'json',
  });
  door.install(server);

  let renderStore: RenderStore | undefined;

  let refreshing: ReturnType<typeof setInterval> | undefined;
  let saving: ReturnType<typeof setTimeout> | undefined;
  // Cache saves one after another: two at once would share the temporary file.
  let cacheSaves: Promise<unknown> = Promise.resolve();
  const saveCacheNow = (site: LiveSite): Promise<boolean> => {
    const next = cacheSaves.then(() => site.store.saveCache());
    cacheSaves = next.catch(() => undefined);
    return next;
  };
  const shutdown = installShutdown({
    server,
    door,
    graceMs: runtime.shutdownGraceMs,
    beforeClose: () => {
      stopWatching();
      clearInterval(refreshing);
      clearTimeout(saving);
    },
    flush: async () => {
      subscribers.save(subscriberFile);
      if (!live) return;
      // Renders still being saved get a moment; an unfinished one is simply rendered again next time.
      const stored = renderStore?.idle();
      await live.saveServedPaths();
      await saveCacheNow(live);
      if (stored) await Promise.race([stored, new Promise((done) => setTimeout(done, 2_000).unref())]);
      renderStore?.close();
      // The first-seen ledger (and whatever else the site keeps open).
      const closable = live as { close?: () => unknown };
      if (typeof closable.close === 'function') await closable.close();
    },
  });

  await new Promise<void>((listening) => server.listen(config.port, config.host, listening));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  console.log(`serving ${config.site.siteUrl} on http://${config.host}:${port}/${runtime.fastPath ? '' : ' (fast path off)'}`);
  report('listening', { port });
  metrics.startupSeconds.set({ phase: 'listening' }, performance.now() / 1000);

  // Rendered and compressed bytes from the last run, by ETag (listed while the content loads).
  if (runtime.cacheDir !== undefined && runtime.renderStoreMaxMb > 0) {
    try {
      renderStore = new RenderStore({
        cacheDir: runtime.cacheDir,
        contentDir: config.contentDir,
        maxBytes: runtime.renderStoreMaxMb * 1024 * 1024,
        onDiscard: (file, reason) => console.warn(`render store: discarded ${file}: ${reason}`),
      });
    } catch (error) {
      // Without its code stamp the store could serve bytes of older code: off, every route is rendered.
      console.warn('render store off: could not stamp the rendering code', error);
    }
  }

  // 3. Load.
  const started = await LiveSite.start({
    site: config.site,
    contentDir: config.contentDir,
    ...(runtime.cacheDir === undefined ? {} : { cacheDir: runtime.cacheDir }),
    ...(runtime.parseThreads === undefined ? {} : { threads: runtime.parseThreads }),
    // Items are published when they first appeared: the first-seen ledger under STATE_DIR (docs/item-dates.md).
    stateDir: runtime.stateDir,
    ...(renderStore === undefined ? {} : { renderStore }),
    // Topics rendered ahead: WARM_TOPICS of them, by demand (src/node/warm-policy.ts); the rest on first request.
    warmTopics: runtime.warmTopics,
    subscribers: (slugs) => subscribers.totals(slugs, Date.now()),
  });
  if (shutdown.stopping) return;
  live = started.live;
  const start = started.report;
  live.onRender = (ms) => metrics.renderSeconds.observe(ms / 1000);
  live.onDemandFill = (how, ms) => metrics.firstFillSeconds.observe({ source: how }, ms / 1000);
  swapped();
  logProblems(live.catalog.problems);
  const { load } = start;
  console.log(
    `loaded ${start.documents} documents in ${live.catalog.index.topics.size} topics (${start.problems} problems) from ${config.contentDir}: ` +
      `${load.parsed} parsed, ${load.fromCache} from cache (${load.cache}${load.cacheDetail ? `: ${load.cacheDetail}` : ''}` +
      `${load.reread > 0 ? `; ${load.reread} read again, a stat could not prove them` : ''}), ${load.threads} threads`,
  );
  report('loaded', { ...start });
  metrics.startupSeconds.set({ phase: 'loaded' }, performance.now() / 1000);
  door.open();

  // 4. Warm: the site-wide routes and the warm topics' routes rendered, servable from memory
  //    (the other topics' on their first request). Compressed variants follow.
  const site = live;
  const warm = await site.warm(true, (rendered) => report('ready', { ...rendered }));
  console.log(
    `ready: ${warm.routes} routes servable in ${Math.round(warm.renderMs)} ms, compressed ${Math.round(warm.compressMs)} ms later ` +
      `(${warm.topics} of ${warm.topics + warm.coldTopics} topics warmed` +
      (warm.coldTopics > 0 ? `, the others render on first request` : '') +
      (renderStore ? `; ${warm.rendered} rendered, ${warm.fromStore} left in the render store until first asked for)` : ')'),
  );
  report('compressed', { ...warm });
  if (renderStore) {
    const began = performance.now();
    void renderStore.idle().then(() => report('renderStored', { ms: Math.round(performance.now() - began), ...renderStore.stats() }));
  }
  metrics.startupSeconds.set({ phase: 'ready' }, performance.now() / 1000);

  saveCache = (delayMs: number): void => {
    clearTimeout(saving);
    saving = setTimeout(() => {
      const began = performance.now();
      saveCacheNow(site)
        .then((saved) => saved && report('cacheSaved', { ms: Math.round(performance.now() - began) }))
        .catch((error: unknown) => console.error('could not write the document cache', error));
    }, delayMs);
  };
  if (restamped(load) > 0 || load.cache !== 'loaded') saveCache(0);

  // 5. Edits made during the load and warm-up go in now.
  startServing();

  // Subscriber totals on the index and topics.json: refreshed at most every SUBSCRIBERS_REFRESH_MS,
  // and only swapped in when a total changed (a new snapshot: new ETags for those two routes only).
  refreshing = setInterval(() => {
    const now = Date.now();
    subscribers.prune(now);
    const next = subscribers.totals(site.catalog.index.topics.keys(), now);
    if (!sameSubscriberTotals(next, site.catalog.subscribers)) {
      site.setSubscribers(next);
      swapped();
      void site.warm(true, undefined, [pathOf('home'), pathOf('topicsJson')]);
    }
    try {
      subscribers.save(subscriberFile);
    } catch (error) {
      console.error(`could not write ${subscriberFile}`, error);
    }
    void site.saveServedPaths();
  }, runtime.subscribersRefreshMs);
  refreshing.unref();
}

await main();
