import type { SiteConfig } from '../../src/config/config.ts';
import type { FeedDocument } from '../../src/content/document.ts';
import { createApp } from '../../src/http/app.ts';
import { LiveCatalog } from '../../src/publish/live-catalog.ts';
import { makeDocument, makeSite, makeTopic } from './factories.ts';

export const cyber = makeTopic('cybersecurity', 'Cybersecurity', 'Healthcare IT News: Cybersecurity');
export const ai = makeTopic('artificial-intelligence', 'Artificial Intelligence', 'Healthcare IT News: Artificial Intelligence');
export const vaccines = makeTopic('vaccines', 'Vaccines', 'FDA: Vaccines, Blood & Biologics');

/**
 * `count` documents, one per day from 2024-01-01, newest last; every third is
 * also in `ai`, every fifth in `vaccines`. Deterministic ids `d1`…`dN`.
 */
export function dailyDocuments(count: number): FeedDocument[] {
  return Array.from({ length: count }, (_, i) => {
    const day = Date.UTC(2024, 0, 1 + i);
    const topics = [cyber, ...(i % 3 === 0 ? [ai] : []), ...(i % 5 === 0 ? [vaccines] : [])];
    return makeDocument({
      id: `d${i + 1}`,
      slug: `daily-${i + 1}`,
      permalink: `https://feeds.example.org/news/daily-${i + 1}/`,
      title: `Daily item ${i + 1}`,
      publishedMs: day,
      updatedMs: day + 3_600_000,
      lastMod: new Date(day + 3_600_000).toISOString().replace('Z', '123Z'),
      topics,
    });
  });
}

export function appFor(documents: readonly FeedDocument[], site: SiteConfig = makeSite()) {
  const catalog = new LiveCatalog(site, { documents, problems: [] });
  return { app: createApp({ catalog: () => catalog }), catalog };
}

export { makeSite };
