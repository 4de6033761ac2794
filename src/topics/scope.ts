import type { FeedFormat } from './formats.ts';

/** A feed URL in each format. */
export type FeedUrls = Readonly<Record<FeedFormat, string>>;

/** Which documents a feed holds: all, one topic, or the union of several (canonical slug order). */
export type FeedScope =
  | { readonly kind: 'all' }
  | { readonly kind: 'topic'; readonly slug: string }
  | { readonly kind: 'topics'; readonly slugs: readonly string[] };

/** Scopes with RFC 5005 archives. */
export type ArchivedScope = Extract<FeedScope, { kind: 'all' | 'topic' }>;

export const ALL: FeedScope = { kind: 'all' };
