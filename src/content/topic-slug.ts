/**
 * The one topic slug rule. It reproduces how the curation system builds
 * `categoryUrl` from a category name, e.g.
 *   "U.S. Food and Drug Administration (FDA): Vaccines, Blood & Biologics"
 *   -> "u-s-food-and-drug-administration-fda-vaccines-blood-biologics"
 * Lowercase, strip accents, every run of other characters becomes one "-",
 * no "-" at either end.
 */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const MAX_SLUG_LENGTH = 200;

export function isSlug(value: string): boolean {
  return value.length <= MAX_SLUG_LENGTH && SLUG_PATTERN.test(value);
}

/** `topic/<slug>` (with or without leading or trailing slashes) -> `<slug>`, or undefined. */
export function slugFromCategoryUrl(categoryUrl: string): string | undefined {
  const match = /^\/?topic\/([^/]+)\/?$/.exec(categoryUrl.trim());
  return match?.[1];
}
