/**
 * Answers for requests that never reach the Hono app because Node's HTTP
 * parser rejects them first (a malformed request line, a 20 KB URL or header,
 * a bare CR), or because Node routes them elsewhere (CONNECT), or that the
 * adapter rejects before calling the app. Node's defaults send a bare status
 * line, or for CONNECT close the socket without a word; these keep the
 * status codes and add the headers every response of ours carries.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { ALLOWED_METHODS, BASE_HEADERS } from '../http/headers.ts';

const REASONS: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  413: 'Content Too Large',
  431: 'Request Header Fields Too Large',
};

/** The status Node itself would pick for a parser error (see `_http_server.js`). */
export function clientErrorStatus(code: string | undefined): number {
  if (code === 'HPE_HEADER_OVERFLOW') return 431;
  if (code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW') return 413;
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return 408;
  return 400;
}

export function bareResponse(status: number, extra: Readonly<Record<string, string>> = {}): string {
  const headers = { ...BASE_HEADERS, ...extra, 'Content-Length': '0', Connection: 'close' };
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  return `HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}\r\n${lines.join('\r\n')}\r\n\r\n`;
}

export function guardServer(server: Server): void {
  // Set before the adapter's listener runs, so the 400s @hono/node-server
  // writes on its own (bad Host, backslash in the path) carry them too;
  // writeHead merges these with the app's own headers.
  server.prependListener('request', (_request: IncomingMessage, response: ServerResponse) => {
    for (const [name, value] of Object.entries(BASE_HEADERS)) response.setHeader(name, value);
  });
  server.on('clientError', (error: Error & { code?: string }, socket: Duplex) => {
    // A reset peer cannot be answered; a socket already answering must not get a second status line.
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    socket.end(bareResponse(clientErrorStatus(error.code)));
  });
  server.on('connect', (_request: IncomingMessage, socket: Duplex) => {
    socket.end(bareResponse(405, { Allow: ALLOWED_METHODS }));
  });
}
