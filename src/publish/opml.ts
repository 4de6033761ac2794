import type { SiteConfig } from '../config/config.ts';
import { rfc822 } from '../feeds/dates.ts';
import type { FeedFormat } from '../feeds/model.ts';
import { el, renderXmlDocument } from '../feeds/xml.ts';
import type { TopicSummary } from '../topics/topic-index.ts';
import { feedUrl, topicPageUrl } from './routes.ts';

const OPML_DOCS = 'http://opml.org/spec2.opml';

/**
 * OPML 2.0 subscription list: one outline per topic feed. `type="rss"` is what
 * the spec and every reader expect for a feed subscription, whatever its format.
 */
export function renderOpml(site: SiteConfig, topics: readonly TopicSummary[], format: FeedFormat, modifiedMs: number): string {
  return renderXmlDocument(
    el('opml', { version: '2.0' }, [
      el('head', {}, [
        el('title', {}, `${site.siteTitle}: all topics`),
        el('dateModified', {}, rfc822(modifiedMs)),
        el('docs', {}, OPML_DOCS),
      ]),
      el(
        'body',
        {},
        topics.map((topic) =>
          el('outline', {
            text: topic.label,
            title: topic.label,
            description: topic.name,
            type: 'rss',
            xmlUrl: feedUrl(site, { kind: 'topic', slug: topic.slug }, format),
            htmlUrl: topicPageUrl(site, topic.slug),
          }),
        ),
      ),
    ]),
  );
}
