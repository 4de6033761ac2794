/**
 * Every reason a document is skipped or repaired, worded in one place. A
 * reason reads after its field, e.g. `title: must be non-empty text (got a list)`.
 */
import type { Problem } from './document.ts';

type Action = Problem['action'];
type Reason = { readonly action: Action; readonly text: (...args: never[]) => string };

const q = (value: string): string => JSON.stringify(value.length > 120 ? `${value.slice(0, 117)}...` : value);

export const REASONS = {
  // The file as a whole.
  fileEmpty: { action: 'skipped', text: () => 'the file is empty' },
  fileTooLarge: {
    action: 'skipped',
    text: (bytes: number, max: number) => `the file has ${bytes} bytes, more than the limit of ${max}`,
  },
  notUtf8: {
    action: 'repaired',
    text: () => 'the file is not valid UTF-8; undecodable bytes were replaced with U+FFFD',
  },
  unwantedChars: {
    action: 'repaired',
    text: (count: number) => `removed ${count} control or non-character code point(s) that feeds cannot carry`,
  },
  internalError: { action: 'skipped', text: (message: string) => `internal error: ${message}` },
  duplicateId: {
    action: 'skipped',
    text: (id: string, keptFile: string) => `id ${q(id)} is also used by ${keptFile}, which is kept`,
  },
  duplicateSlug: {
    action: 'skipped',
    text: (slug: string, keptFile: string) =>
      `slug ${q(slug)} (the permalink) is also used by ${keptFile}, which is kept`,
  },

  // Front matter.
  noFrontMatter: { action: 'skipped', text: () => 'the file does not start with a "---" front-matter line' },
  unclosedFrontMatter: { action: 'skipped', text: () => 'the front matter has no closing "---" line' },
  emptyFrontMatter: { action: 'skipped', text: () => 'the front matter is empty' },
  frontMatterLanguage: {
    action: 'skipped',
    text: (language: string) => `front matter in ${q(language)} is not accepted; only YAML is`,
  },
  yamlInvalid: { action: 'skipped', text: (detail: string) => `invalid YAML: ${detail}` },
  frontMatterNotMap: {
    action: 'skipped',
    text: (kind: string) => `the front matter must be a map of fields (got ${kind})`,
  },

  // Fields.
  required: { action: 'skipped', text: () => 'is required but missing' },
  noIdentity: { action: 'skipped', text: () => 'neither id nor slug is set, so the document has no stable id' },
  idInvalid: {
    action: 'repaired',
    text: (kind: string) => `must be a number or non-empty text (got ${kind}); the slug is used instead`,
  },
  textRequired: { action: 'skipped', text: (kind: string) => `must be non-empty text (got ${kind})` },
  numberAsText: { action: 'repaired', text: () => 'is a number; used as text' },
  textIgnored: { action: 'repaired', text: (kind: string) => `must be text (got ${kind}); ignored` },
  listItemIgnored: { action: 'repaired', text: (kind: string) => `must be non-empty text (got ${kind}); ignored` },
  listIgnored: { action: 'repaired', text: (kind: string) => `must be a list of text (got ${kind}); ignored` },
  wrappedInList: { action: 'repaired', text: () => 'is a single value, not a list; read as a one-item list' },
  slugDerived: { action: 'repaired', text: (slug: string) => `is missing; derived ${q(slug)} from the title` },
  slugRepaired: {
    action: 'repaired',
    text: (value: string, slug: string) => `${q(value)} is not a valid slug; using ${q(slug)}`,
  },
  slugUnusable: { action: 'skipped', text: (value: string) => `no slug can be made from ${q(value)}` },
  basePathRepaired: {
    action: 'repaired',
    text: (value: string, used: string) => `${q(value)} is not a path like "/news/"; using ${q(used)}`,
  },

  // Topics.
  topicLengths: {
    action: 'skipped',
    text: (lengths: string) => `the parallel topic lists have different lengths (${lengths})`,
  },
  categoryUrlMissing: {
    action: 'repaired',
    text: () => 'is missing; topic slugs were derived from the category names',
  },
  categoryUrlRepaired: {
    action: 'repaired',
    text: (value: string, slug: string) => `${q(value)} is not "topic/<slug>"; using slug ${q(slug)}`,
  },
  topicNoSlug: { action: 'repaired', text: () => 'topic dropped: neither categoryUrl nor the category name gives a slug' },
  categoryNameMissing: {
    action: 'repaired',
    text: (name: string) => `category name is missing; using ${q(name)}`,
  },
  topicDuplicate: { action: 'repaired', text: (slug: string) => `topic ${q(slug)} is listed twice; kept once` },

  // Dates.
  dateInvalid: {
    action: 'skipped',
    text: (value: string) => `${q(value)} is not a valid date (expected YYYY-MM-DD or an ISO 8601 timestamp)`,
  },
  dateNotText: { action: 'skipped', text: (kind: string) => `must be a date like "2021-01-13" (got ${kind})` },
  dateFromLastMod: { action: 'repaired', text: () => 'is missing; lastMod is used as the publication date' },
  lastModInvalid: {
    action: 'repaired',
    text: (value: string) => `${q(value)} is not a valid ISO 8601 timestamp; ignored, date is used`,
  },
  lastModNotText: {
    action: 'repaired',
    text: (kind: string) => `must be an ISO 8601 timestamp (got ${kind}); ignored, date is used`,
  },
  timeZoneAssumed: { action: 'repaired', text: (value: string) => `${q(value)} has no time zone; read as UTC` },

  // Links and media.
  urlInvalid: {
    action: 'repaired',
    text: (value: string) => `${q(value)} is not an absolute http(s) URL; omitted`,
  },
  mapExpected: { action: 'repaired', text: (kind: string) => `must be a map (got ${kind}); ignored` },
  imageNotMap: { action: 'repaired', text: (kind: string) => `must be a map (got ${kind}); no image` },
  imageNotValid: { action: 'repaired', text: () => 'the image is marked as not valid; no image' },
  imageNoHref: { action: 'repaired', text: () => 'is missing; no image' },
  imageUrlInvalid: {
    action: 'repaired',
    text: (value: string) => `${q(value)} does not resolve to an http(s) URL; no image`,
  },
  imageTypeUnknown: {
    action: 'repaired',
    text: () => 'the image type is unknown (no known format or file extension); no image',
  },
  // Local images (MEDIA_BASE_URL is this site's media path): checked against the file beside the document.
  imageOutsideContent: {
    action: 'repaired',
    text: (href: string) => `${q(href)} is not a file name inside the content folder (no "..", no hidden names); no image`,
  },
  imageFileMissing: {
    action: 'repaired',
    text: (file: string) => `the image file ${q(file)} does not exist; no image`,
  },
  imageFileUnsafe: {
    action: 'repaired',
    text: (file: string, why: string) => `the image file ${q(file)} ${why}; not served, no image`,
  },
  imageFileTooLarge: {
    action: 'repaired',
    text: (file: string, bytes: number, max: number) =>
      `the image file ${q(file)} has ${bytes} bytes, more than the limit of ${max} (MAX_IMAGE_BYTES); no image`,
  },
  imageFileNotImage: {
    action: 'repaired',
    text: (file: string, found: string) =>
      `the image file ${q(file)} is not a JPEG, PNG, GIF, WebP or AVIF image (found ${found}); no image`,
  },
  imageFileNameMismatch: {
    action: 'repaired',
    text: (file: string, type: string) => `the image file ${q(file)} holds ${type} data under another extension; no image`,
  },
  relatedNotMap: { action: 'repaired', text: (kind: string) => `must be a map (got ${kind}); omitted` },
  relatedNoLabel: { action: 'repaired', text: () => 'is missing; the related offering is omitted' },
  relatedUrlInvalid: {
    action: 'repaired',
    text: (value: string) => `${q(value)} is not a site path or http(s) URL; the related offering is omitted`,
  },

  // Body.
  htmlTooDeep: {
    action: 'repaired',
    text: (depth: number, limit: number) =>
      `HTML nests about ${depth} levels deep (limit ${limit}); rendered as plain text`,
  },
  markdownTooDeep: {
    action: 'repaired',
    text: () => 'markdown nests too deeply to render safely; rendered as plain text',
  },
  markdownFailed: {
    action: 'repaired',
    text: (message: string) => `markdown could not be rendered (${message}); rendered as plain text`,
  },

  // The report itself.
  moreProblems: {
    action: 'repaired',
    text: (count: number) => `${count} more problem(s) in this file are not listed`,
  },
  moreProblemsSkipped: {
    action: 'skipped',
    text: (count: number) => `${count} more problem(s) in this file are not listed; at least one makes the document skipped`,
  },
} as const satisfies Record<string, Reason>;

