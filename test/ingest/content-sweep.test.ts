/**
 * The sweep that sanitizes a static build's documents just ahead of the
 * archive pages that show them and drops them after the last one.
 */
import { describe, expect, it } from 'vitest';
import type { ContentHolder } from '../../src/ingest/content-sweep.ts';
import { ContentSweep } from '../../src/ingest/content-sweep.ts';

/** A holder that records what it holds, how often each file was made, and the most it held at once. */
function recordingHolder(initial: Iterable<string> = []): ContentHolder & { held: Set<string>; made: Map<string, number>; most: number; gate?: Promise<void>; fail?: string } {
  const holder = {
    held: new Set(initial),
    made: new Map<string, number>(),
    most: 0,
    gate: undefined as Promise<void> | undefined,
    fail: undefined as string | undefined,
    async hold(files: readonly string[]) {
      await holder.gate;
      if (holder.fail !== undefined && files.includes(holder.fail)) throw new Error(`cannot read ${holder.fail}`);
      for (const file of files) {
        holder.held.add(file);
        holder.made.set(file, (holder.made.get(file) ?? 0) + 1);
      }
      holder.most = Math.max(holder.most, holder.held.size);
    },
    release(files: readonly string[]) {
      for (const file of files) holder.held.delete(file);
    },
  };
  return holder;
}

/** Renders the steps in order the way a build does, checking each page finds its documents held. */
async function run(sweep: ContentSweep, steps: readonly (readonly string[])[], holder: { held: Set<string> }): Promise<void> {
  sweep.start();
  for (const [i, files] of steps.entries()) {
    await sweep.before(i);
    for (const file of files) expect(holder.held.has(file), `step ${i}: ${file}`).toBe(true);
    sweep.after(i);
  }
}

/** Pages of a made-up archive: `scopes` scopes over `documents` documents, `size` per page, newest first. */
function pages(documents: number, scopes: number, size: number, seed = 7): string[][] {
  let state = seed;
  const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const byScope: number[][] = Array.from({ length: scopes }, () => []);
  for (let doc = documents - 1; doc >= 0; doc--) {
    byScope[0]!.push(doc);
    for (let scope = 1; scope < scopes; scope++) if (random() < 0.3) byScope[scope]!.push(doc);
  }
  const steps: { newest: number; files: string[] }[] = [];
  for (const docs of byScope) {
    for (let end = docs.length; end - size >= 0; end -= size) {
      const page = docs.slice(end - size, end);
      steps.push({ newest: page[0]!, files: page.map((doc) => `doc-${doc}.md`) });
    }
  }
  return steps.sort((a, b) => b.newest - a.newest).map((step) => step.files);
}

describe('ContentSweep', () => {
  it('holds each page’s documents when it renders, makes each document once, and drops it after its last page', async () => {
    const steps = pages(2000, 6, 20);
    const holder = recordingHolder();
    const sweep = new ContentSweep(holder, steps, new Set(), { batch: 25, lookahead: 100 });
    const all = new Set(steps.flat());
    expect(sweep.toMake).toBe(all.size);
    await run(sweep, steps, holder);
    expect(holder.made.size).toBe(all.size);
    expect([...holder.made.values()].every((times) => times === 1)).toBe(true);
    expect(holder.held.size).toBe(0);
    // Memory follows the sweep, not the site: far fewer than all 2000 at once.
    expect(holder.most).toBeLessThan(all.size / 4);
  });

  it('keeps what was held before (the windows) until its last page, and drops the rest when the sweep begins', async () => {
    const steps = [['a', 'b'], ['c', 'd'], ['e', 'a']];
    const holder = recordingHolder(['a', 'w']);
    const sweep = new ContentSweep(holder, steps, new Set(['a', 'w']), { batch: 1, lookahead: 1 });
    expect(sweep.toMake).toBe(4); // b, c, d, e: 'a' is held already
    sweep.start();
    expect(holder.held.has('w')).toBe(true);
    await sweep.before(0);
    expect(holder.held.has('w')).toBe(false);
    expect(holder.held.has('a')).toBe(true);
    sweep.after(0);
    expect(holder.held.has('b')).toBe(false);
    await sweep.before(1);
    sweep.after(1);
    await sweep.before(2);
    expect(holder.held.has('a')).toBe(true);
    sweep.after(2);
    expect(holder.held.size).toBe(0);
    // Held ones are not made again.
    expect(holder.made.has('a')).toBe(false);
  });

  it('waits for documents still being made, and reports a failure to make them from the page that needs them', async () => {
    const steps = [['a'], ['b'], ['c']];
    const holder = recordingHolder();
    let open!: () => void;
    holder.gate = new Promise((resolve) => (open = resolve));
    holder.fail = 'c';
    const sweep = new ContentSweep(holder, steps, new Set(), { batch: 1, lookahead: 3 });
    sweep.start();
    let ready = false;
    const first = sweep.before(0).then(() => (ready = true));
    await Promise.resolve();
    expect(ready).toBe(false);
    open();
    await first;
    expect(holder.held.has('a')).toBe(true);
    sweep.after(0);
    await sweep.before(1);
    sweep.after(1);
    // 'c' was requested ahead and failed then; the failure surfaces here, not as an unhandled rejection.
    await expect(sweep.before(2)).rejects.toThrow('cannot read c');
  });
});
