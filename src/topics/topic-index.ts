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
  const summary: TopicSummary = {
    slug,
    name: topic?.name ?? slug,
    label: topic?.label ?? slug,
    ...(description !== undefined && { description }),
    count: documents.length,
    lastMod: latest.lastMod,
    lastModMs: latest.updatedMs,
  };
  latestBySummary.set(summary, latest);
  return summary;
}

/** The document each summary took its name, label and lastMod from, so an edit can patch it (index-patch.ts). */
const latestBySummary = new WeakMap<TopicSummary, FeedDocument>();

/**
 * `summarizeTopic(slug, documents)` after `removed` and `added` changed the
 * topic's `documents`, from the summary before, without walking the topic
 * when the change cannot move its newest update or its description; every
 * other case (and every tie) is the full walk.
 */
export function patchTopicSummary(slug: string, before: TopicSummary, documents: readonly FeedDocument[], removed: readonly FeedDocument[], added: readonly FeedDocument[]): TopicSummary {
  const full = (): TopicSummary => summarizeTopic(slug, documents);
  let latest = latestBySummary.get(before);
  if (latest === undefined || documents.length === 0 || removed.some((document) => document === latest || document.id === latest!.id)) return full();
  const describes = (document: FeedDocument): boolean => document.topics.some((topic) => topic.slug === slug && topic.description !== undefined);
  if (removed.some(describes) || added.some(describes)) return full();
  for (const document of added) {
    if (isUpdatedAfter(document, latest)) latest = document;
    else if (!isUpdatedAfter(latest, document)) return full(); // a tie: list order decides
  }
  const topic = latest.topics.find((candidate) => candidate.slug === slug);
  const summary: TopicSummary = {
    slug,
    name: topic?.name ?? slug,
    label: topic?.label ?? slug,
    ...(before.description !== undefined && { description: before.description }),
    count: documents.length,
    lastMod: latest.lastMod,
    lastModMs: latest.updatedMs,
  };
  latestBySummary.set(summary, latest);
  return summary;
}

/** Most recently updated document of a window, or undefined for an empty one. */
export function newestUpdate(documents: readonly FeedDocument[]): FeedDocument | undefined {
  let latest: FeedDocument | undefined;
  for (const document of documents) {
    if (latest === undefined || isUpdatedAfter(document, latest)) latest = document;
  }
  return latest;
}
