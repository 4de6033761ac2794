/**
 * Raw front matter + body -> FeedDocument, in one place ("parse, don't
 * validate"). Every problem is collected, so one run reports them all; a
 * document with any `skipped` problem is not returned.
 */
import type { SiteConfig } from '../config/config.ts';
import { isSlug } from './topic-slug.ts';
import { relatedHtml, renderBody } from './body.ts';
import { parseDateOrTimestamp } from './dates.ts';
import type { FeedDocument, Problem, RelatedLink, SafeHtml } from './document.ts';
import type { RawMap } from './fields.ts';
import { field, isAbsent, isMap, optionalText, scalarText, textList } from './fields.ts';
import { normalizeImage } from './image.ts';
import { ProblemLog, describeValue } from './problems.ts';
import { sanitizeContent } from './sanitize.ts';
import { makeSlug } from './slugs.ts';
import { excerpt } from './excerpt.ts';
import { cleanText, plainText, sanitizedHtmlHeadText } from './text.ts';
import { normalizeTopics } from './topics.ts';
import { absoluteHttpUrl, siteUrlFor } from './urls.ts';

export interface NormalizeInput {
  /** Path relative to the content folder, for reports. */
  readonly file: string;
  /** The parsed front matter, not yet trusted. */
  readonly data: unknown;
  readonly body: string;
  /** The body is a slice of decodeSource output, so cleanText would change nothing. */
  readonly bodyIsClean?: boolean;
}

export interface NormalizeResult {
  readonly document?: FeedDocument;
  readonly problems: Problem[];
}

/**
 * Everything about a document except its content: what the topic index and
 * the validators need. Plain data, so a worker thread or a disk cache can
 * carry it; the body is sanitized later, only if some feed shows it.
 */
export type DocumentFields = Omit<FeedDocument, 'contentHtml' | 'summary'>;

export interface FieldsResult {
  readonly fields?: DocumentFields;
  /** The plain-text description: the summary is made from it and the body text. */
  readonly description?: string;
  readonly problems: Problem[];
}

/** What the body contributes; costly (sanitize), so it can be deferred. */
export interface DocumentContent {
  readonly contentHtml: SafeHtml;
  readonly summary?: string;
}

const DEFAULT_BASE_PATH = '/news/';

export function normalizeDocument(input: NormalizeInput, site: SiteConfig): NormalizeResult {
  const log = new ProblemLog(input.file);
  const result = readFields(input, site, log);
  if (result.fields === undefined) return { problems: log.problems };
  const content = renderContent(result.fields, result.description, input.body, log);
  return { document: assembleDocument(result.fields, content), problems: log.problems };
}

/** Front matter -> fields, with the body checked for problems but not sanitized. */
export function normalizeFields(input: NormalizeInput, site: SiteConfig): FieldsResult {
  const log = new ProblemLog(input.file);
  const result = readFields(input, site, log);
  // renderBody reports its fallbacks (too deep, markdown failed); run it now so
  // every problem is known at load, and again when the content is needed.
  if (result.fields !== undefined) renderBody(input.bodyIsClean ? input.body : cleanText(input.body), log);
  return { ...result, problems: log.problems };
}

/**
 * Body -> sanitized content and summary. Problems go to `log`; callers that
 * already reported them through normalizeFields pass a scratch log.
 */
export function renderContent(
  fields: Pick<DocumentFields, 'permalink' | 'related'>,
  description: string | undefined,
  body: string,
  log: ProblemLog,
  bodyIsClean = false,
): DocumentContent {
  // Body and the Related list go through the one sanitize call together.
  const clean = bodyIsClean ? body : cleanText(body);
  const contentHtml = sanitizeContent(renderBody(clean, log) + relatedHtml(fields.related), fields.permalink);
  const summary = description === undefined ? undefined : excerpt(description, (chars) => sanitizedHtmlHeadText(contentHtml, chars));
  return summary === undefined ? { contentHtml } : { contentHtml, summary };
}

/** Fields + content -> the document, with keys in one fixed order (bundles and tests compare JSON). */
export function assembleDocument(fields: DocumentFields, content: DocumentContent): FeedDocument {
  const { image, via, revision, externalUrl, publisher } = fields;
  return {
    id: fields.id,
    slug: fields.slug,
    file: fields.file,
    title: fields.title,
    permalink: fields.permalink,
    ...(externalUrl === undefined ? {} : { externalUrl }),
    ...(publisher === undefined ? {} : { publisher }),
    publishedMs: fields.publishedMs,
    updatedMs: fields.updatedMs,
    lastMod: fields.lastMod,
    ...(content.summary === undefined ? {} : { summary: content.summary }),
    contentHtml: content.contentHtml,
    ...(image === undefined ? {} : { image }),
    authors: fields.authors,
    tags: fields.tags,
    topics: fields.topics,
    related: fields.related,
    ...(via === undefined ? {} : { via }),
    aliases: fields.aliases,
    ...(revision === undefined ? {} : { revision }),
  };
}

