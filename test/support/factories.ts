import type { SiteConfig } from '../../src/config/config.ts';
import { parseSiteConfig } from '../../src/config/config.ts';
import type { DocumentTopic, FeedDocument, SafeHtml } from '../../src/content/document.ts';

/** A fresh config per call; tests never mutate a shared one. */
export function makeSite(overrides: Partial<SiteConfig> = {}): SiteConfig {
  return { ...parseSiteConfig({ SITE_URL: 'https://feeds.example.org' }), ...overrides };
}

export function makeTopic(slug: string, label = slug, name = `Test Source: ${label}`): DocumentTopic {
  return { slug, name, label };
}

let counter = 0;

/** A valid normalized document; override only what the test is about. */
export function makeDocument(overrides: Partial<FeedDocument> = {}): FeedDocument {
  counter += 1;
  const slug = overrides.slug ?? `doc-${counter}`;
  const day = String(1 + (counter % 28)).padStart(2, '0');
  return {
    id: String(1000 + counter),
    slug,
    file: `${slug}.md`,
    title: `Document ${counter}`,
    permalink: `https://feeds.example.org/news/${slug}/`,
    externalUrl: `https://publisher.example.com/articles/${slug}`,
    publisher: 'publisher.example.com',
    publishedMs: Date.parse(`2024-03-${day}T00:00:00Z`),
    updatedMs: Date.parse(`2024-03-${day}T10:00:00.123Z`),
    lastMod: `2024-03-${day}T10:00:00.123456Z`,
    summary: 'A short summary.',
    contentHtml: '<p>Body text.</p>' as SafeHtml,
    authors: ['Ada Example'],
    tags: ['News'],
    topics: [makeTopic('cybersecurity', 'Cybersecurity')],
    related: [],
    aliases: [],
    ...overrides,
  };
}