export type ProblemCode = keyof typeof REASONS;
export type ReasonArgs<C extends ProblemCode> = Parameters<(typeof REASONS)[C]['text']>;

/** The reason text for a code, e.g. for tests that assert the exact wording. */
export function reasonText<C extends ProblemCode>(code: C, ...args: ReasonArgs<C>): string {
  return (REASONS[code].text as (...a: ReasonArgs<C>) => string)(...args);
}

export function makeProblem<C extends ProblemCode>(
  file: string,
  field: string,
  code: C,
  ...args: ReasonArgs<C>
): Problem {
  return { file, field, reason: reasonText(code, ...args), action: REASONS[code].action };
}

/**
 * Problems listed per file. A hostile file (a 2 MB list of 400k bad items)
 * would otherwise produce 400k report lines: memory, logs and /healthz grow
 * with the attacker's input, and spreading them into a call overflows the stack.
 */
export const MAX_PROBLEMS_PER_FILE = 100;

/** Collects the problems of one file; any `skipped` problem means no document. */
export class ProblemLog {
  readonly problems: Problem[] = [];
  private hidden = 0;
  private hiddenSkipped = false;
  constructor(readonly file: string) {}

  add<C extends ProblemCode>(field: string, code: C, ...args: ReasonArgs<C>): void {
    if (this.problems.length < MAX_PROBLEMS_PER_FILE) {
      this.problems.push(makeProblem(this.file, field, code, ...args));
      return;
    }
    // Past the cap, one last line counts the rest (and keeps a skip visible).
    this.hidden += 1;
    this.hiddenSkipped ||= REASONS[code].action === 'skipped';
    this.problems[MAX_PROBLEMS_PER_FILE] = this.hiddenSkipped
      ? makeProblem(this.file, 'file', 'moreProblemsSkipped', this.hidden)
      : makeProblem(this.file, 'file', 'moreProblems', this.hidden);
  }

  get skipped(): boolean {
    return this.problems.some((p) => p.action === 'skipped');
  }
}

/** Short description of a raw YAML value for reasons: "a list", "null", "a number". */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return value.trim() === '' ? 'empty text' : 'text';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'true/false';
  if (typeof value === 'object') return 'a map';
  return typeof value;
}
