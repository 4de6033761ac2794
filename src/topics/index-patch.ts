import type { FeedDocument } from '../content/document.ts';
import type { TopicEntry, TopicIndex, TopicSummary } from './topic-index.ts';
import { patchTopicSummary, summarizeTopic } from './topic-index.ts';
import { compareNewestFirst } from './order.ts';

/** Position of `document` in a newest-first list (where it is, or where it goes). */
function position(list: readonly FeedDocument[], document: FeedDocument): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareNewestFirst(list[middle]!, document) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

function withChanges(list: readonly FeedDocument[], removed: readonly FeedDocument[], added: readonly FeedDocument[]): FeedDocument[] {
  const out = [...list];
  for (const document of removed) {
    const at = position(out, document);
    const index = out[at] === document ? at : out.indexOf(document);
    if (index >= 0) out.splice(index, 1);
  }
  for (const document of added) out.splice(position(out, document), 0, document);
  return out;
}

/**
 * `buildTopicIndex` of the previous documents without `removed` and with
 * `added`, touching only the topics those carry: a one-file edit in a 50k
 * corpus costs a few binary searches instead of a regroup of everything.
 * Topic summaries come from the same `summarizeTopic` as a full build, or
 * are patched from the previous one when the change cannot move them;
 * test/node/live-reload.test.ts compares patched indexes with full builds.
 */
export function patchTopicIndex(previous: TopicIndex, removed: readonly FeedDocument[], added: readonly FeedDocument[]): TopicIndex {
  const all = withChanges(previous.all, removed, added);
  const affected = new Set<string>();
  for (const document of [...removed, ...added]) for (const topic of document.topics) affected.add(topic.slug);
  const entries = new Map<string, TopicEntry | undefined>();
  for (const slug of affected) {
    const entry = previous.topics.get(slug);
    const gone = removed.filter((d) => d.topics.some((t) => t.slug === slug));
    const come = added.filter((d) => d.topics.some((t) => t.slug === slug));
    const documents = withChanges(entry?.documents ?? [], gone, come);
    const summary = (): TopicSummary => (entry ? patchTopicSummary(slug, entry.summary, documents, gone, come) : summarizeTopic(slug, documents));
    entries.set(slug, documents.length === 0 ? undefined : { summary: summary(), documents });
  }
  const slugs = [...new Set([...previous.topics.keys(), ...affected])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const topics = new Map<string, TopicEntry>();
  for (const slug of slugs) {
    const entry = entries.has(slug) ? entries.get(slug) : previous.topics.get(slug);
    if (entry) topics.set(slug, entry);
  }
  return { all, topics, topicList: [...topics.values()].map((entry) => entry.summary) };
}