function readFields(input: NormalizeInput, site: SiteConfig, log: ProblemLog): Omit<FieldsResult, 'problems'> {
  if (!isMap(input.data)) {
    log.add('yaml', 'frontMatterNotMap', describeValue(input.data));
    return {};
  }
  const data = input.data;

  const title = readTitle(data, log);
  const slug = readSlug(data, title, log);
  const id = readId(data, slug, log);
  const basePath = readBasePath(data, log);
  const permalink = slug === undefined ? undefined : `${site.siteUrl}${basePath}${slug}/`;
  const dates = readDates(data, log);
  const topics = normalizeTopics(data, log);
  const related = readRelated(data, site, log);
  const link = readLink(data, log);
  const via = readVia(data, log);
  const description = optionalText(field(data, 'description'), 'description', log);
  const authors = textList(field(data, 'author'), 'author', log);
  const tags = textList(field(data, 'tags'), 'tags', log);
  const aliases = textList(field(data, 'aliases'), 'aliases', log);
  const image = normalizeImage(field(data, 'featuredImage'), title ?? '', site, log);

  if (log.skipped || title === undefined || slug === undefined || id === undefined || permalink === undefined || !dates) {
    return {};
  }

  const fields: DocumentFields = {
    id,
    slug,
    file: input.file,
    title,
    permalink,
    ...(link.externalUrl === undefined ? {} : { externalUrl: link.externalUrl }),
    ...(link.publisher === undefined ? {} : { publisher: link.publisher }),
    publishedMs: dates.publishedMs,
    updatedMs: dates.updatedMs,
    lastMod: dates.lastMod,
    ...(image === undefined ? {} : { image }),
    authors,
    tags,
    topics,
    related,
    ...(via === undefined ? {} : { via }),
    aliases,
  };
  return description === undefined ? { fields } : { fields, description };
}

/** Plain text, never HTML: `<b>` in a title is shown, not interpreted. */
function readTitle(data: RawMap, log: ProblemLog): string | undefined {
  const value = field(data, 'title');
  if (typeof value === 'number' && Number.isFinite(value)) {
    log.add('title', 'numberAsText');
    return String(value);
  }
  const text = typeof value === 'string' ? plainText(value) : '';
  if (text === '') {
    if (value === undefined) log.add('title', 'required');
    else log.add('title', 'textRequired', describeValue(value));
    return undefined;
  }
  return text;
}

function readSlug(data: RawMap, title: string | undefined, log: ProblemLog): string | undefined {
  const raw = field(data, 'slug');
  const given = scalarText(raw);
  if (given !== undefined) {
    if (isSlug(given)) return given;
    const repaired = makeSlug(given);
    if (repaired !== undefined) log.add('slug', 'slugRepaired', given, repaired);
    else log.add('slug', 'slugUnusable', given);
    return repaired;
  }
  if (!isAbsent(raw)) log.add('slug', 'textIgnored', describeValue(raw));
  if (title === undefined) return undefined;
  const derived = makeSlug(title);
  if (derived === undefined) log.add('slug', 'slugUnusable', title);
  else log.add('slug', 'slugDerived', derived);
  return derived;
}

/** The id is the stable identity; without `id` or `slug` there is none to trust. */
function readId(data: RawMap, slug: string | undefined, log: ProblemLog): string | undefined {
  const raw = field(data, 'id');
  const given = scalarText(raw);
  if (given !== undefined) return given;
  const hasSlug = scalarText(field(data, 'slug')) !== undefined;
  if (!hasSlug) {
    log.add('id', 'noIdentity');
    return undefined;
  }
  if (!isAbsent(raw)) log.add('id', 'idInvalid', describeValue(raw));
  return slug;
}

