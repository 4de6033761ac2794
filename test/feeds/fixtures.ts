import type { SiteConfig } from '../../src/config/config.ts';
import type { FeedDocument, SafeHtml } from '../../src/content/document.ts';
import type { FeedView } from '../../src/feeds/model.ts';
import type { FeedScope } from '../../src/topics/scope.ts';
import { ALL } from '../../src/topics/scope.ts';
import { feedUrls, topicPageUrl } from '../../src/publish/routes.ts';
import { makeDocument, makeSite, makeTopic } from '../support/factories.ts';

/**
 * Builds a FeedView the way the topic index will (title, URLs, newest
 * updatedMs), so renderer tests do not depend on that module being done.
 */
export function makeView(
  items: readonly FeedDocument[],
  scope: FeedScope = ALL,
  site: SiteConfig = makeSite(),
  overrides: Partial<FeedView> = {},
): FeedView {
  const topicLabel =
    scope.kind === 'topic' ? (items.flatMap((d) => d.topics).find((t) => t.slug === scope.slug)?.label ?? scope.slug) : '';
  const selected = scope.kind === 'topic' ? items.filter((d) => d.topics.some((t) => t.slug === scope.slug)) : items;
  const sorted = [...selected].sort((a, b) => b.publishedMs - a.publishedMs || b.updatedMs - a.updatedMs);
  return {
    title: scope.kind === 'topic' ? `${site.siteTitle}: ${topicLabel}` : site.siteTitle,
    description: site.siteDescription,
    language: site.language,
    homeUrl: scope.kind === 'topic' ? topicPageUrl(site, scope.slug) : `${site.siteUrl}/`,
    feedUrls: feedUrls(site, scope),
    updatedMs: sorted.reduce((max, d) => Math.max(max, d.updatedMs), 0),
    items: sorted,
    topicBaseUrl: `${site.siteUrl}/topic/`,
    generator: 'topic-feeds',
    publisher: { name: site.siteTitle, url: `${site.siteUrl}/` },
    ...overrides,
  };
}

export const cyber = makeTopic('cybersecurity', 'Cybersecurity', 'Healthcare IT News: Cybersecurity');
export const ai = makeTopic('ai-machine-learning', 'AI & Machine Learning', 'Healthcare IT News: AI & Machine Learning');
export const fda = makeTopic('fda-devices', 'Dispositifs médicaux', 'U.S. FDA: Dispositifs médicaux');

/** The documents every format test renders: each one exercises an optional field. */
export function sampleDocuments(): FeedDocument[] {
  return [
    // Multiple authors and topics, an image, accented text.
    makeDocument({
      id: 'a1',
      slug: 'ia-hopital',
      permalink: 'https://feeds.example.org/news/ia-hopital/',
      externalUrl: 'https://publisher.example.com/articles/ia-h%C3%B4pital?ref=feed&x=1',
      title: 'L’IA à l’hôpital: Zürich & São Paulo façonnent la santé',
      summary: 'Résumé: déploiement <prudent> & mesuré.',
      contentHtml: '<p>Déjà <em>vu</em> &amp; <a href="https://example.org/a?b=1&amp;c=2">lien</a></p>' as SafeHtml,
      publishedMs: Date.parse('2024-03-12T00:00:00Z'),
      updatedMs: Date.parse('2024-03-12T09:30:15.250Z'),
      authors: ['Zoë Müller', 'José Ñúñez'],
      tags: ['AI & Machine Learning', 'Hospitals'],
      topics: [cyber, ai, fda],
      // A local image, measured at load: true size and length.
      image: { url: 'https://feeds.example.org/media/ia.jpg', alt: 'Robot “assistant” in a ward', mimeType: 'image/jpeg', file: 'ia.jpg', width: 640, height: 360, bytes: 48213 },
    }),
    // No image, no summary, no external URL, no authors.
    makeDocument({
      id: 'b2',
      slug: 'bare',
      permalink: 'https://feeds.example.org/news/bare/',
      externalUrl: undefined,
      title: 'Bare item',
      summary: undefined,
      contentHtml: '<p>Only a body.</p>' as SafeHtml,
      publishedMs: Date.parse('2024-03-10T00:00:00Z'),
      updatedMs: Date.parse('2024-03-11T08:00:00.000Z'),
      authors: [],
      tags: [],
      topics: [cyber],
      image: undefined,
    }),
    // One author, an image without alt text, one topic that is not cybersecurity.
    makeDocument({
      id: 'c3',
      slug: 'devices',
      permalink: 'https://feeds.example.org/news/devices/',
      externalUrl: 'https://publisher.example.com/articles/devices',
      title: 'Device recall',
      summary: 'A recall.',
      contentHtml: '<p>Recall details.</p>' as SafeHtml,
      publishedMs: Date.parse('2024-03-05T00:00:00Z'),
      updatedMs: Date.parse('2024-03-05T12:00:00.999Z'),
      authors: ['Ada Example'],
      tags: ['Recalls'],
      topics: [fda],
      image: { url: 'https://feeds.example.org/media/recall.png', alt: '', mimeType: 'image/png' },
    }),
  ];
}
