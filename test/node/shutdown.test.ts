/**
 * SIGTERM/SIGINT on the real server: a slow reader of a large body gets all
 * of it and the process exits 0; an idle keep-alive connection does not hold
 * the exit up; the grace period bounds a reader that never reads; a second
 * signal exits at once. No assertion depends on how fast this machine is:
 * deadlines are hang guards only.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../support/server-process.ts';
import { sleep, startServer, waitFor } from '../support/server-process.ts';
import { documentSource, goodFields } from '../support/source-text.ts';

/** 500 documents of ~40 KB: `/feed.json?limit=500` is ~20 MB, far more than the socket buffers hold. */
const DOCUMENTS = 500;
const PARAGRAPH = `<p>${'Clinical decision support and interoperability in practice. '.repeat(12)}</p>\n`;

function bigDocument(n: number): string {
  return documentSource(goodFields(n, { lastMod: `2024-02-01T08:00:00.${String(n).padStart(6, '0')}Z` }), PARAGRAPH.repeat(55));
}

interface RawResult {
  readonly head: string;
  readonly body: Buffer;
}

/** Sends one GET and waits for the first bytes of the answer, then stops reading. */
function startSlowRead(port: number, path: string): Promise<{ socket: Socket; first: Buffer }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('error', reject);
    socket.once('data', (first: Buffer) => {
      socket.pause();
      resolve({ socket, first });
    });
    socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept-Encoding: identity\r\n\r\n`);
  });
}

/** Reads the rest slowly (64 KiB at a time, with pauses) until the server closes the connection. */
function finishSlowRead(socket: Socket, first: Buffer): Promise<RawResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [first];
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      socket.pause();
      setTimeout(() => socket.resume(), 2);
    });
    socket.on('close', () => {
      const all = Buffer.concat(chunks);
      const split = all.indexOf('\r\n\r\n');
      resolve({ head: all.subarray(0, split).toString('latin1'), body: all.subarray(split + 4) });
    });
    socket.resume();
  });
}

describe('graceful shutdown of the real server', () => {
  let root: string;
  const servers: RunningServer[] = [];
  const start = async (env: Record<string, string> = {}): Promise<RunningServer> => {
    const server = await startServer({ contentDir: root, env: { WATCH: 'false', ...env } });
    servers.push(server);
    return server;
  };

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'topic-feeds-shutdown-'));
    for (let n = 1; n <= DOCUMENTS; n += 1) writeFileSync(join(root, `doc-${n}.md`), bigDocument(n));
  });

  afterAll(async () => {
    for (const server of servers) await server.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('SIGTERM: a slow reader of /feed.json?limit=500 gets the complete body, then the process exits 0', async () => {
    const server = await start({ SHUTDOWN_GRACE_MS: '120000' });
    const { socket, first } = await startSlowRead(server.port, '/feed.json?limit=500');
    server.child.kill('SIGTERM');
    await waitFor('the shutdown to begin', async () => (/^shutting down \(SIGTERM\)/m.test(server.output()) ? true : undefined));
    // Stopped accepting: a new connection is refused while the old one is still being written.
    await expect(fetch(`${server.origin}/healthz`)).rejects.toThrow();
    const { head, body } = await finishSlowRead(socket, first);
    expect(head).toMatch(/^HTTP\/1\.1 200 /);
    const length = Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1]);
    expect(length).toBeGreaterThan(10 * 1024 * 1024);
    expect(body.byteLength).toBe(length);
    const feed = JSON.parse(body.toString('utf8')) as { items: unknown[] };
    expect(feed.items).toHaveLength(DOCUMENTS);
    expect(await server.exited).toBe(0);
    expect(server.output()).toMatch(/^shutting down \(SIGTERM\): 1 response\(s\) in flight/m);
    expect(server.output()).toMatch(/^stopped: every response finished/m);
  }, 180_000);

  it('an idle keep-alive connection does not hold the exit up (SIGINT)', async () => {
    const server = await start({ SHUTDOWN_GRACE_MS: '120000' });
    const agent = new Agent({ keepAlive: true });
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: server.port, path: '/healthz', agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(200);
    server.child.kill('SIGINT');
    expect(await server.exited, server.output()).toBe(0);
    expect(server.output()).toMatch(/^stopped: every response finished/m);
    agent.destroy();
  }, 120_000);

  it('the grace period bounds a reader that never reads: connections are cut and the process still exits 0', async () => {
    const server = await start({ SHUTDOWN_GRACE_MS: '300' });
    const { socket } = await startSlowRead(server.port, '/feed.json?limit=500');
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.output()).toMatch(/^shutdown: grace period over, cutting 1 response\(s\) in flight/m);
    socket.destroy();
  }, 120_000);

  it('a second signal exits at once', async () => {
    const server = await start({ SHUTDOWN_GRACE_MS: '120000' });
    const { socket } = await startSlowRead(server.port, '/feed.json?limit=500');
    server.child.kill('SIGTERM');
    await waitFor('the shutdown to begin', async () => (/^shutting down \(SIGTERM\)/m.test(server.output()) ? true : undefined));
    await sleep(100);
    expect(server.child.exitCode).toBeNull();
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(143);
    socket.destroy();
  }, 120_000);
});
