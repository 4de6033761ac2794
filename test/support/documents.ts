import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import type { SiteConfig } from '../../src/config/config.ts';
import type { ContentSource, FeedDocument, Problem } from '../../src/content/document.ts';
import type { NormalizeResult } from '../../src/content/normalize.ts';
import { normalizeDocument } from '../../src/content/normalize.ts';
import { makeSite } from './factories.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/documents/', import.meta.url));

export function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(`${FIXTURES}${name}`));
}

export function fixtureText(name: string): string {
  return readFileSync(`${FIXTURES}${name}`, 'utf8');
}

/** The seed-like fixture split by hand (not by the code under test); a fresh copy per call. */
export function seedLike(): { data: Record<string, unknown>; body: string } {
  const text = fixtureText('seed-like.md');
  const end = text.indexOf('\n---\n', 4);
  const data = yaml.safeLoad(text.slice(4, end), { schema: yaml.CORE_SCHEMA }) as Record<string, unknown>;
  return { data, body: text.slice(end + 5) };
}

/** Normalizes the seed-like document with some fields replaced (`undefined` removes a field). */
export function normalizeSeed(
  overrides: Record<string, unknown> = {},
  options: { body?: string; site?: SiteConfig } = {},
): NormalizeResult {
  const seed = seedLike();
  const data: Record<string, unknown> = { ...seed.data };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete data[key];
    else data[key] = value;
  }
  return normalizeDocument({ file: 'news/seed.md', data, body: options.body ?? seed.body }, options.site ?? makeSite());
}

/** The document, failing the test with the problems when there is none. */
export function documentOf(result: NormalizeResult): FeedDocument {
  if (!result.document) throw new Error(`expected a document, got problems: ${JSON.stringify(result.problems)}`);
  return result.document;
}

export function problemAt(problems: readonly Problem[], field: string): Problem | undefined {
  return problems.find((p) => p.field === field);
}

/** A markdown source file from front matter text and a body. */
export function source(file: string, frontMatter: string, body = '<p>Body.</p>'): ContentSource {
  return { file, contents: `---\n${frontMatter.trim()}\n---\n${body}` };
}

/** Minimal valid front matter; pass extra lines to add or override fields. */
export function minimalFrontMatter(id: string | number, extra = ''): string {
  const lines = new Map<string, string>([
    ['id', `id: ${id}`],
    ['slug', `slug: doc-${id}`],
    ['title', `title: Document ${id}`],
    ['date', `date: '2023-05-01'`],
  ]);
  for (const line of extra.split('\n').filter((l) => l.trim() !== '')) {
    lines.set(line.slice(0, line.indexOf(':')), line);
  }
  return [...lines.values()].join('\n');
}

/** Every string anywhere inside a value. */
export function allStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(allStrings);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(allStrings);
  return [];
}
