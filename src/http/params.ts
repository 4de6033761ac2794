import type { SiteConfig } from '../config/config.ts';

export type ParsedLimit = { readonly ok: true; readonly limit: number } | { readonly ok: false; readonly reason: string };

/** `?limit=N`: one whole number from 1 to the configured maximum, or a reason for a 400. */
export function parseLimit(values: readonly string[] | undefined, site: SiteConfig): ParsedLimit {
  if (values === undefined || values.length === 0) return { ok: true, limit: site.feedLimit };
  if (values.length > 1) return { ok: false, reason: 'limit may be given once' };
  const raw = values[0] ?? '';
  if (!/^[0-9]{1,4}$/.test(raw)) {
    return { ok: false, reason: `limit must be a whole number from 1 to ${site.maxFeedLimit}` };
  }
  const limit = Number(raw);
  if (limit < 1 || limit > site.maxFeedLimit) {
    return { ok: false, reason: `limit must be a whole number from 1 to ${site.maxFeedLimit}` };
  }
  return { ok: true, limit };
}
