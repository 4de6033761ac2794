import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Layers in dependency order: a layer may import only itself and the layers before it. */
const LAYERS = ['config', 'content', 'topics', 'feeds', 'publish', 'http', 'runtime', 'cli'] as const;
const SHELLS = new Set(['runtime', 'cli']);

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

describe('architecture', () => {
  const files = sources('src').map((file) => ({ file, layer: file.split(/[\\/]/)[1] as (typeof LAYERS)[number] }));

  it('keeps Node built-ins out of the pure core (only runtime/ and cli/ may use them)', () => {
    const offenders = files
      .filter(({ layer }) => !SHELLS.has(layer))
      .flatMap(({ file }) => imports(file).filter((spec) => spec.startsWith('node:') || ['fs', 'path', 'os', 'zlib', 'http'].includes(spec)).map((spec) => `${file} imports ${spec}`));
    expect(offenders).toEqual([]);
  });

  it('points dependencies one way: config <- content <- topics <- feeds <- publish <- http <- runtime/cli', () => {
    const offenders: string[] = [];
    for (const { file, layer } of files) {
      const rank = LAYERS.indexOf(layer);
      for (const spec of imports(file)) {
        const target = /^\.\.\/([a-z]+)\//.exec(spec)?.[1] as (typeof LAYERS)[number] | undefined;
        if (target === undefined || !LAYERS.includes(target)) continue;
        const allowed = LAYERS.indexOf(target) <= rank || (SHELLS.has(layer) && SHELLS.has(target));
        if (!allowed) offenders.push(`${file} (${layer}) imports ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('imports feed-unsafe parsers and sanitizers only where content is normalized', () => {
    const offenders = files
      .filter(({ layer }) => layer !== 'content' && layer !== 'runtime' && layer !== 'cli')
      .flatMap(({ file }) => imports(file).filter((spec) => ['gray-matter', 'sanitize-html', 'marked', 'js-yaml'].includes(spec)).map((spec) => `${file} imports ${spec}`));
    expect(offenders).toEqual([]);
  });
});
