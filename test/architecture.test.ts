import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The pure core in dependency order: a layer may import only itself and the layers before it. */
const CORE = ['config', 'content', 'topics', 'feeds', 'publish', 'http'] as const;
/** Node-side pipeline: uses the core, used by the Node shell and the CLI only. */
const INGEST = 'ingest';
/** Shells: adapt a runtime to the core; nothing imports a shell except its own files (and the CLI the Node shell's helpers). */
const SHELLS = ['node', 'worker', 'cli'] as const;
const LAYERS = [...CORE, INGEST, ...SHELLS] as const;
type Layer = (typeof LAYERS)[number];

const NODE_BUILTINS = ['fs', 'path', 'os', 'zlib', 'http', 'crypto', 'stream', 'url', 'worker_threads'];
const PARSERS = ['gray-matter', 'sanitize-html', 'marked', 'js-yaml'];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sources(path) : entry.name.endsWith('.ts') ? [path] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1] ?? '');
}

const isBuiltin = (spec: string): boolean => spec.startsWith('node:') || NODE_BUILTINS.includes(spec);
const layerOf = (file: string): Layer => file.split(/[\\/]/)[1] as Layer;

describe('architecture', () => {
  const files = sources('src').map((file) => ({ file, layer: layerOf(file) }));

  it('has a known layer for every source folder', () => {
    expect(files.filter(({ layer }) => !LAYERS.includes(layer)).map(({ file }) => file)).toEqual([]);
  });

  it('keeps Node built-ins out of the pure core (only ingest/, node/ and cli/ may use them)', () => {
    const offenders = files
      .filter(({ layer }) => layer !== INGEST && layer !== 'node' && layer !== 'cli')
      .flatMap(({ file }) => imports(file).filter(isBuiltin).map((spec) => `${file} imports ${spec}`));
    expect(offenders).toEqual([]);
  });

  it('points dependencies one way: config <- content <- topics <- feeds <- publish <- http <- {node, worker, cli}, ingest under node and cli', () => {
    const allowed = (from: Layer, to: Layer): boolean => {
      if (from === to) return true;
      const coreFrom = CORE.indexOf(from as (typeof CORE)[number]);
      const coreTo = CORE.indexOf(to as (typeof CORE)[number]);
      if (coreFrom >= 0) return coreTo >= 0 && coreTo <= coreFrom;
      if (from === INGEST) return coreTo >= 0;
      if (from === 'worker') return coreTo >= 0;
      if (from === 'node') return coreTo >= 0 || to === INGEST;
      return coreTo >= 0 || to === INGEST || to === 'node'; // cli
    };
    const offenders: string[] = [];
    for (const { file, layer } of files) {
      for (const spec of imports(file)) {
        if (!spec.startsWith('.')) continue;
        const target = layerOf(normalize(join(dirname(file), spec)));
        if (!allowed(layer, target)) offenders.push(`${file} (${layer}) imports ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('imports parsers and sanitizers only in content/', () => {
    const offenders = files
      .filter(({ layer }) => layer !== 'content')
      .flatMap(({ file }) => imports(file).filter((spec) => PARSERS.includes(spec)).map((spec) => `${file} imports ${spec}`));
    expect(offenders).toEqual([]);
  });

  it('lets nothing the Worker entry reaches import node:, a parser, ingest/ or node/', () => {
    const reached = new Set<string>();
    const pending = ['src/worker/worker.ts'];
    const offenders: string[] = [];
    while (pending.length > 0) {
      const file = pending.pop()!;
      if (reached.has(file)) continue;
      reached.add(file);
      for (const spec of imports(file)) {
        if (isBuiltin(spec) || PARSERS.includes(spec)) offenders.push(`${file} imports ${spec}`);
        if (!spec.startsWith('.')) continue;
        const target = normalize(join(dirname(file), spec));
        if ([INGEST, 'node', 'cli'].includes(layerOf(target))) offenders.push(`${file} imports ${spec}`);
        pending.push(target);
      }
    }
    expect(reached.size).toBeGreaterThan(10);
    expect(offenders).toEqual([]);
    expect(files.filter(({ layer }) => layer === 'worker').every(({ file }) => imports(file).every((spec) => !isBuiltin(spec)))).toBe(true);
  });

  it('spells route paths in at most two source files', () => {
    const ROUTE_PATH = /['"`]\/(?:topic|topics|archive|opml|healthz|rss\.xml|atom\.xml|feed\.json|topics\.json)\b|\$\{[^}]*\}\/topic\//;
    const spelling = files
      .filter(({ file }) => readFileSync(file, 'utf8').split('\n').some((line) => !/^\s*(?:\/\/|\*|\/\*\*)/.test(line) && ROUTE_PATH.test(line)))
      .map(({ file }) => file.split(/[\\/]/).slice(1).join('/'));
    expect(spelling.length).toBeLessThanOrEqual(2);
    expect(spelling).toContain('publish/routes.ts');
  });
});
