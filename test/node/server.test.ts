/**
 * Requests that fight back, against the real Node server (src/node/main.ts
 * as a child process): the same hostile requests as the in-memory test, sent
 * byte for byte over raw sockets, plus what only a socket can send (broken
 * request lines, 20 KB URLs and headers, control bytes, TLS to a plain port).
 * The server answers 4xx, never 5xx, every answer says nosniff, and it is
 * still serving afterwards.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE_REQUESTS } from '../fixtures/hostile/requests.ts';
import type { RawResponse, RunningServer } from '../support/server-process.ts';
import { rawRequest, startServer } from '../support/server-process.ts';
import { documentSource, goodFields } from '../support/source-text.ts';

function request(method: string, path: string, headers: Readonly<Record<string, string>> = {}): string {
  const lines = Object.entries({ Host: 'feeds.test', ...headers, Connection: 'close' }).map(([k, v]) => `${k}: ${v}`);
  return `${method} ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`;
}

/** Raw requests no HTTP client library would send, and the status each must get. */
const MALFORMED: readonly (readonly [string, string | Uint8Array, number])[] = [
  ['garbage request line', 'GARBAGE\r\n\r\n', 400],
  ['unknown HTTP version', 'GET / HTTP/9.9\r\nHost: x\r\n\r\n', 400],
  ['HTTP/2 preface on HTTP/1.1', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 400],
  ['TLS handshake on a plain port', new Uint8Array([0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1, 0x03, 0x03]), 400],
  ['control byte in the target', 'GET /\u0001 HTTP/1.1\r\nHost: x\r\n\r\n', 400],
  ['raw non-ASCII in the target', new Uint8Array([...new TextEncoder().encode('GET /topic/'), 0xc3, 0xa9, ...new TextEncoder().encode(' HTTP/1.1\r\nHost: x\r\n\r\n')]), 400],
  ['space inside the target', 'GET /rss.xml?limit= 3 HTTP/1.1\r\nHost: x\r\n\r\n', 400],
  ['relative target', 'GET rss.xml HTTP/1.1\r\nHost: x\r\n\r\n', 400],
  ['asterisk target with GET', 'GET * HTTP/1.1\r\nHost: x\r\n\r\n', 400],
  ['unknown method token', 'FOO / HTTP/1.1\r\nHost: x\r\n\r\n', 400],
  ['TRACK', 'TRACK / HTTP/1.1\r\nHost: x\r\n\r\n', 400],
  ['TRACE', 'TRACE / HTTP/1.1\r\nHost: x\r\n\r\n', 405],
  ['CONNECT', 'CONNECT feeds.test:443 HTTP/1.1\r\nHost: feeds.test:443\r\n\r\n', 405],
  ['missing Host on HTTP/1.1', 'GET /rss.xml HTTP/1.1\r\n\r\n', 400],
  ['invalid Host', 'GET / HTTP/1.1\r\nHost: [::1\r\n\r\n', 400],
  ['Host with a space', 'GET / HTTP/1.1\r\nHost: a b\r\n\r\n', 400],
  ['backslash in the path', 'GET /\\rss.xml HTTP/1.1\r\nHost: x\r\n\r\n', 400],
  ['header without colon', 'GET / HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n', 400],
  ['space in a header name', 'GET / HTTP/1.1\r\nHo st: x\r\n\r\n', 400],
  ['NUL in a header value', 'GET / HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n', 400],
  ['obsolete line folding', 'GET / HTTP/1.1\r\nHost: x\r\n X-Folded: y\r\n\r\n', 400],
  ['bare LF line endings', 'GET / HTTP/1.1\nHost: x\n\n', 400],
  ['negative Content-Length', 'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n', 400],
  ['Content-Length with Transfer-Encoding', 'POST /rss.xml HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n', 400],
  ['bad chunk size', 'POST /rss.xml HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', 405],
  ['20 KB URL', `GET /topic/${'a'.repeat(20 * 1024)}/rss.xml HTTP/1.1\r\nHost: x\r\n\r\n`, 431],
  ['100 KB URL', `GET /?q=${'a'.repeat(100 * 1024)} HTTP/1.1\r\nHost: x\r\n\r\n`, 431],
  ['20 KB header', `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20 * 1024)}\r\n\r\n`, 431],
  ['2,000 headers', `GET / HTTP/1.1\r\nHost: x\r\n${Array.from({ length: 2000 }, (_, i) => `X-H${i}: value-${i}`).join('\r\n')}\r\n\r\n`, 431],
  ['20 KB If-None-Match', `GET /rss.xml HTTP/1.1\r\nHost: x\r\nIf-None-Match: ${'"a",'.repeat(5000)}\r\n\r\n`, 431],
];

describe('hostile requests against the real Node server', () => {
  let root: string;
  let server: RunningServer;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'topic-feeds-server-'));
    for (const i of [1, 2, 3]) writeFileSync(join(root, `${i}.md`), documentSource(goodFields(i), `<p>Body ${i}.</p>`));
    server = await startServer({ contentDir: root, env: { WATCH: 'false' } });
  }, 90_000);

  afterAll(async () => {
    await server?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  function expectAnswered(res: RawResponse, expected: number, what: string): void {
    expect(res.status, `${what}: ${JSON.stringify(res.raw.slice(0, 200))}`).toBe(expected);
    // Node answers a Host-less HTTP/1.1 request itself, before any listener runs: a bodiless 400.
    if (what !== 'missing Host on HTTP/1.1') expect(res.headers['x-content-type-options'], what).toBe('nosniff');
  }

  it.each(HOSTILE_REQUESTS.map((r) => [r.name, r] as const))('%s', async (_name, r) => {
    const res = await rawRequest(server.port, request(r.method ?? 'GET', r.path, r.headers));
    expectAnswered(res, r.server ?? r.status, r.path.slice(0, 80));
    if (r.location !== undefined) expect(res.headers['location']).toBe(r.location);
  });

  it.each(MALFORMED.map(([name, payload, status]) => [name, payload, status] as const))('%s', async (name, payload, status) => {
    expectAnswered(await rawRequest(server.port, payload), status, name);
  });

  it('answers pipelined requests in order', async () => {
    const both = `${request('GET', '/healthz').replace('Connection: close', 'Connection: keep-alive')}${request('HEAD', '/nope')}`;
    const res = await rawRequest(server.port, both);
    expect(res.raw.match(/HTTP\/1\.1 \d{3}/g)).toEqual(['HTTP/1.1 200', 'HTTP/1.1 404']);
  });

  it('survives all of it: still running, still serving, nothing logged as an internal error', async () => {
    expect(server.child.exitCode).toBeNull();
    const health = await fetch(`${server.origin}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', documents: 3 });
    expect(server.output()).not.toMatch(/Internal error|Uncaught|ERR_/);
  });
});
