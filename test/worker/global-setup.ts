import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

export interface WorkerBuild {
  readonly script: string;
  readonly assets: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    workerBuilds: { readonly documents: WorkerBuild; readonly assets: WorkerBuild; readonly env: Record<string, string> };
  }
}

/** Site settings shared by the Worker builds and the Node side of the parity tests. */
export const PARITY_ENV = { SITE_URL: 'https://feeds.example.org', CONTENT_DIR: './content' } as const;

/**
 * Builds the Worker exactly as `npm run build:worker` (and so `wrangler deploy`)
 * would, once per mode: bundled documents, and static assets with the
 * threshold forced to 1 document.
 */
export default function setup(project: TestProject): () => void {
  const root = mkdtempSync(join(tmpdir(), 'topic-feeds-worker-'));
  const build = (mode: 'documents' | 'assets'): WorkerBuild => {
    const generated = join(root, `generated-${mode}`);
    const outdir = join(root, `dist-${mode}`);
    const env = {
      ...process.env,
      ...PARITY_ENV,
      WORKER_GENERATED_DIR: generated,
      WORKER_ASSETS_THRESHOLD: mode === 'assets' ? '1' : '100000',
      WRANGLER_SEND_METRICS: 'false',
    };
    // The two steps of `npm run build:worker`, pointed at this mode's folders.
    execFileSync('npm', ['run', 'build:content'], { stdio: 'pipe', env });
    execFileSync(
      'npx',
      ['wrangler', 'deploy', '--dry-run', '--outdir', outdir, '--alias', `topic-feeds:content=${join(generated, 'content.js')}`, '--assets', join(generated, 'assets')],
      { stdio: 'pipe', env },
    );
    return { script: join(outdir, 'worker.js'), assets: join(generated, 'assets') };
  };
  project.provide('workerBuilds', { documents: build('documents'), assets: build('assets'), env: { ...PARITY_ENV } });
  return () => rmSync(root, { recursive: true, force: true });
}
