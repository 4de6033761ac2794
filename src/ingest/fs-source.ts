import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { ContentSource, Problem } from '../content/document.ts';

export interface FileScan {
  readonly sources: ContentSource[];
  readonly problems: Problem[];
}

export interface FileList {
  /** Absolute paths, in walk order (folders and names sorted). */
  readonly files: string[];
  readonly problems: Problem[];
}

/**
 * Every `*.md` below `root`, recursively, following symlinks once: a folder
 * already visited (by real path) is reported and skipped, so a symlink loop
 * cannot hang the load.
 */
export async function listContentFiles(root: string): Promise<FileList> {
  const problems: Problem[] = [];
  const visited = new Set<string>();
  const files: string[] = [];

  async function walk(dir: string): Promise<void> {
    let real: string;
    try {
      real = await realpath(dir);
    } catch (error) {
      problems.push(fileProblem(root, dir, `cannot resolve folder: ${message(error)}`));
      return;
    }
    if (visited.has(real)) {
      problems.push(fileProblem(root, dir, 'folder already read (symlink loop or duplicate link); skipped'));
      return;
    }
    visited.add(real);
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      problems.push(fileProblem(root, dir, `cannot read folder: ${message(error)}`));
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const target = await stat(path);
          isDirectory = target.isDirectory();
          isFile = target.isFile();
        } catch (error) {
          problems.push(fileProblem(root, path, `broken symlink: ${message(error)}`));
          continue;
        }
      }
      if (isDirectory) await walk(path);
      else if (isFile && entry.name.endsWith('.md')) files.push(path);
    }
  }

  await walk(root);
  return { files, problems };
}

/** Every `*.md` below `root` (see listContentFiles), read; files over `maxBytes` are reported without being read. */
export async function readContentSources(root: string, maxBytes: number): Promise<FileScan> {
  const sources: ContentSource[] = [];
  const { files, problems } = await listContentFiles(root);

  // Bounded parallel reads: fast on big corpora without exhausting file handles.
  const CONCURRENCY = 64;
  const results: (ContentSource | Problem)[] = new Array(files.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < files.length) {
      const i = next++;
      const path = files[i]!;
      results[i] = await readOne(root, path, maxBytes);
    }
  }
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, files.length) }, worker));
  for (const result of results) {
    if ('contents' in result) sources.push(result);
    else problems.push(result);
  }
  return { sources, problems };
}

async function readOne(root: string, path: string, maxBytes: number): Promise<ContentSource | Problem> {
  try {
    const info = await stat(path);
    if (info.size > maxBytes) {
      return fileProblem(root, path, `file is ${info.size} bytes, over the ${maxBytes}-byte limit (MAX_DOCUMENT_BYTES)`);
    }
    return { file: relativeFile(root, path), contents: new Uint8Array(await readFile(path)) };
  } catch (error) {
    return fileProblem(root, path, `cannot read file: ${message(error)}`);
  }
}

export function relativeFile(root: string, path: string): string {
  return relative(root, path).split(sep).join('/');
}

function fileProblem(root: string, path: string, reason: string): Problem {
  return { file: relativeFile(root, path) || '.', field: 'file', reason, action: 'skipped' };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
