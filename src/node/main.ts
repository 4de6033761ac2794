/**
 * Node entry: load the content folder (every core, disk cache), serve it
 * with the fast path in front of the Hono app, and apply file changes as
 * they happen.
 */
import { createAdaptorServer } from '@hono/node-server';
import type { Server } from 'node:http';
import { ConfigError } from '../config/config.ts';
import type { ServerConfig } from '../config/config.ts';
import type { Problem } from '../content/document.ts';
import { createApp } from '../http/app.ts';
import { changedFeedUrls } from '../publish/changes.ts';
import { installFastPath } from './fast-path.ts';
import { guardServer } from './http-guards.ts';
import { LiveSite } from './live.ts';
import { formatProblem } from '../ingest/load-dir.ts';
import type { NodeRuntimeConfig } from '../config/node-settings.ts';
import { parseNodeServerConfig } from '../config/node-settings.ts';
import { watchContent } from './watch.ts';
import { WebSubPublisher } from '../publish/websub.ts';

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
  const { config, runtime } = readConfig();
  // Timings are measured from process start (performance.now()'s origin).
  const report = (event: string, data: Record<string, unknown>): void => {
    if (runtime.report) console.log(JSON.stringify({ event, atMs: Math.round(performance.now()), peakRssMb: peakRssMb(), ...data }));
  };

  const { live, report: start } = await LiveSite.start({
    site: config.site,
    contentDir: config.contentDir,
    ...(runtime.cacheDir === undefined ? {} : { cacheDir: runtime.cacheDir }),
    ...(runtime.parseThreads === undefined ? {} : { threads: runtime.parseThreads }),
  });
  logProblems(live.catalog.problems);
  const { load } = start;
  console.log(
    `loaded ${start.documents} documents in ${live.catalog.index.topics.size} topics (${start.problems} problems) from ${config.contentDir}: ` +
      `${load.parsed} parsed, ${load.fromCache} from cache (${load.cache}${load.cacheDetail ? `: ${load.cacheDetail}` : ''}), ${load.threads} threads`,
  );
  report('loaded', { ...start });

  const app = createApp({ catalog: () => live.catalog, onError: (error) => console.error(error) });
  const server = createAdaptorServer({ fetch: app.fetch, hostname: config.host }) as Server;
  guardServer(server);
  if (runtime.fastPath) installFastPath(server, () => live.table);
  await new Promise<void>((listening) => server.listen(config.port, config.host, listening));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  console.log(`serving ${config.site.siteUrl} on http://${config.host}:${port}/${runtime.fastPath ? '' : ' (fast path off)'}`);
  report('listening', { port });

  // Every fixed route rendered: servable from memory. Compressed variants follow.
  const warm = await live.warm(true, (rendered) => report('ready', { ...rendered }));
  console.log(`ready: ${warm.routes} routes rendered in ${Math.round(warm.renderMs)} ms, compressed ${Math.round(warm.compressMs)} ms later`);
  report('compressed', { ...warm });

  let saving: ReturnType<typeof setTimeout> | undefined;
  const saveCache = (delayMs: number): void => {
    clearTimeout(saving);
    saving = setTimeout(() => {
      const started = performance.now();
      live.store
        .saveCache()
        .then((saved) => saved && report('cacheSaved', { ms: Math.round(performance.now() - started) }))
        .catch((error: unknown) => console.error('could not write the document cache', error));
    }, delayMs);
  };
  if (load.parsed > 0 || load.cache !== 'loaded') saveCache(0);

  const hub = config.site.websubHub;
  const publisher = hub === undefined ? undefined : new WebSubPublisher({ hub });

  if (config.watch) {
    watchContent(
      config.contentDir,
      (paths, firstEventAt) => {
        const update = live.apply(paths, firstEventAt);
        if (!update) return;
        logProblems(update.problems);
        const health = update.next.health();
        console.log(`updated ${update.files.length} file(s) in ${update.applyMs.toFixed(1)} ms: ${health.documents} documents, ${health.topics} topics, ${health.problems} problems`);
        report('update', { files: update.files.length, applyMs: update.applyMs });
        void live.warm(true, undefined, update.affectedPaths);
        if (publisher) void publisher.publish(changedFeedUrls(update.previous, update.next));
        saveCache(2000);
      },
      runtime.watchSettleMs,
    );
  }
}

await main();
