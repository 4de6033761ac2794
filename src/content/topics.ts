/**
 * `categories`, `categoryUrl` and `categoryLabel` are parallel lists; topic i
 * takes its slug from `categoryUrl[i]`. `categorySlug` looks like a slug but
 * is a lowercased name ("healthcare it news: cybersecurity"), so it is never
 * read: URLs built from it would break.
 */
import { isSlug, slugFromCategoryUrl } from './topic-slug.ts';
import type { DocumentTopic } from './document.ts';
import type { RawMap } from './fields.ts';
import { field, isAbsent, scalarText } from './fields.ts';
import type { ProblemLog } from './problems.ts';
import { describeValue } from './problems.ts';
import { makeSlug } from './slugs.ts';

const LISTS = ['categories', 'categoryUrl', 'categoryLabel'] as const;
type ListName = (typeof LISTS)[number];

/** A list, a single value read as a one-item list (reported), or absent. */
function readList(data: RawMap, name: ListName, log: ProblemLog): readonly unknown[] | undefined {
  const value = field(data, name);
  if (isAbsent(value)) return undefined;
  if (Array.isArray(value)) return value;
  if (typeof value === 'string' || typeof value === 'number') {
    log.add(name, 'wrappedInList');
    return [value];
  }
  log.add(name, 'listIgnored', describeValue(value));
  return undefined;
}

/** The label a reader sees: `categoryLabel[i]`, else the name after its last ": ". */
function labelFrom(name: string): string {
  const cut = name.lastIndexOf(': ');
  const tail = cut === -1 ? '' : name.slice(cut + 2).trim();
  return tail === '' ? name : tail;
}

/**
 * Optional `categoryDescription`, parallel to `categories` like the others (an
 * extension: the seed schema has none). It only adds text, so a list of
 * another length is reported and ignored rather than failing the document.
 */
function readDescriptions(data: RawMap, count: number, log: ProblemLog): readonly unknown[] | undefined {
  const value = field(data, 'categoryDescription');
  if (isAbsent(value)) return undefined;
  if (!Array.isArray(value) || value.length !== count) {
    log.add('categoryDescription', 'listIgnored', describeValue(value));
    return undefined;
  }
  return value;
}

export function normalizeTopics(data: RawMap, log: ProblemLog): DocumentTopic[] {
  const lists = {
    categories: readList(data, 'categories', log),
    categoryUrl: readList(data, 'categoryUrl', log),
    categoryLabel: readList(data, 'categoryLabel', log),
  };
  const present = LISTS.filter((name) => lists[name] !== undefined);
  const lengths = present.map((name) => lists[name]?.length ?? 0);
  if (new Set(lengths).size > 1) {
    log.add('categories', 'topicLengths', present.map((name, i) => `${name}: ${lengths[i]}`).join(', '));
    return [];
  }
  const count = lengths[0] ?? 0;
  if (count > 0 && lists.categoryUrl === undefined) log.add('categoryUrl', 'categoryUrlMissing');

  const descriptions = readDescriptions(data, count, log);
  const topics: DocumentTopic[] = [];
  // Seen slugs in a Set: a hostile list of 100k categories must stay linear.
  const seen = new Set<string>();
  for (let i = 0; i < count; i += 1) {
    const rawName = scalarText(lists.categories?.[i]);
    const rawUrl = lists.categoryUrl?.[i];
    const label = scalarText(lists.categoryLabel?.[i]);
    const slug = topicSlug(rawUrl, rawName ?? label, i, log);
    if (slug === undefined) continue;
    const name = rawName ?? label ?? slug;
    if (rawName === undefined && lists.categories !== undefined) {
      log.add(`categories[${i}]`, 'categoryNameMissing', name);
    }
    if (seen.has(slug)) {
      log.add(`categoryUrl[${i}]`, 'topicDuplicate', slug);
      continue;
    }
    seen.add(slug);
    const description = scalarText(descriptions?.[i]);
    topics.push({ slug, name, label: label ?? labelFrom(name), ...(description !== undefined && { description }) });
  }
  return topics;
}

/** Slug from `categoryUrl[i]`; repaired from the URL text or the name when it is not one. */
function topicSlug(rawUrl: unknown, name: string | undefined, i: number, log: ProblemLog): string | undefined {
  const url = scalarText(rawUrl);
  const fromUrl = url === undefined ? undefined : slugFromCategoryUrl(url);
  if (fromUrl !== undefined && isSlug(fromUrl)) return fromUrl;

  // Something was there but is not `topic/<slug>`: make a slug of it, else of the name.
  const candidates = [fromUrl, url, name].filter((c): c is string => c !== undefined);
  for (const candidate of candidates) {
    const slug = makeSlug(candidate);
    if (slug !== undefined) {
      if (rawUrl !== undefined) log.add(`categoryUrl[${i}]`, 'categoryUrlRepaired', url ?? describeValue(rawUrl), slug);
      return slug;
    }
  }
  log.add(`categoryUrl[${i}]`, 'topicNoSlug');
  return undefined;
}
