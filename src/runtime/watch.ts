import { watch } from 'node:fs';
import { join } from 'node:path';

/**
 * Calls `apply` with the paths that changed under `dir` once events settle
 * (editors write a file in several steps; 20 ms covers them and keeps an
 * edit live within a frame or two). Calls never overlap: paths that change
 * during one are collected for exactly one more. An event without a file
 * name means "something changed": `dir` itself is passed, which rescans.
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

  const watcher = watch(dir, { recursive: true }, (_event, name) => {
    if (pending.size === 0) firstEventAt = performance.now();
    pending.add(name ? join(dir, name.toString()) : dir);
    if (!running) schedule();
  });
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}
