import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import type { TestProject } from 'vitest/node';

export interface WorkerBuild {
  readonly script: string;
  readonly assets: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    workerBuilds: {
      readonly documents: WorkerBuild;
      readonly assets: WorkerBuild;
      readonly env: Record<string, string>;
      /** STATE_DIR of the builds: the Node side reads the same first-seen ledger, so published times agree. */
      readonly stateDir: string;
    };
  }
}

/** Site settings shared by the Worker builds and the Node side of the parity tests. */
// A small FEED_LIMIT gives the sample content RFC 5005 archive pages to compare.
export const PARITY_ENV = { SITE_URL: 'https://feeds.example.org', CONTENT_DIR: './content', FEED_LIMIT: '5', WEBSUB_HUB: 'https://hub.example.org/' } as const;

function run(command: string, args: string[], env: NodeJS.ProcessEnv): void {
  try {
    execFileSync(command, args, { stdio: 'pipe', env, encoding: 'utf8' });
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed:\n${failure.stdout ?? ''}\n${failure.stderr ?? ''}`);
  }
}

/**
 * Builds the Worker as `npm run build:worker` (and so `wrangler deploy`) does,
 * once per mode: bundled documents, and static assets with the threshold
 * forced to one document. Each mode gets a copy of wrangler.toml whose
 * generated-content paths point at its own folder.
 */
export default function setup(project: TestProject): () => void {
  const root = mkdtempSync(join(tmpdir(), 'topic-feeds-worker-'));
  const wranglerToml = readFileSync('wrangler.toml', 'utf8');
  // A private first-seen ledger (not the repository's .state/), shared by both builds and the Node side;
  // a private parse cache too (not the repository's .cache/), shared by both builds.
  const stateDir = join(root, 'state');
  const cacheDir = join(root, 'cache');
  const build = (mode: 'documents' | 'assets'): WorkerBuild => {
    const generated = join(root, `generated-${mode}`);
    const outdir = join(root, `dist-${mode}`);
    const config = join(root, `wrangler-${mode}.toml`);
    writeFileSync(
      config,
      wranglerToml
        .replace(/^main = .*$/m, `main = ${JSON.stringify(resolve('src/worker/worker.ts'))}`)
        .replaceAll('./.generated/', `${generated}/`),
    );
    const env = {
      ...process.env,
      ...PARITY_ENV,
      WORKER_GENERATED_DIR: generated,
      STATE_DIR: stateDir,
      CACHE_DIR: cacheDir,
      WORKER_ASSETS_THRESHOLD: mode === 'assets' ? '1' : '100000',
      WRANGLER_SEND_METRICS: 'false',
    };
    run('npm', ['run', 'build:content'], env);
    run('npx', ['wrangler', 'deploy', '--dry-run', '--config', config, '--outdir', outdir], env);
    return { script: join(outdir, 'worker.js'), assets: join(generated, 'assets') };
  };
  // The Node side gets the settings the build recorded: wrangler.toml [vars] under the test's own.
  const vars = (parseToml(wranglerToml) as { vars?: Record<string, string> }).vars ?? {};
  project.provide('workerBuilds', { documents: build('documents'), assets: build('assets'), env: { ...vars, ...PARITY_ENV }, stateDir });
  return () => rmSync(root, { recursive: true, force: true });
}
