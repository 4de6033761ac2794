import { serve } from '@hono/node-server';
import { ConfigError, parseServerConfig } from '../config/config.ts';
import { createApp } from '../http/app.ts';
import type { Catalog } from '../publish/catalog.ts';
import { formatProblem, loadCatalogFromDir } from './load-dir.ts';
import { watchContent } from './watch.ts';

function logProblems(catalog: Catalog): void {
  for (const problem of catalog.problems) console.warn(`content problem: ${formatProblem(problem)}`);
}

async function main(): Promise<void> {
  let config;
  try {
    config = parseServerConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }

  let catalog = await loadCatalogFromDir(config.site, config.contentDir);
  logProblems(catalog);
  const health = catalog.health();
  console.log(`loaded ${health.documents} documents in ${health.topics} topics (${health.problems} problems) from ${config.contentDir}`);

  const app = createApp({ catalog: () => catalog, onError: (error) => console.error(error) });
  serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    console.log(`serving ${config.site.siteUrl} on http://${info.address}:${info.port}/`);
  });

  if (config.watch) {
    watchContent(config.contentDir, async () => {
      const next = await loadCatalogFromDir(config.site, config.contentDir);
      catalog = next;
      logProblems(next);
      const h = next.health();
      console.log(`reloaded: ${h.documents} documents, ${h.topics} topics, ${h.problems} problems`);
    });
  }
}

await main();
