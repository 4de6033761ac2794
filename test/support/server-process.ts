/**
 * The real Node server (src/node/main.ts) as a child process on a free
 * port, for tests and the soak script: what `npm start` runs, minus npm.
 * `node --import tsx` keeps it one process, so its pid is the server's (RSS
 * samples in /proc/<pid>/status are the server's own).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ServerOptions {
  readonly contentDir: string;
  /** Extra environment, e.g. { WATCH: 'false' }. */
  readonly env?: Readonly<Record<string, string>>;
  readonly startTimeoutMs?: number;
  /**
   * Resolve once the port is open (`listening`, printed before the content is
   * loaded; requests get 503 until then) or once every fixed route is rendered
   * (`ready`, the default).
   */
  readonly until?: 'listening' | 'ready';
}

export interface RunningServer {
  readonly port: number;
  readonly origin: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Everything the server printed so far (stdout and stderr, in order). */
  output(): string;
  /** Lines of output that match, e.g. /^reloaded/. */
  lines(pattern: RegExp): string[];
  /** Resolves with the exit code (or signal) once the process has exited. */
  readonly exited: Promise<number | string>;
  stop(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  // A private document cache: parallel test servers must not share (or race on) the default one.
  const cacheDir = mkdtempSync(join(tmpdir(), 'topic-feeds-cache-'));
  // A private state folder too (the first-seen ledger), unless the test keeps one across restarts.
  const stateDir = options.env?.STATE_DIR === undefined ? mkdtempSync(join(tmpdir(), 'topic-feeds-state-')) : undefined;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/node/main.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      SITE_URL: 'http://feeds.test',
      CONTENT_DIR: options.contentDir,
      CACHE_DIR: cacheDir,
      ...(stateDir === undefined ? {} : { STATE_DIR: stateDir }),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.on('exit', () => {
    rmSync(cacheDir, { recursive: true, force: true });
    if (stateDir !== undefined) rmSync(stateDir, { recursive: true, force: true });
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));

  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  let port: number | undefined;
  while (port === undefined) {
    const match = /serving \S+ on http:\/\/[^:/]+:(\d+)\//.exec(output);
    if (match) port = Number(match[1]);
    else if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode} before listening:\n${output}`);
    else if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not start in time:\n${output}`);
    } else await sleep(50);
  }
  while ((options.until ?? 'ready') === 'ready' && !/^ready: /m.test(output)) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode} before ready:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server was not ready in time:\n${output}`);
    }
    await sleep(50);
  }
  const pid = child.pid ?? -1;
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    pid,
    child,
    output: () => output,
    lines: (pattern) => output.split('\n').filter((line) => pattern.test(line)),
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it returns a value other than undefined, or fails with `what`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 20_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await sleep(everyMs);
  }
}

/** Resident set size of a process in bytes (Linux /proc), or undefined elsewhere. */
export function residentBytes(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

export interface RawResponse {
  /** e.g. `HTTP/1.1 400 Bad Request`, or '' when the server closed without answering. */
  readonly statusLine: string;
  readonly status: number | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly raw: string;
}

/**
 * Writes bytes to a fresh TCP connection and reads until the server closes it
 * or `idleMs` pass: for requests no HTTP client would send (bad request lines,
 * huge headers, raw control bytes).
 */
export function rawRequest(port: number, payload: string | Uint8Array, idleMs = 1_500): Promise<RawResponse> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      socket.destroy();
      const raw = Buffer.concat(chunks).toString('latin1');
      const head = raw.split('\r\n\r\n')[0] ?? '';
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of headerLines) {
        const at = line.indexOf(':');
        if (at > 0) headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
      }
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1];
      resolve({ statusLine, status: status === undefined ? undefined : Number(status), headers, raw });
    };
    let timer = setTimeout(finish, idleMs);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      clearTimeout(timer);
      timer = setTimeout(finish, 300);
    });
    socket.on('error', finish);
    socket.on('close', finish);
    socket.write(payload);
  });
}
