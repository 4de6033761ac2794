/**
 * `npm run ping:hub -- [--changed FILE]`: sends the WebSub publish ping for the
 * feed URLs that the last `build:content` (or export) found changed, once the
 * new bytes are live (run it after `wrangler deploy` or after uploading the
 * export). WEBSUB_HUB comes from the environment or wrangler.toml [vars].
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parse as parseToml } from 'smol-toml';
import { parseSiteConfig } from '../config/config.ts';
import { WebSubPublisher } from '../publish/websub.ts';

async function wranglerVars(): Promise<Record<string, string>> {
  try {
    const vars = (parseToml(await readFile('wrangler.toml', 'utf8')) as { vars?: Record<string, unknown> }).vars ?? {};
    return Object.fromEntries(Object.entries(vars).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    return {};
  }
}

const { values } = parseArgs({ options: { changed: { type: 'string', default: '.generated/changed-feeds.json' } } });
const site = parseSiteConfig({ ...(await wranglerVars()), ...process.env });
if (site.websubHub === undefined) {
  console.error('ping:hub: WEBSUB_HUB is not set; nothing to ping');
  process.exit(1);
}
const urls = JSON.parse(await readFile(values.changed ?? '', 'utf8')) as string[];
if (urls.length === 0) {
  console.log('ping:hub: no feed changed');
} else {
  await new WebSubPublisher({ hub: site.websubHub }).publish(urls);
}
