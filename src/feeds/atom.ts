import type { FeedDocument } from '../content/document.ts';
import { rfc3339 } from './dates.ts';
import { looksLikeMarkup, plainTextToHtml } from './html-text.ts';
import type { FeedView } from './model.ts';
import { el, renderXmlDocument } from './xml.ts';
import type { XmlElement } from './xml.ts';

export const ATOM_NAMESPACE = 'http://www.w3.org/2005/Atom';

/**
 * An Atom text construct. Plain text goes out as type="text"; text that an
 * HTML-sniffing consumer would take for markup (`</b>`, `&copy;`) goes out as
 * escaped type="html", which every reader displays as the same literal text.
 */
function textConstruct(name: string, value: string): XmlElement {
  return looksLikeMarkup(value) ? el(name, { type: 'html' }, plainTextToHtml(value)) : el(name, { type: 'text' }, value);
}

function renderEntry(view: FeedView, doc: FeedDocument): XmlElement {
  const image = doc.image;
  return el('entry', {}, [
    // The permalink embeds the stable document id, so it is a stable entry id.
    el('id', {}, doc.permalink),
    textConstruct('title', doc.title),
    el('link', { rel: 'alternate', type: 'text/html', href: doc.permalink }),
    doc.externalUrl !== undefined && el('link', { rel: 'related', href: doc.externalUrl }),
    image &&
      el('link', {
        rel: 'enclosure',
        type: image.mimeType,
        href: image.url,
        title: image.alt === '' ? undefined : image.alt,
      }),
    el('published', {}, rfc3339(doc.publishedMs)),
    el('updated', {}, rfc3339(doc.updatedMs)),
    ...doc.authors.map((name) => el('author', {}, [el('name', {}, name)])),
    // term is the slug; scheme + term is the topic page.
    ...doc.topics.map((t) => el('category', { term: t.slug, scheme: view.topicBaseUrl, label: t.name })),
    doc.summary !== undefined && textConstruct('summary', doc.summary),
    el('content', { type: 'html' }, doc.contentHtml),
  ]);
}

/** Atom 1.0 (RFC 4287). `updated` comes from the view, never the clock. */
export function renderAtom(view: FeedView): string {
  return renderXmlDocument(
    el('feed', { xmlns: ATOM_NAMESPACE, 'xml:lang': view.language }, [
      el('id', {}, view.feedUrls.atom),
      textConstruct('title', view.title),
      textConstruct('subtitle', view.description),
      el('updated', {}, rfc3339(view.updatedMs)),
      el('link', { rel: 'self', type: 'application/atom+xml', href: view.feedUrls.atom }),
      el('link', { rel: 'alternate', type: 'text/html', href: view.homeUrl }),
      // RFC 4287 requires an author on the feed when an entry has none; entry authors override it.
      el('author', {}, [el('name', {}, view.publisher.name), el('uri', {}, view.publisher.url)]),
      el('generator', {}, view.generator),
      ...view.items.map((doc) => renderEntry(view, doc)),
    ]),
  );
}
