/**
 * Sanitized content for a static build that renders archive pages in time
 * order (publish/published-routes.ts `archiveSweep`): each document's content
 * is made on the parse threads a little ahead of the first page that shows
 * it, while this thread renders, and dropped after the last page that shows
 * it. Memory holds the feed windows, the lookahead and the pages in flight,
 * not every document of the site.
 */

/** Where the content lives (the content store); `hold` makes what is missing. */
export interface ContentHolder {
  hold(files: readonly string[]): Promise<void>;
  release(files: readonly string[]): void;
}

export interface SweepOptions {
  /** Documents per request to the holder (one batch of work for the parse threads). */
  readonly batch?: number;
  /** Documents whose content may be made before a page needs them. */
  readonly lookahead?: number;
}

const DEFAULT_BATCH = 400;
const DEFAULT_LOOKAHEAD = 4000;

export class ContentSweep {
  /** The documents new to the sweep, in the order pages first show them, cut into requests. */
  private readonly chunks: string[][] = [];
  /** Per step: the last request whose documents it needs (nondecreasing; -1: none). */
  private readonly needs: number[] = [];
  /** Per step: documents no later step shows. */
  private readonly lastUsers: string[][];
  /** Held before the sweep (the windows) and shown by no step: dropped when the sweep begins. */
  private readonly unused: string[] = [];
  private readonly requests: Promise<void>[] = [];
  private readonly ahead: number;
  private awaited = -1;

  /**
   * `steps`: the files each page shows, in render order. `held`: files whose
   * content is already held (the feed windows, for the routes rendered first).
   */
  constructor(
    private readonly holder: ContentHolder,
    steps: readonly (readonly string[])[],
    held: ReadonlySet<string>,
    options: SweepOptions = {},
  ) {
    const batch = Math.max(1, options.batch ?? DEFAULT_BATCH);
    this.ahead = Math.max(1, Math.ceil((options.lookahead ?? DEFAULT_LOOKAHEAD) / batch));
    const lastUse = new Map<string, number>();
    steps.forEach((files, step) => {
      for (const file of files) lastUse.set(file, step);
    });
    this.lastUsers = steps.map(() => []);
    for (const [file, step] of lastUse) this.lastUsers[step]!.push(file);
    for (const file of held) if (!lastUse.has(file)) this.unused.push(file);

    const seen = new Set(held);
    let open: string[] = [];
    let need = -1;
    for (const files of steps) {
      for (const file of files) {
        if (seen.has(file)) continue;
        seen.add(file);
        need = this.chunks.length;
        open.push(file);
        if (open.length >= batch) {
          this.chunks.push(open);
          open = [];
        }
      }
      this.needs.push(need);
    }
    if (open.length > 0) this.chunks.push(open);
  }

  /** Documents the sweep will have made (those not held before it). */
  get toMake(): number {
    return this.chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  }

  /** Starts making the first pages' content (call before rendering the routes that come first). */
  start(): void {
    this.request(this.ahead - 1);
  }

  /** Resolves when step `step`'s documents hold their content; keeps the lookahead going. */
  async before(step: number): Promise<void> {
    if (step === 0) this.holder.release(this.unused.splice(0));
    const need = this.needs[step] ?? -1;
    this.request(need + this.ahead);
    while (this.awaited < need) {
      this.awaited += 1;
      await this.requests[this.awaited];
    }
  }

  /** Step `step` is rendered: drops the content no later step shows. */
  after(step: number): void {
    const done = this.lastUsers[step];
    if (done && done.length > 0) this.holder.release(done);
  }

  /** Requests chunks up to `last` (inclusive) not requested yet. */
  private request(last: number): void {
    while (this.requests.length <= last && this.requests.length < this.chunks.length) {
      const request = this.holder.hold(this.chunks[this.requests.length]!);
      // Awaited in `before`; until then a failure must not count as unhandled.
      request.catch(() => undefined);
      this.requests.push(request);
    }
  }
}
