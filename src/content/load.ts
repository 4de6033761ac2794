/**
 * ContentSource[] -> { documents, problems }. Pure: the runtime reads files
 * and hands them over. Never throws; output order is by file path, so the
 * same sources always give the same result.
 */
import type { SiteConfig } from '../config/config.ts';
import type { ContentSource, FeedDocument, LoadResult, Problem } from './document.ts';
import { decodeSource, splitFrontMatter } from './front-matter.ts';
import type { NormalizeResult } from './normalize.ts';
import { normalizeDocument } from './normalize.ts';
import { ProblemLog, makeProblem } from './problems.ts';
import { sourceRevision } from './revision.ts';

export type { NormalizeResult } from './normalize.ts';

/** One source -> its document (if usable) and its problems; for loads and watch-mode updates. */
export function normalizeSource(source: ContentSource, site: SiteConfig): NormalizeResult {
  try {
    const log = new ProblemLog(source.file);
    const text = decodeSource(source.contents, site.maxDocumentBytes, log);
    if (text === undefined) return { problems: log.problems };
    const split = splitFrontMatter(text, log);
    if (split === undefined) return { problems: log.problems };
    const result = normalizeDocument({ file: source.file, data: split.data, body: split.body }, site);
    return {
      ...(result.document === undefined ? {} : { document: { ...result.document, revision: sourceRevision(text) } }),
      problems: [...log.problems, ...result.problems],
    };
  } catch (error) {
    return { problems: [internalError(source.file, error)] };
  }
}

function internalError(file: string, error: unknown): Problem {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return makeProblem(file, 'file', 'internalError', message.split('\n')[0] ?? '');
}

// Code-unit order, not localeCompare: identical on every machine.
const byFile = (a: { file: string }, b: { file: string }): number => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);

/**
 * Loads every source. When two documents share an id or a slug (and so a
 * permalink), the one whose file path sorts first is kept.
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
    const document = result.document;
    if (!document) continue;
    const idOwner = byId.get(document.id);
    const slugOwner = bySlug.get(document.slug);
    if (idOwner !== undefined) {
      problems.push(makeProblem(document.file, 'id', 'duplicateId', document.id, idOwner));
    } else if (slugOwner !== undefined) {
      problems.push(makeProblem(document.file, 'slug', 'duplicateSlug', document.slug, slugOwner));
    } else {
      byId.set(document.id, document.file);
      bySlug.set(document.slug, document.file);
      documents.push(document);
    }
  }
  return { documents, problems };
}
