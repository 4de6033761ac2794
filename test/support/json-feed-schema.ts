/**
 * JSON Feed 1.1 validation for tests: the schema in jsonfeed-1.1.schema.json
 * (written from the spec) plus the rules a schema cannot say well, all
 * reported at once with their JSON paths.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import schema from './jsonfeed-1.1.schema.json' with { type: 'json' };

// strictRequired would reject the spec's "one of name/url/avatar" written as anyOf-required.
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
addFormats(ajv);
const validate = ajv.compile(schema);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every problem with `feed` as JSON Feed 1.1 (empty when valid). */
export function jsonFeed11Problems(feed: unknown): string[] {
  const problems: string[] = [];
  if (!validate(feed)) {
    for (const e of validate.errors ?? []) problems.push(`${e.instancePath || '/'} ${e.message ?? e.keyword}`);
  }
  if (!isRecord(feed)) return problems;
  // 1.1 deprecates the singular `author`; our output must only use `authors`.
  if ('author' in feed) problems.push('/author is the JSON Feed 1.0 key; use authors');
  const items = Array.isArray(feed['items']) ? feed['items'] : [];
  const seen = new Set<unknown>();
  items.forEach((item, i) => {
    if (!isRecord(item)) return;
    if ('author' in item) problems.push(`/items/${i}/author is the JSON Feed 1.0 key; use authors`);
    if (seen.has(item['id'])) problems.push(`/items/${i}/id ${JSON.stringify(item['id'])} is not unique`);
    seen.add(item['id']);
  });
  return problems;
}

export function assertValidJsonFeed11(feed: unknown): void {
  const problems = jsonFeed11Problems(feed);
  if (problems.length > 0) throw new Error(`Invalid JSON Feed 1.1:\n  ${problems.join('\n  ')}`);
}
