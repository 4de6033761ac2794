import { describe, expect, it } from 'vitest';
import type { FeedDocument } from '../../src/content/document.ts';
import { patchTopicIndex } from '../../src/topics/index-patch.ts';
import type { TopicIndex } from '../../src/topics/topic-index.ts';
import { buildTopicIndex } from '../../src/topics/topic-index.ts';
import { makeDocument, makeTopic } from '../support/factories.ts';

function shape(index: TopicIndex): unknown {
  return {
    all: index.all.map((d) => d.id),
    topics: [...index.topics].map(([slug, entry]) => [slug, entry.summary, entry.documents.map((d) => d.id)]),
    list: index.topicList,
  };
}

const TOPICS = ['vaccines', 'cybersecurity', 'ai', 'telehealth', 'devices'].map((slug) => makeTopic(slug));

function corpus(size: number): FeedDocument[] {
  return Array.from({ length: size }, (_, i) =>
    makeDocument({
      publishedMs: Date.UTC(2024, 0, 1) + (i % 17) * 86_400_000,
      lastMod: `2024-02-${String(1 + (i % 27)).padStart(2, '0')}T10:00:00.${String(i).padStart(6, '0')}Z`,
      topics: [TOPICS[i % TOPICS.length]!, ...(i % 4 === 0 ? [TOPICS[(i + 2) % TOPICS.length]!] : [])],
    }),
  );
}

describe('buildTopicIndex', () => {
  it('groups documents by topic, newest first, with a summary per topic', () => {
    const index = buildTopicIndex(corpus(40));
    expect([...index.topics.keys()].sort()).toEqual(TOPICS.map((t) => t.slug).sort());
    for (const entry of index.topics.values()) {
      expect(entry.summary.count).toBe(entry.documents.length);
      const published = entry.documents.map((d) => d.publishedMs);
      expect(published).toEqual([...published].sort((a, b) => b - a));
    }
    expect(index.all).toHaveLength(40);
  });
});

describe('patchTopicIndex', () => {
  it('equals a full build after random edits, moves, additions and deletions', () => {
    const base = corpus(60);
    let index = buildTopicIndex(base);
    let current = [...base];
    let seed = 12345;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let step = 0; step < 80; step += 1) {
      const victim = current[random(current.length)]!;
      const replacement: FeedDocument = {
        ...victim,
        publishedMs: victim.publishedMs + (random(2) === 0 ? 1 : -1) * random(10) * 86_400_000,
        lastMod: `2030-01-0${1 + random(9)}T00:00:00.00000${random(9)}Z`,
        topics: random(3) === 0 ? [TOPICS[random(TOPICS.length)]!] : victim.topics,
      };
      const added = random(5) === 0 ? [] : [replacement];
      index = patchTopicIndex(index, [victim], added);
      current = [...current.filter((d) => d !== victim), ...added];
      expect(shape(index)).toEqual(shape(buildTopicIndex(current)));
    }
  });

  it('equals a full build when edits land anywhere in time, with ties and topic descriptions coming and going', () => {
    // Each describing document words it its own way, so which one is newest matters.
    const describe = (topics: readonly FeedDocument['topics'][number][], by: string) => topics.map((t, i) => (i % 2 === 0 ? { ...t, description: `${t.slug} as ${by} says` } : t));
    const described = describe(TOPICS, 'the pool');
    const base = corpus(80).map((d, i) => ({ ...d, updatedMs: Date.parse(d.lastMod), ...(i % 9 === 0 ? { topics: describe(d.topics, d.id) } : {}) }));
    let index = buildTopicIndex(base);
    let current = [...base];
    let seed = 777;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let step = 0; step < 200; step += 1) {
      const victim = current[random(current.length)]!;
      const pool = random(4) === 0 ? described : TOPICS;
      // Mostly inside the corpus's own range, often equal to another document's (ties).
      const lastMod = `2024-02-${String(1 + random(28)).padStart(2, '0')}T10:00:00.${String(random(3)).padStart(6, '0')}Z`;
      const topics = random(3) === 0 ? [pool[random(pool.length)]!] : random(5) === 0 ? describe(victim.topics, `step ${step}`) : victim.topics;
      const replacement: FeedDocument = { ...victim, lastMod, updatedMs: Date.parse(lastMod), topics };
      const added = random(6) === 0 ? [] : [replacement];
      const fresh = random(8) === 0 ? [{ ...replacement, id: `new-${step}`, file: `new-${step}.md` }] : [];
      index = patchTopicIndex(index, [victim], [...added, ...fresh]);
      current = [...current.filter((d) => d !== victim), ...added, ...fresh];
      expect(shape(index), `step ${step}`).toEqual(shape(buildTopicIndex(current)));
    }
  });
});
