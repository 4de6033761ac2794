/**
 * An item's HTML content as every format carries it: the featured image
 * first (when the view asks for it), then the sanitized body. Email tools
 * that show only item content (Mailchimp `*|RSSITEM:CONTENT_FULL|*`) and
 * readers that ignore enclosures show the image this way, as Ghost's feeds do.
 */
import type { FeedDocument, FeedImage } from '../content/document.ts';
import type { FeedView } from './model.ts';
import { escapeXmlAttr } from './xml.ts';

/**
 * `<p><img …></p>` in the sanitizer's own output form (src/content/sanitize.ts
 * leaves it unchanged): an http(s) `src` built from a checked URL, the alt
 * text escaped by the one escaper, and the measured size when known.
 */
export function featuredImageHtml(image: FeedImage): string {
  const size = image.width !== undefined && image.height !== undefined ? ` width="${image.width}" height="${image.height}"` : '';
  return `<p><img src="${escapeXmlAttr(image.url)}" alt="${escapeXmlAttr(image.alt)}"${size} /></p>`;
}

export function itemContentHtml(view: FeedView, doc: FeedDocument): string {
  const image = doc.image;
  return view.featuredImageInContent === true && image !== undefined ? `${featuredImageHtml(image)}${doc.contentHtml}` : doc.contentHtml;
}
