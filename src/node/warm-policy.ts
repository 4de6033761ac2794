/**
 * Which routes a start renders ahead, so start-up cost follows demand rather
 * than the size of the taxonomy (docs/performance.md, "Warm-up by demand").
 *
 * Site-wide routes (pages, topics.json, OPML, the overall feeds, every
 * source page) are always warmed. Topic routes (a topic's page and its three
 * feeds) are warmed for at most `budget` topics (WARM_TOPICS), picked in this
 * order: the topics of the paths the last run served, then topics with
 * subscribers (most first), then the biggest topics by document count. Every
 * other topic renders on its first request. With no more topics than the
 * budget, every fixed route is warmed, in the order `pathsOfTopics` gives.
 *
 * Pure: no I/O, no clock.
 */
import type { LiveCatalog } from '../publish/live-catalog.ts';
import { pathsOfTopics, sourcePagePath, topicOfPath } from '../publish/routes.ts';
import type { TopicIndex, TopicSummary } from '../topics/topic-index.ts';

export interface WarmDemand {
  /** Paths the last run served, most recent first (the render store's `paths.json`). */
  readonly servedPaths?: readonly string[];
  /** Subscriber totals by topic slug (aggregators' reports). */
  readonly subscribers?: ReadonlyMap<string, number>;
}

const bySlug = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The topics to warm, most wanted first; all of them (in slug order) when they fit the budget. */
export function chooseWarmTopics(index: TopicIndex, budget: number, demand: WarmDemand = {}): string[] {
  const topics = index.topics;
  if (budget >= topics.size) return index.topicList.map((topic) => topic.slug);
  const chosen = new Set<string>();
  const add = (slug: string): void => {
    if (chosen.size < budget && topics.has(slug)) chosen.add(slug);
  };
  for (const path of demand.servedPaths ?? []) {
    if (chosen.size >= budget) return [...chosen];
    const slug = topicOfPath(path);
    if (slug !== undefined) add(slug);
  }
  const subscribed = [...(demand.subscribers ?? [])].filter(([, total]) => total > 0);
  subscribed.sort(([a, x], [b, y]) => y - x || bySlug(a, b));
  for (const [slug] of subscribed) {
    if (chosen.size >= budget) return [...chosen];
    add(slug);
  }
  if (chosen.size < budget) {
    const biggest = [...index.topicList].sort((a, b) => b.count - a.count || bySlug(a.slug, b.slug));
    for (const topic of biggest) {
      if (chosen.size >= budget) break;
      add(topic.slug);
    }
  }
  return [...chosen];
}

/**
 * The fixed routes to warm for these topics: the site-wide routes, each
 * topic's page and feeds, and every source page. For every topic of the
 * index this is exactly `pathsOfTopics(index.topicList)`.
 */
export function warmPaths(catalog: LiveCatalog, topics: Iterable<string>): string[] {
  const index = catalog.index;
  const summaries: TopicSummary[] = [];
  for (const slug of topics) {
    const summary = index.topics.get(slug)?.summary;
    if (summary) summaries.push(summary);
  }
  const paths = pathsOfTopics(summaries);
  if (summaries.length === index.topics.size) return paths;
  // Source pages list topics: site-wide, like the index that links them.
  const seen = new Set(paths);
  for (const group of catalog.sources()) {
    const path = sourcePagePath(group.slug);
    if (!seen.has(path)) paths.push(path);
  }
  return paths;
}

/** Whether a fixed path is a topic's own route (its page, feeds or archive pages), not a site-wide one. */
export function isTopicPath(path: string): boolean {
  return topicOfPath(path) !== undefined;
}
