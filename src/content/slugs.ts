import { MAX_SLUG_LENGTH, isSlug, slugify } from './topic-slug.ts';

/** The project slug rule applied to free text, cut to the maximum length; undefined if nothing is left. */
export function makeSlug(text: string): string | undefined {
  const slug = slugify(text).slice(0, MAX_SLUG_LENGTH).replace(/-+$/, '');
  return isSlug(slug) ? slug : undefined;
}
