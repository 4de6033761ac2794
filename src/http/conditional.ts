import type { Validators } from '../topics/validators.ts';

export interface ConditionalHeaders {
  readonly ifNoneMatch: string | null | undefined;
  readonly ifModifiedSince: string | null | undefined;
}

const ENTITY_TAG = /^\s*(?:W\/)?"([\x21\x23-\x7e\x80-\xff]*)"\s*$/;

/** Opaque tags of an If-None-Match list; undefined when the field is malformed. */
export function parseEntityTagList(field: string): readonly string[] | '*' | undefined {
  if (field.trim() === '*') return '*';
  const tags: string[] = [];
  for (const member of field.split(',')) {
    if (member.trim() === '') continue;
    const match = ENTITY_TAG.exec(member);
    if (!match) return undefined;
    tags.push(match[1] ?? '');
  }
  return tags.length > 0 ? tags : undefined;
}

/** Opaque part of our own quoted tag. */
function opaque(etag: string): string {
  return etag.replace(/^W\//, '').slice(1, -1);
}

/** The three HTTP-date forms of RFC 9110 §5.6.7: IMF-fixdate, RFC 850, asctime. */
const HTTP_DATE = [
  /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/,
  /^[A-Z][a-z]{5,8}, \d{2}-[A-Z][a-z]{2}-\d{2} \d{2}:\d{2}:\d{2} GMT$/,
  /^[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/,
];

function parseHttpDate(value: string): number {
  return HTTP_DATE.some((form) => form.test(value)) ? Date.parse(value) : Number.NaN;
}

/**
 * RFC 9110 §13.1: If-None-Match (weak comparison, lists, `*`) wins over
 * If-Modified-Since; a malformed field is ignored rather than failing the
 * request. Only validators are consulted: the body is never needed.
 */
export function isNotModified(request: ConditionalHeaders, validators: Validators): boolean {
  const ifNoneMatch = request.ifNoneMatch;
  if (ifNoneMatch != null && ifNoneMatch !== '') {
    const tags = parseEntityTagList(ifNoneMatch);
    if (tags === '*') return true;
    if (tags !== undefined) {
      const current = opaque(validators.etag);
      return tags.some((tag) => tag === current || stripVariant(tag) === current);
    }
  }
  const ifModifiedSince = request.ifModifiedSince?.trim();
  if (ifModifiedSince && (ifNoneMatch == null || ifNoneMatch === '')) {
    const since = parseHttpDate(ifModifiedSince);
    if (Number.isNaN(since)) return false;
    return Math.floor(validators.lastModifiedMs / 1000) * 1000 <= since;
  }
  return false;
}

/** A tag of one of our content-coded variants (`<tag>-br`, `<tag>-gz`) names the same resource state. */
function stripVariant(tag: string): string {
  return tag.replace(/-(?:br|gz)$/, '');
}
