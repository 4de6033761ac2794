/**
 * Graceful shutdown on SIGTERM and SIGINT: stop accepting, let every response
 * in flight finish (a slow reader of a large feed gets all of it), close idle
 * keep-alive connections as soon as they are idle, then flush (document
 * cache, subscriber counts, whatever else registered) and exit 0. After
 * SHUTDOWN_GRACE_MS the remaining connections are cut and the flush runs
 * anyway. A second signal exits at once.
 */
import type { Server } from 'node:http';
import { Server as NetServer } from 'node:net';
import type { FrontDoor } from './front-door.ts';

/** The flush after the drain gets at most this long; the whole stop takes at most grace + this. */
export const FLUSH_TIMEOUT_MS = 5_000;

const SIGNAL_NUMBERS = { SIGINT: 2, SIGTERM: 15 } as const;
type StopSignal = keyof typeof SIGNAL_NUMBERS;

export interface ShutdownOptions {
  readonly server: Server;
  readonly door: FrontDoor;
  readonly graceMs: number;
  /** Runs first: stop watching, timers, pings. */
  readonly beforeClose?: () => void;
  /** Runs after the drain; a rejection or a timeout makes the exit code 1. */
  readonly flush: () => Promise<void>;
  readonly log?: (message: string) => void;
  /** process.exit, replaceable in tests. */
  readonly exit?: (code: number) => void;
}

export interface Shutdown {
  /** Whether a signal has been received. */
  readonly stopping: boolean;
  /** Starts the shutdown (what a signal does); resolves when `exit` has been called. */
  stop(reason: string): Promise<void>;
}

export function installShutdown(options: ShutdownOptions): Shutdown {
  const { server, door, graceMs } = options;
  const log = options.log ?? ((message: string) => console.log(message));
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let stopping: Promise<void> | undefined;

  async function stop(reason: string): Promise<void> {
    const started = performance.now();
    log(`shutting down (${reason}): ${door.inFlight} response(s) in flight, grace ${graceMs} ms`);
    try {
      options.beforeClose?.();
    } catch (error) {
      console.error('shutdown: clean-up failed', error);
    }
    door.startDraining();
    // net's close, not http's: in Node 20 http.Server.close() also runs closeIdleConnections(),
    // which destroys connections whose response is ended but not yet written out.
    const closed = new Promise<void>((resolve) => {
      if (!server.listening) resolve();
      else NetServer.prototype.close.call(server, () => resolve());
    });
    // Idle keep-alive connections go now; busy ones as soon as their responses are written (front-door.ts).
    door.closeIdle();
    let cut = false;
    const grace = setTimeout(() => {
      cut = true;
      log(`shutdown: grace period over, cutting ${door.inFlight} response(s) in flight`);
      door.closeAll();
    }, graceMs);
    await closed;
    clearTimeout(grace);
    const drainedMs = Math.round(performance.now() - started);
    let code = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        options.flush(),
        new Promise<never>((_, fail) => {
          timer = setTimeout(() => fail(new Error(`flush took longer than ${FLUSH_TIMEOUT_MS} ms`)), FLUSH_TIMEOUT_MS);
        }),
      ]);
    } catch (error) {
      code = 1;
      console.error('shutdown: flush failed', error);
    } finally {
      clearTimeout(timer);
    }
    log(`stopped: ${cut ? 'connections cut after the grace period' : 'every response finished'} in ${drainedMs} ms, flushed in ${Math.round(performance.now() - started) - drainedMs} ms`);
    exit(code);
  }

  const onSignal = (signal: StopSignal): void => {
    if (stopping) {
      log(`${signal} again: exiting now`);
      exit(128 + SIGNAL_NUMBERS[signal]);
      return;
    }
    stopping = stop(signal);
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));

  return {
    get stopping() {
      return stopping !== undefined;
    },
    stop(reason: string) {
      stopping ??= stop(reason);
      return stopping;
    },
  };
}
