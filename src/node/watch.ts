import type { FSWatcher } from 'node:fs';
import { readdirSync, realpathSync, statSync, watch } from 'node:fs';
import { join } from 'node:path';

/**
 * Calls `apply` with the paths that changed under `dir` once events settle
 * (editors write a file in several steps; 20 ms covers them and keeps an
 * edit live within a frame or two). Calls never overlap: paths that change
 * during one are collected for exactly one more. An event without a file
 * name means "something changed": `dir` itself is passed, which rescans.
 *
 * One non-recursive watcher per folder, not `{ recursive: true }`: on Linux,
 * Node 20's recursive watcher loses a file for good once an editor replaces
 * it by rename (vim, IDEs and deploy tools save that way).
 */
export function watchContent(
  dir: string,
  apply: (paths: string[], firstEventAt: number) => Promise<void> | void,
  settleMs = 20,
): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  let pending = new Set<string>();
  let firstEventAt = 0;
  const watchers = new Map<string, FSWatcher>();
  const realFolders = new Map<string, string>();

  async function run(): Promise<void> {
    if (running || pending.size === 0) return;
    running = true;
    const paths = [...pending];
    const since = firstEventAt;
    pending = new Set();
    try {
      await apply(paths, since);
    } catch (error) {
      console.error('update failed; still serving the previous content', error);
    } finally {
      running = false;
      if (pending.size > 0) schedule();
    }
  }

  function schedule(): void {
    clearTimeout(timer);
    timer = setTimeout(() => void run(), settleMs);
  }

  function changed(path: string): void {
    if (pending.size === 0) firstEventAt = performance.now();
    pending.add(path);
    if (!running) schedule();
  }

  function unwatch(folder: string): void {
    for (const [path, watcher] of watchers) {
      if (path === folder || path.startsWith(`${folder}/`)) {
        watcher.close();
        watchers.delete(path);
        realFolders.delete(path);
      }
    }
  }

  /** Watches `folder` and every folder below it (symlinked ones once, by real path). */
  function watchTree(folder: string): void {
    if (watchers.has(folder)) return;
    let real: string;
    try {
      real = realpathSync(folder);
    } catch {
      return;
    }
    if ([...realFolders.values()].includes(real)) return;
    let watcher: FSWatcher;
    try {
      watcher = watch(folder, (_event, name) => {
        if (!name) {
          changed(dir);
          return;
        }
        const path = join(folder, name.toString());
        changed(path);
        // A folder that appears gets its own watchers; one that goes away loses them.
        let isFolder = false;
        try {
          isFolder = statSync(path).isDirectory();
        } catch {
          unwatch(path);
        }
        if (isFolder) watchTree(path);
      });
    } catch {
      return;
    }
    watcher.on('error', () => unwatch(folder));
    watchers.set(folder, watcher);
    realFolders.set(folder, real);
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory() || (entry.isSymbolicLink() && isDirectory(path))) watchTree(path);
    }
  }

  watchTree(dir);
  return () => {
    clearTimeout(timer);
    for (const watcher of watchers.values()) watcher.close();
    watchers.clear();
  };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
