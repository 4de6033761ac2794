import type { FeedDocument } from '../content/document.ts';
import { compareNewestFirst, isUpdatedAfter } from './order.ts';

export interface TopicSummary {
  readonly slug: string;
  readonly name: string;
  readonly label: string;
  /** From the content (`categoryDescription`), when some document provides one. */
  readonly description?: string;
  readonly count: number;
  /** Raw lastMod of the most recently updated document in the topic. */
  readonly lastMod: string;
  readonly lastModMs: number;
}

export interface TopicEntry {
  readonly summary: TopicSummary;
  /** Newest first. */
  readonly documents: readonly FeedDocument[];
}

export interface TopicIndex {
  /** Every document, newest first: the overall feed. */
  readonly all: readonly FeedDocument[];
  readonly topics: ReadonlyMap<string, TopicEntry>;
  /** Sorted by slug, for the index page and topics.json. */
  readonly topicList: readonly TopicSummary[];
}

/**
 * Groups documents by topic URL slug. Name and label come from the most
 * recently updated document that carries the topic, so an edit to a label
 * shows up without a restart order dependency.
 */
export function buildTopicIndex(documents: readonly FeedDocument[]): TopicIndex {
  const all = [...documents].sort(compareNewestFirst);
  const grouped = new Map<string, FeedDocument[]>();
  for (const document of all) {
    for (const topic of document.topics) {
      let bucket = grouped.get(topic.slug);
      if (!bucket) {
        bucket = [];
        grouped.set(topic.slug, bucket);
      }
      bucket.push(document);
    }
  }

  const topics = new Map<string, TopicEntry>();
  for (const [slug, topicDocuments] of [...grouped].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    topics.set(slug, { summary: summarizeTopic(slug, topicDocuments), documents: topicDocuments });
  }
  return { all, topics, topicList: [...topics.values()].map((entry) => entry.summary) };
}

/** A topic's summary from its newest-first documents (exported for incremental index updates). */
export function summarizeTopic(slug: string, documents: readonly FeedDocument[]): TopicSummary {
  let latest = documents[0];
  for (const document of documents) {
    if (latest === undefined || isUpdatedAfter(document, latest)) latest = document;
  }
  if (latest === undefined) throw new Error(`topic ${slug} has no documents`);
  const topic = latest.topics.find((candidate) => candidate.slug === slug);
  // The newest document that describes the topic wins; most documents do not.
  let description: string | undefined;
  for (const document of documents) {
    description = document.topics.find((candidate) => candidate.slug === slug)?.description;
    if (description !== undefined) break;
  }
  return {
    slug,
    name: topic?.name ?? slug,
    label: topic?.label ?? slug,
    ...(description !== undefined && { description }),
    count: documents.length,
    lastMod: latest.lastMod,
    lastModMs: latest.updatedMs,
  };
}

/** Most recently updated document of a window, or undefined for an empty one. */
export function newestUpdate(documents: readonly FeedDocument[]): FeedDocument | undefined {
  let latest: FeedDocument | undefined;
  for (const document of documents) {
    if (latest === undefined || isUpdatedAfter(document, latest)) latest = document;
  }
  return latest;
}
