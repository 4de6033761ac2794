import type { FeedDocument } from '../content/document.ts';
import { rfc3339 } from './dates.ts';
import { looksLikeMarkup, plainTextToHtml } from './html-text.ts';
import type { FeedView } from './model.ts';
import { itemContentHtml } from './item-content.ts';
import type { ByteParts } from './bytes.ts';
import { el, renderXmlDocument, renderXmlDocumentParts } from './xml.ts';
import { xmlItem } from './fragments.ts';
import type { XmlElement, XmlFragment } from './xml.ts';

export const ATOM_NAMESPACE = 'http://www.w3.org/2005/Atom';
export const FEED_HISTORY_NAMESPACE = 'http://purl.org/syndication/history/1.0';

function historyLinks(view: FeedView): XmlElement[] {
  const history = view.history;
  if (!history) return [];
  const links: XmlElement[] = [];
  const type = 'application/atom+xml';
  if (history.current) links.push(el('link', { rel: 'current', type, href: history.current.atom }));
  if (history.prevArchive) links.push(el('link', { rel: 'prev-archive', type, href: history.prevArchive.atom }));
  if (history.nextArchive) links.push(el('link', { rel: 'next-archive', type, href: history.nextArchive.atom }));
  return links;
}

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
        length: image.bytes === undefined ? undefined : String(image.bytes),
      }),
    el('published', {}, rfc3339(doc.publishedMs)),
    el('updated', {}, rfc3339(doc.updatedMs)),
    ...doc.authors.map((name) => el('author', {}, [el('name', {}, name)])),
    // term is the slug; scheme + term is the topic page.
    ...doc.topics.map((t) => el('category', { term: t.slug, scheme: view.topicBaseUrl, label: t.name })),
    doc.summary !== undefined && textConstruct('summary', doc.summary),
    el('content', { type: 'html' }, itemContentHtml(view, doc)),
  ]);
}

/** feed > entry. */
const ENTRY_DEPTH = 1;

function entry(view: FeedView, doc: FeedDocument): XmlElement | XmlFragment {
  return xmlItem(view, doc, 'atom', ENTRY_DEPTH, renderEntry);
}

/** Atom 1.0 (RFC 4287). `updated` comes from the view, never the clock. */
export function renderAtom(view: FeedView): string {
  return renderXmlDocument(atomTree(view, false));
}

/** `renderAtom`'s UTF-8 as parts: cached fragments not copied (the export writes them as they are). */
export function renderAtomParts(view: FeedView): ByteParts {
  return renderXmlDocumentParts(atomTree(view, true));
}

function atomTree(view: FeedView, fragments: boolean): XmlElement {
  return el('feed', { xmlns: ATOM_NAMESPACE, 'xmlns:fh': view.history?.isArchive === true ? FEED_HISTORY_NAMESPACE : undefined, 'xml:lang': view.language }, [
    el('id', {}, view.feedUrls.atom),
    textConstruct('title', view.title),
    textConstruct('subtitle', view.description),
    el('updated', {}, rfc3339(view.updatedMs)),
    el('link', { rel: 'self', type: 'application/atom+xml', href: view.feedUrls.atom }),
    el('link', { rel: 'alternate', type: 'text/html', href: view.homeUrl }),
    ...(view.hubs ?? []).map((hub) => el('link', { rel: 'hub', href: hub })),
    ...historyLinks(view),
    view.history?.isArchive === true && el('fh:archive'),
    view.iconUrl !== undefined && el('icon', {}, view.iconUrl),
    view.logoUrl !== undefined && el('logo', {}, view.logoUrl),
    // RFC 4287 requires an author on the feed when an entry has none; entry authors override it.
    el('author', {}, [el('name', {}, view.publisher.name), el('uri', {}, view.publisher.url)]),
    el('generator', {}, view.generator),
    ...view.items.map((doc) => (fragments ? entry(view, doc) : renderEntry(view, doc))),
  ]);
}
