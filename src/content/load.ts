/**
 * ContentSource[] -> { documents, problems }. Pure: the runtime reads files
 * and hands them over. Never throws; output order is by file path, so the
 * same sources always give the same result.
 *
 * The steps are exported too, so the Node runtime can split them: read the
 * fields of every document (in worker threads, or from a disk cache), and
 * sanitize a body only when some feed shows it.
 */
import type { SiteConfig } from '../config/config.ts';
import type { ContentSource, FeedDocument, LoadResult, Problem } from './document.ts';
import { decodeSource, splitFrontMatter } from './front-matter.ts';
import type { DocumentFields, FieldsResult, NormalizeResult } from './normalize.ts';
import { assembleDocument, normalizeFields, renderContent } from './normalize.ts';
import { ProblemLog, makeProblem } from './problems.ts';
import { sourceRevision } from './revision.ts';

export type { DocumentContent, DocumentFields, NormalizeResult } from './normalize.ts';

export interface ParsedSource extends FieldsResult {
  /** The body text, present with `fields`. */
  readonly body?: string;
  /** Where the body starts in the decoded text, so it can be cut out again without YAML. */
  readonly bodyStart?: number;
}

/** Milliseconds spent per step, summed over calls; for start-up reports. */
export interface ParseTimings {
  decode: number;
  yaml: number;
  fields: number;
}

export interface ParseOptions {
  readonly timings?: ParseTimings;
  /** A faster splitter with the same results (the Node runtime's), else splitFrontMatter. */
  readonly split?: typeof splitFrontMatter;
}

/** One source -> its fields (revision included), description and body; never throws. */
export function parseSource(source: ContentSource, site: SiteConfig, options: ParseOptions = {}): ParsedSource {
  const { timings, split: splitter = splitFrontMatter } = options;
  try {
    const log = new ProblemLog(source.file);
    let started = timings ? performance.now() : 0;
    const lap = (step: keyof ParseTimings): void => {
      if (!timings) return;
      const now = performance.now();
      timings[step] += now - started;
      started = now;
    };
    const text = decodeSource(source.contents, site.maxDocumentBytes, log);
    lap('decode');
    if (text === undefined) return { problems: log.problems };
    const split = splitter(text, log);
    lap('yaml');
    if (split === undefined) return { problems: log.problems };
    const result = normalizeFields({ file: source.file, data: split.data, body: split.body, bodyIsClean: true }, site);
    lap('fields');
    const problems = [...log.problems, ...result.problems];
    if (result.fields === undefined) return { problems };
    const bodyStart = text.endsWith(split.body) ? text.length - split.body.length : undefined;
    return {
      fields: { ...result.fields, revision: sourceRevision(text) },
      ...(result.description === undefined ? {} : { description: result.description }),
      body: split.body,
      ...(bodyStart === undefined ? {} : { bodyStart }),
      problems,
    };
  } catch (error) {
    return { problems: [internalError(source.file, error)] };
  }
}

/**
 * The body of a source whose fields were read before: cut at `bodyStart`
 * while the text is unchanged (no YAML parse), else split again. Undefined
 * when the source can no longer be decoded or split.
 */
export function reparseBody(source: ContentSource, site: SiteConfig, revision: string | undefined, bodyStart?: number): string | undefined {
  try {
    const log = new ProblemLog(source.file);
    const text = decodeSource(source.contents, site.maxDocumentBytes, log);
    if (text === undefined) return undefined;
    if (bodyStart !== undefined && revision !== undefined && sourceRevision(text) === revision) return text.slice(bodyStart);
    return splitFrontMatter(text, log)?.body;
  } catch {
    return undefined;
  }
}

/** One source -> its document (if usable) and its problems; for loads and watch-mode updates. */
export function normalizeSource(source: ContentSource, site: SiteConfig): NormalizeResult {
  const parsed = parseSource(source, site);
  if (parsed.fields === undefined || parsed.body === undefined) return { problems: parsed.problems };
  try {
    // Body problems were reported by parseSource; this log only repeats them.
    const content = renderContent(parsed.fields, parsed.description, parsed.body, new ProblemLog(source.file), true);
    return { document: assembleDocument(parsed.fields, content), problems: parsed.problems };
  } catch (error) {
    return { problems: [...parsed.problems, internalError(source.file, error)] };
  }
}

function internalError(file: string, error: unknown): Problem {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return makeProblem(file, 'file', 'internalError', message.split('\n')[0] ?? '');
}

// Code-unit order, not localeCompare: identical on every machine.
export const byFile = (a: { file: string }, b: { file: string }): number => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);

type Identity = Pick<DocumentFields, 'id' | 'slug' | 'file'>;

/**
 * Keeps the first of each id and slug (and so permalink), in the given
 * order; every later one is reported. `owners` carries claims already made
 * (watch mode: documents already served keep theirs).
 */
export function dropDuplicates<T extends Identity>(
  items: Iterable<T>,
  owners: { readonly byId: Map<string, string>; readonly bySlug: Map<string, string> } = { byId: new Map(), bySlug: new Map() },
): { kept: T[]; problems: Problem[] } {
  const kept: T[] = [];
  const problems: Problem[] = [];
  const { byId, bySlug } = owners;
  for (const item of items) {
    const idOwner = byId.get(item.id);
    const slugOwner = bySlug.get(item.slug);
    if (idOwner !== undefined && idOwner !== item.file) {
      problems.push(makeProblem(item.file, 'id', 'duplicateId', item.id, idOwner));
    } else if (slugOwner !== undefined && slugOwner !== item.file) {
      problems.push(makeProblem(item.file, 'slug', 'duplicateSlug', item.slug, slugOwner));
    } else {
      byId.set(item.id, item.file);
      bySlug.set(item.slug, item.file);
      kept.push(item);
    }
  }
  return { kept, problems };
}

/**
 * Loads every source in memory, in one pass: the reference loader. The
 * server and the CLI load through ingest/'s ContentStore (threads, disk
 * cache, lazy sanitizing), which must give exactly this result (tested).
 * When two documents share an id or a slug (and so a permalink), the one
 * whose file path sorts first is kept.
 */
export function loadDocuments(sources: Iterable<ContentSource>, site: SiteConfig): LoadResult {
  let list: ContentSource[];
  try {
    list = [...sources].sort(byFile);
  } catch (error) {
    return { documents: [], problems: [internalError('(sources)', error)] };
  }
  const documents: FeedDocument[] = [];
  const problems: Problem[] = [];
  const byId = new Map<string, string>();
  const bySlug = new Map<string, string>();
  for (const source of list) {
    const result = normalizeSource(source, site);
    problems.push(...result.problems);
    if (!result.document) continue;
    const { kept, problems: duplicates } = dropDuplicates([result.document], { byId, bySlug });
    problems.push(...duplicates);
    documents.push(...kept);
  }
  return { documents, problems };
}
