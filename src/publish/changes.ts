import { FEED_FORMATS } from '../feeds/model.ts';
import type { FeedScope } from '../topics/scope.ts';
import { feedUrl } from './routes.ts';
import type { LiveCatalog } from './live-catalog.ts';

/**
 * Whether a feed may advertise the WebSub hub: only if the publisher pings
 * the hub whenever its bytes change. Node (after each reload) and deploys
 * (ping:hub) ping exactly the feeds of `feedTags` below: the overall feed
 * and each topic's, in every format. Combined feeds (`/topics/a+b/…`) are
 * never pinged, so they do not advertise a hub (their readers poll, as they
 * should); archive pages are not subscriptions and need none.
 */
export function advertisesHub(scope: FeedScope, isArchive = false): boolean {
  return scope.kind !== 'topics' && !isArchive;
}

/** ETag of every subscribable feed (overall and per topic, each format), by URL; with `topics`, the overall feed and those topics' only. */
export function feedTags(catalog: LiveCatalog, topics: Iterable<string> = catalog.index.topics.keys()): Map<string, string> {
  const tags = new Map<string, string>();
  const scopes: FeedScope[] = [{ kind: 'all' }, ...[...topics].filter((slug) => catalog.index.topics.has(slug)).map((slug) => ({ kind: 'topic' as const, slug }))];
  for (const scope of scopes) {
    for (const format of FEED_FORMATS) {
      const representation = catalog.feed(scope, format);
      if (representation) tags.set(feedUrl(catalog.site, scope, format), representation.etag);
    }
  }
  return tags;
}

/**
 * The feed URLs whose bytes differ between two snapshots: changed, new, or
 * gone. ETags are derived from exactly what the bytes depend on, so this
 * needs no rendering. Sorted, for stable pings and logs. `topics`: the
 * topics of the documents that changed (a live edit), the only ones whose
 * feeds can differ besides the overall feed; per-edit work then follows the
 * edit, not the taxonomy.
 */
export function changedFeedUrls(previous: LiveCatalog | undefined, next: LiveCatalog, topics?: readonly string[]): string[] {
  return diffTags(previous ? feedTags(previous, topics) : new Map<string, string>(), feedTags(next, topics));
}

/** URLs whose tag differs between two tag maps, including ones only in either. */
export function diffTags(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): string[] {
  const changed = new Set<string>();
  for (const [url, tag] of after) if (before.get(url) !== tag) changed.add(url);
  for (const url of before.keys()) if (!after.has(url)) changed.add(url);
  return [...changed].sort();
}
