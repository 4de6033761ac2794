/** Readers for raw front-matter values: each returns clean data or reports why not. */
import type { ProblemLog } from './problems.ts';
import { describeValue } from './problems.ts';
import { plainText } from './text.ts';

export type RawMap = Readonly<Record<string, unknown>>;

export function isMap(value: unknown): value is RawMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own properties only: a `__proto__` or `toString` key must not reach the prototype. */
export function field(map: RawMap, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(map, key) ? map[key] : undefined;
}

export function isAbsent(value: unknown): value is null | undefined {
  return value === null || value === undefined;
}

/** Text or a finite number as one clean line; anything else (or blank) is undefined. */
export function scalarText(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const text = plainText(value);
  return text === '' ? undefined : text;
}

/** Optional text field: blank or absent is undefined; a list or map is reported and ignored. */
export function optionalText(value: unknown, name: string, log: ProblemLog): string | undefined {
  if (isAbsent(value)) return undefined;
  if (typeof value === 'string' || typeof value === 'number') return scalarText(value);
  log.add(name, 'textIgnored', describeValue(value));
  return undefined;
}

/**
 * A list of text, or a single text read as a one-item list. Items are
 * cleaned and de-duplicated; bad items are reported and left out.
 */
export function textList(value: unknown, name: string, log: ProblemLog): string[] {
  if (isAbsent(value)) return [];
  const items = Array.isArray(value) ? value : typeof value === 'string' ? [value] : undefined;
  if (!items) {
    log.add(name, 'listIgnored', describeValue(value));
    return [];
  }
  // A Set, not Array.includes: a hostile 2 MB list would make dedup quadratic.
  const out = new Set<string>();
  items.forEach((item, i) => {
    const text = scalarText(item);
    if (text === undefined) log.add(`${name}[${i}]`, 'listItemIgnored', describeValue(item));
    else out.add(text);
  });
  return [...out];
}