/** `/news/` by default; repaired to start and end with `/`, or the default when unusable. */
function readBasePath(data: RawMap, log: ProblemLog): string {
  const raw = field(data, 'basePath');
  if (isAbsent(raw)) return DEFAULT_BASE_PATH;
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (/^\/(?:[A-Za-z0-9._~-]+\/)*$/.test(text) && !/(^|\/)\.\.?\//.test(text)) return text;
  const segments = text.split('/').filter((s) => s !== '');
  const usable = segments.length > 0 && segments.every((s) => /^[A-Za-z0-9._~-]+$/.test(s) && s !== '.' && s !== '..');
  const repaired = usable ? `/${segments.join('/')}/` : DEFAULT_BASE_PATH;
  log.add('basePath', 'basePathRepaired', typeof raw === 'string' ? raw : describeValue(raw), repaired);
  return repaired;
}

interface Dates {
  readonly publishedMs: number;
  readonly updatedMs: number;
  readonly lastMod: string;
}

/** A date field as trimmed text; undefined when absent or blank, null when not text. */
function dateText(raw: unknown): string | undefined | null {
  if (isAbsent(raw)) return undefined;
  if (typeof raw !== 'string') return null;
  const text = plainText(raw);
  return text === '' ? undefined : text;
}

/**
 * `date` (a day, or an instant) is required unless a valid `lastMod` can
 * stand in; a bad or missing `lastMod` falls back to `date`. The raw lastMod
 * text is kept because validators (ETag) are keyed on it, microseconds and all.
 */
function readDates(data: RawMap, log: ProblemLog): Dates | undefined {
  const rawDate = field(data, 'date');
  const rawLastMod = field(data, 'lastMod');
  const date = dateText(rawDate);
  const lastMod = dateText(rawLastMod);

  let published;
  if (date === null) log.add('date', 'dateNotText', describeValue(rawDate));
  else if (date !== undefined) {
    published = parseDateOrTimestamp(date);
    if (published === undefined) log.add('date', 'dateInvalid', date);
    else if (published.assumedUtc) log.add('date', 'timeZoneAssumed', date);
  }

  let updated;
  if (lastMod === null) log.add('lastMod', 'lastModNotText', describeValue(rawLastMod));
  else if (lastMod !== undefined) {
    updated = parseDateOrTimestamp(lastMod);
    if (updated === undefined) log.add('lastMod', 'lastModInvalid', lastMod);
    else if (updated.assumedUtc) log.add('lastMod', 'timeZoneAssumed', lastMod);
  }

  if (date === undefined) {
    if (updated === undefined || typeof lastMod !== 'string') {
      log.add('date', 'required');
      return undefined;
    }
    log.add('date', 'dateFromLastMod');
    return { publishedMs: updated.ms, updatedMs: updated.ms, lastMod };
  }
  if (published === undefined || date === null) return undefined;
  if (updated === undefined || typeof lastMod !== 'string') {
    return { publishedMs: published.ms, updatedMs: published.ms, lastMod: date };
  }
  return { publishedMs: published.ms, updatedMs: updated.ms, lastMod };
}

function readHttpUrl(raw: unknown, name: string, log: ProblemLog): string | undefined {
  if (isAbsent(raw)) return undefined;
  const text = scalarText(raw);
  const url = text === undefined ? undefined : absoluteHttpUrl(text);
  if (url === undefined) log.add(name, 'urlInvalid', text ?? describeValue(raw));
  return url;
}

/** The original article: `link.href`, else the top-level `href`; `link.brand` is its publisher. */
function readLink(data: RawMap, log: ProblemLog): { externalUrl?: string; publisher?: string } {
  const raw = field(data, 'link');
  if (!isAbsent(raw) && !isMap(raw)) log.add('link', 'mapExpected', describeValue(raw));
  const link = isMap(raw) ? raw : {};
  const externalUrl = readHttpUrl(field(link, 'href'), 'link.href', log) ?? readHttpUrl(field(data, 'href'), 'href', log);
  const publisher = optionalText(field(link, 'brand'), 'link.brand', log);
  return { ...(externalUrl === undefined ? {} : { externalUrl }), ...(publisher === undefined ? {} : { publisher }) };
}

/** `via: ' '` means no via; a via link alone, without a label, is not shown. */
function readVia(data: RawMap, log: ProblemLog): FeedDocument['via'] {
  const label = optionalText(field(data, 'via'), 'via', log);
  const url = readHttpUrl(field(data, 'viaLink'), 'viaLink', log);
  if (label === undefined) return undefined;
  return url === undefined ? { label } : { label, url };
}

function readRelated(data: RawMap, site: SiteConfig, log: ProblemLog): RelatedLink[] {
  const raw = field(data, 'relatedOfferings');
  if (isAbsent(raw)) return [];
  if (!Array.isArray(raw)) {
    log.add('relatedOfferings', 'listIgnored', describeValue(raw));
    return [];
  }
  const related: RelatedLink[] = [];
  const seen = new Set<string>(); // linear dedup, even for a hostile 100k-item list
  raw.forEach((item: unknown, i) => {
    const at = `relatedOfferings[${i}]`;
    if (!isMap(item)) {
      log.add(at, 'relatedNotMap', describeValue(item));
      return;
    }
    const label = scalarText(field(item, 'label'));
    const permalink = scalarText(field(item, 'permalink'));
    const url = permalink === undefined ? undefined : siteUrlFor(site.siteUrl, permalink);
    if (label === undefined) log.add(`${at}.label`, 'relatedNoLabel');
    else if (url === undefined) log.add(`${at}.permalink`, 'relatedUrlInvalid', permalink ?? describeValue(field(item, 'permalink')));
    else if (!seen.has(url)) {
      seen.add(url);
      related.push({ label, url });
    }
  });
  return related;
}
