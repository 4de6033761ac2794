import type { SiteConfig } from '../config/config.ts';
import { loadDocuments } from '../content/load.ts';
import type { Problem } from '../content/document.ts';
import { Catalog } from '../publish/catalog.ts';
import { readContentSources } from './fs-source.ts';

/** Reads, normalizes and indexes a content folder into a servable snapshot. */
export async function loadCatalogFromDir(site: SiteConfig, contentDir: string): Promise<Catalog> {
  const scan = await readContentSources(contentDir, site.maxDocumentBytes);
  const loaded = loadDocuments(scan.sources, site);
  return new Catalog(site, { documents: loaded.documents, problems: [...scan.problems, ...loaded.problems] });
}

export function formatProblem(problem: Problem): string {
  return `${problem.file}: ${problem.field}: ${problem.reason} (${problem.action})`;
}
