/**
 * The anchor for building feeds: Hugo (Debian's `hugo` package) builds the
 * same corpus's feeds, and our figures are reported as a ratio to it in the
 * same run, because absolute times on these shared machines move up to 2x
 * between runs.
 *
 * The corpus is converted once (not timed) into a Hugo site: each document
 * keeps its title, date (lastMod), summary (description), body and its
 * topics as a `topics` taxonomy. Hugo then renders what we serve as feeds:
 * the home RSS and one RSS per topic (Hugo's built-in RSS template,
 * summaries, FEED_LIMIT items), to memory. It writes no archives, no Atom
 * or JSON Feed and no previews, so the comparison favours Hugo.
 *
 *   npx tsx scripts/hugo-anchor.ts --content DIR [--limit 50]
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import matter from 'gray-matter';
import { timeFigures, underTime } from './gnu-time.ts';

export interface HugoRun {
  readonly version: string;
  readonly documents: number;
  readonly wallMs: number;
  readonly peakRssMb: number;
  /** User + system CPU of every thread, in ms (GNU time); undefined without it. */
  readonly cpuMs?: number;
}

export function hugoVersion(): string | undefined {
  const result = spawnSync('hugo', ['version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.name.startsWith('.')) return [];
    return entry.isDirectory() ? markdownFiles(path) : entry.name.endsWith('.md') ? [path] : [];
  });
}

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** Writes a Hugo site for the corpus in `contentDir`; returns its folder and the document count. */
export function writeHugoSite(contentDir: string, limit: number): { site: string; documents: number } {
  const site = mkdtempSync(join(tmpdir(), 'hugo-anchor-'));
  const pages = join(site, 'content', 'news');
  mkdirSync(pages, { recursive: true });
  writeFileSync(
    join(site, 'config.toml'),
    [
      'baseURL = "https://feeds.example.org/"',
      'title = "Health Tech Topics"',
      'languageCode = "en"',
      `rssLimit = ${limit}`,
      'disableKinds = ["section", "taxonomy", "sitemap", "robotsTXT", "404"]',
      'ignoreErrors = ["error-disable-taxonomy"]',
      '[taxonomies]',
      '  topic = "topics"',
      '[outputs]',
      '  home = ["RSS"]',
      '  term = ["RSS"]',
      '[services.rss]',
      `  limit = ${limit}`,
      '[markup.goldmark.renderer]',
      '  unsafe = true',
      '',
    ].join('\n'),
  );
  let documents = 0;
  for (const file of markdownFiles(contentDir)) {
    let parsed: matter.GrayMatterFile<string>;
    try {
      parsed = matter(readFileSync(file, 'utf8'));
    } catch {
      continue; // a broken document is skipped by both sides
    }
    const data = parsed.data as Record<string, unknown>;
    const topics = asList(data.categoryUrl)
      .filter((url): url is string => typeof url === 'string')
      .map((url) => url.replace(/^topic\//, ''));
    const front = {
      title: String(data.title ?? ''),
      date: String(data.lastMod ?? data.date ?? ''),
      summary: String(data.description ?? ''),
      topics,
      // Listed in the feeds, never rendered as a page of its own.
      _build: { render: 'never', list: 'always' },
    };
    const name = relative(contentDir, file).replace(/[\\/]/g, '-');
    writeFileSync(join(pages, name), `${JSON.stringify(front)}\n\n${parsed.content}`);
    documents += 1;
  }
  return { site, documents };
}

/** Times `hugo --renderToMemory` on a site; peak RSS and CPU seconds from GNU time when present. */
export async function runHugo(site: string): Promise<{ wallMs: number; peakRssMb: number; cpuMs?: number }> {
  const { argv, figures } = underTime(['hugo', '--renderToMemory', '--quiet', '--source', site]);
  // Like our own timed runs (bench.ts settleDisk): the site just written is flushed first.
  spawnSync('sync', { stdio: 'ignore' });
  const started = performance.now();
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const code = await new Promise<number | null>((done) => child.on('exit', done));
  const wallMs = performance.now() - started;
  const timed = timeFigures(figures);
  if (code !== 0) throw new Error(`hugo failed (${code}):\n${stderr.slice(-2000)}`);
  return { wallMs, peakRssMb: Math.round((timed?.peakKb ?? 0) / 1024), ...(timed === undefined ? {} : { cpuMs: timed.cpuMs }) };
}

/**
 * Converts the corpus, runs Hugo once, hands the site to `dispose` (removed at
 * once by default; the bench removes it when it ends). Undefined when Hugo is
 * not installed.
 */
export async function measureHugo(contentDir: string, limit = 50, dispose: (site: string) => void = (site) => rmSync(site, { recursive: true, force: true })): Promise<HugoRun | undefined> {
  const version = hugoVersion();
  if (version === undefined) return undefined;
  const { site, documents } = writeHugoSite(contentDir, limit);
  try {
    return { version, documents, ...(await runHugo(site)) };
  } finally {
    dispose(site);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { content: { type: 'string', default: 'content' }, limit: { type: 'string', default: '50' } } });
  const run = await measureHugo(values.content ?? 'content', Number(values.limit));
  console.log(run === undefined ? 'hugo is not installed (apt-get install hugo)' : JSON.stringify(run));
}
