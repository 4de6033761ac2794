/**
 * How a person finds one topic among thousands: topics grouped by source
 * (the part of a topic's name before its first colon, "Healthcare IT News"
 * in "Healthcare IT News: Cybersecurity"), and a case- and accent-blind
 * filter over names, labels and slugs.
 */
import { slugify } from '../content/topic-slug.ts';
import type { TopicSummary } from './topic-index.ts';

export interface SourceRef {
  /** URL slug of the source (the topic slug rule applied to its name). */
  readonly slug: string;
  readonly name: string;
}

export interface SourceGroup extends SourceRef {
  /** In slug order, like the topic index. */
  readonly topics: readonly TopicSummary[];
  /** Newest `lastModMs` of its topics. */
  readonly lastModMs: number;
}

/** Where topics whose name has no "Source:" part go. A source that slugifies the same shares its page. */
export const OTHER_SOURCE: SourceRef = { slug: 'other-topics', name: 'Other topics' };

/** The source a topic name belongs to: the text before its first colon, or OTHER_SOURCE. */
export function sourceOf(topicName: string): SourceRef {
  const colon = topicName.indexOf(':');
  const name = colon === -1 ? '' : topicName.slice(0, colon).trim();
  const slug = slugify(name);
  return slug === '' ? OTHER_SOURCE : { slug, name };
}

/** Sources in slug order, each with its topics; a source's name is taken from its first topic. */
export function groupBySource(topics: readonly TopicSummary[]): SourceGroup[] {
  const groups = new Map<string, { ref: SourceRef; topics: TopicSummary[]; lastModMs: number }>();
  for (const topic of topics) {
    const ref = sourceOf(topic.name);
    let group = groups.get(ref.slug);
    if (!group) {
      group = { ref, topics: [], lastModMs: 0 };
      groups.set(ref.slug, group);
    }
    group.topics.push(topic);
    if (topic.lastModMs > group.lastModMs) group.lastModMs = topic.lastModMs;
  }
  return [...groups.values()]
    .map(({ ref, topics: members, lastModMs }) => ({ slug: ref.slug, name: ref.name, topics: members, lastModMs }))
    .sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
}

/** Longest topic filter (`/?q=`) accepted, in characters: longer than any topic name worth typing. */
export const MAX_FILTER_LENGTH = 100;

/** Lowercase, accents removed, whitespace runs as one space: "Médecine  Numérique" -> "medecine numerique". */
export function foldForMatch(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Topics whose name, label or slug contains the query, ignoring case and accents; in slug order. */
export function matchTopics(topics: readonly TopicSummary[], query: string): TopicSummary[] {
  const needle = foldForMatch(query);
  if (needle === '') return [...topics];
  return topics.filter(
    (topic) => topic.slug.includes(needle) || foldForMatch(topic.name).includes(needle) || foldForMatch(topic.label).includes(needle),
  );
}
