import * as nodeFs from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import * as nodePath from 'node:path';
import { relative, sep } from 'node:path';
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
 * cannot hang the load. Plain JavaScript with sync calls, as source text:
 * the same walk runs here (`listContentFiles`) and, for a large warm load,
 * on a thread that also stats what it finds (stat-thread.ts
 * `scanContentOnThread`), where no TypeScript loader is needed. Problems
 * are `[absolute path, reason]`.
 */
export const WALK_CONTENT_SOURCE = `
function walkContent(root, fs, path) {
  const files = [];
  const problems = [];
  const visited = new Set();
  const message = (error) => (error instanceof Error ? error.message : String(error));
  function walk(dir) {
    let real;
    try {
      real = fs.realpathSync.native(dir);
    } catch (error) {
      problems.push([dir, 'cannot resolve folder: ' + message(error)]);
      return;
    }
    if (visited.has(real)) {
      problems.push([dir, 'folder already read (symlink loop or duplicate link); skipped']);
      return;
    }
    visited.add(real);
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      problems.push([dir, 'cannot read folder: ' + message(error)]);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const file = path.join(dir, entry.name);
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const target = fs.statSync(file);
          isDirectory = target.isDirectory();
          isFile = target.isFile();
        } catch (error) {
          problems.push([file, 'broken symlink: ' + message(error)]);
          continue;
        }
      }
      if (isDirectory) walk(file);
      else if (isFile && entry.name.endsWith('.md')) files.push(file);
    }
  }
  walk(root);
  return { files, problems };
}
`;

/** What `walkContent` returns: absolute paths in walk order, and `[path, reason]` per problem. */
export interface WalkedContent {
  readonly files: string[];
  readonly problems: [string, string][];
}

type WalkContent = (root: string, fs: typeof nodeFs, path: typeof nodePath) => WalkedContent;

// The one walk, compiled here from the same text the scan thread runs.
const walkContent = new Function(`${WALK_CONTENT_SOURCE}\nreturn walkContent;`)() as WalkContent;

/** A walk's problems as load problems, relative to `root`. */
export function walkProblems(root: string, problems: readonly (readonly [string, string])[]): Problem[] {
  return problems.map(([path, reason]) => fileProblem(root, path, reason));
}

/** Every `*.md` below `root` (see WALK_CONTENT_SOURCE), listed on this thread. */
export function listContentFiles(root: string): FileList {
  const walked = walkContent(root, nodeFs, nodePath);
  return { files: walked.files, problems: walkProblems(root, walked.problems) };
}

/** Every `*.md` below `root` (see listContentFiles), read; files over `maxBytes` are reported without being read. */
export async function readContentSources(root: string, maxBytes: number): Promise<FileScan> {
  const sources: ContentSource[] = [];
  const { files, problems } = listContentFiles(root);

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

/** `/`-separated path of `path` inside `root`, as `path.relative` gives it. */
export function relativeFile(root: string, path: string): string {
  // The walk's paths are `join(root, …)`. When `path` is `root`, a separator and a plain tail, that tail
  // is what path.relative resolves both to, without its two resolves (50-140 ms per 50k files, a fixed
  // cost of every warm load). An empty root means the working folder: left to path.relative.
  if (root !== '') {
    const base = root.endsWith(sep) ? root : root + sep;
    if (path.startsWith(base)) {
      const rest = path.slice(base.length);
      if (isPlainTail(rest)) return sep === '/' ? rest : rest.split(sep).join('/');
    }
  }
  return relative(root, path).split(sep).join('/');
}

/** No empty, `.` or `..` segment: a tail `join` would leave as it is. */
function isPlainTail(rest: string): boolean {
  if (rest === '') return false;
  for (const segment of rest.split(sep)) if (segment === '' || segment === '.' || segment === '..') return false;
  return true;
}

function fileProblem(root: string, path: string, reason: string): Problem {
  return { file: relativeFile(root, path) || '.', field: 'file', reason, action: 'skipped' };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
