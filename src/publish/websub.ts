/**
 * WebSub publish pings: the de-facto `hub.mode=publish` POST, with the changed
 * feed URLs as repeated `hub.url` fields. Fire and forget: failures are
 * retried with exponential backoff and logged, and never block serving.
 */
export interface WebSubOptions {
  readonly hub: string;
  readonly fetch?: typeof fetch;
  readonly log?: (message: string) => void;
  /** Attempts per batch, the first included. */
  readonly attempts?: number;
  readonly baseDelayMs?: number;
  /** URLs per request; hubs cap the request size. */
  readonly batchSize?: number;
  readonly timeoutMs?: number;
  /**
   * Told of every outcome (metrics): `sent` when a batch was accepted,
   * `attempt-failed` for each failed try, `gave-up` when a batch ran out of tries.
   */
  readonly onOutcome?: (outcome: WebSubOutcome, urls: number) => void;
}

export type WebSubOutcome = 'sent' | 'attempt-failed' | 'gave-up';

export class WebSubPublisher {
  private readonly fetchImpl: typeof fetch;
  private readonly log: (message: string) => void;
  private pending: Promise<void> = Promise.resolve();

  constructor(private readonly options: WebSubOptions) {
    this.fetchImpl = options.fetch ?? fetch;
    this.log = options.log ?? ((message) => console.log(message));
  }

  /** Queues pings for `urls`; batches go out in order, one at a time. */
  publish(urls: readonly string[]): Promise<void> {
    if (urls.length === 0) return this.pending;
    const size = this.options.batchSize ?? 50;
    for (let i = 0; i < urls.length; i += size) {
      const batch = urls.slice(i, i + size);
      this.pending = this.pending.then(() => this.send(batch));
    }
    return this.pending;
  }

  /** Resolves when every queued ping has succeeded or given up. */
  idle(): Promise<void> {
    return this.pending;
  }

  private async send(urls: readonly string[]): Promise<void> {
    const attempts = this.options.attempts ?? 5;
    const base = this.options.baseDelayMs ?? 1000;
    const body = new URLSearchParams([['hub.mode', 'publish'], ...urls.map((url): [string, string] => ['hub.url', url])]);
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const response = await this.fetchImpl(this.options.hub, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body,
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
        });
        await response.body?.cancel();
        if (response.ok) {
          this.log(`websub: pinged ${this.options.hub} for ${urls.length} feed(s)`);
          this.options.onOutcome?.('sent', urls.length);
          return;
        }
        this.log(`websub: hub answered ${response.status} (attempt ${attempt}/${attempts})`);
      } catch (error) {
        this.log(`websub: ping failed: ${error instanceof Error ? error.message : String(error)} (attempt ${attempt}/${attempts})`);
      }
      this.options.onOutcome?.('attempt-failed', urls.length);
      if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, base * 2 ** (attempt - 1)));
    }
    this.options.onOutcome?.('gave-up', urls.length);
    this.log(`websub: giving up on ${urls.length} feed URL(s) after ${attempts} attempts`);
  }
}
