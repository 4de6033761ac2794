/**
 * Writes document source files the way an author's tool would: YAML front
 * matter with every string double-quoted and escaped, so arbitrary text
 * (control characters, lone surrogates, `"`, `\`, line breaks) reaches the
 * loader as data rather than breaking the YAML. The body is written raw.
 */

export type YamlValue = string | number | boolean | null | readonly YamlValue[] | { readonly [key: string]: YamlValue };

/**
 * Code points that are written as escapes: everything YAML cannot carry raw
 * (C0, DEL, C1, surrogate halves, U+FFFE/U+FFFF), plus the BOM and the line
 * and paragraph separators, which YAML would fold or reject.
 */
const ESCAPED = /[\0-\x1F\x7F-\x9F\uD800-\uDFFF\uFEFF\uFFFE\uFFFF\u2028\u2029]/g;

/** A YAML 1.2 double-quoted scalar that reads back as exactly `s` (code unit for code unit). */
export function yamlQuote(s: string): string {
  const escaped = s
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(ESCAPED, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `"${escaped}"`;
}

/** Flow-style YAML for any value (strings always quoted). */
export function yamlValue(value: YamlValue): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return yamlQuote(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(yamlValue).join(', ')}]`;
  const map = value as { readonly [key: string]: YamlValue };
  return `{${Object.entries(map)
    .map(([k, v]) => `${yamlQuote(k)}: ${yamlValue(v)}`)
    .join(', ')}}`;
}

/** A whole `.md` source: `---`, one `key: value` line per field, `---`, the body. */
export function documentSource(fields: Readonly<Record<string, YamlValue>>, body: string): string {
  const lines = Object.entries(fields).map(([key, value]) => `${key}: ${yamlValue(value)}`);
  return `---\n${lines.join('\n')}\n---\n${body}`;
}

/** Front matter of a complete, valid document; override or add fields as needed. */
export function goodFields(n: number, overrides: Readonly<Record<string, YamlValue>> = {}): Record<string, YamlValue> {
  return {
    id: 5000 + n,
    slug: `good-${n}`,
    title: `Good document ${n}`,
    date: '2024-02-01',
    lastMod: `2024-02-01T08:00:00.${String(n).padStart(6, '0')}Z`,
    description: `Summary of good document ${n}.`,
    link: { brand: 'publisher.example', href: `https://publisher.example/articles/${n}` },
    author: ['Ada Example'],
    categories: ['Example Wire: Safety'],
    categoryUrl: ['topic/example-wire-safety'],
    categoryLabel: ['Safety'],
    ...overrides,
  };
}
