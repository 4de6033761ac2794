import { watch } from 'node:fs';

/**
 * Calls `reload` after changes under `dir` settle. Reloads never overlap: a
 * change during a reload schedules exactly one more.
 */
export function watchContent(dir: string, reload: () => Promise<void>, settleMs = 150): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  let pending = false;

  async function run(): Promise<void> {
    if (running) {
      pending = true;
      return;
    }
    running = true;
    try {
      await reload();
    } catch (error) {
      console.error('reload failed; still serving the previous content', error);
    } finally {
      running = false;
      if (pending) {
        pending = false;
        void run();
      }
    }
  }

  const watcher = watch(dir, { recursive: true }, () => {
    clearTimeout(timer);
    timer = setTimeout(() => void run(), settleMs);
  });
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}
