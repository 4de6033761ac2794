/**
 * ACCESS_LOG=json: one JSON object per request, on its own line on stdout,
 * written when the response is finished (or the connection dropped).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Longest User-Agent and path written; the rest is cut and marked with `…`. */
export const MAX_LOGGED_USER_AGENT = 256;
export const MAX_LOGGED_PATH = 2048;

export interface AccessRecord {
  /** ISO 8601, when the request arrived. */
  readonly time: string;
  readonly method: string;
  /** The request target as sent (path and query), cut at MAX_LOGGED_PATH. */
  readonly path: string;
  readonly status: number;
  /** Bytes written to the connection for this response, headers included. */
  readonly bytes: number;
  readonly durationMs: number;
  readonly ua: string;
  readonly remote: string;
  /** False when the client went away before the response was finished. */
  readonly completed: boolean;
}

const cut = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max)}…` : text);

export function accessRecord(
  request: IncomingMessage,
  response: ServerResponse,
  startedAtMs: number,
  durationMs: number,
  bytes: number,
): AccessRecord {
  return {
    time: new Date(startedAtMs).toISOString(),
    method: request.method ?? '',
    path: cut(request.url ?? '', MAX_LOGGED_PATH),
    status: response.statusCode,
    bytes,
    durationMs: Math.round(durationMs * 100) / 100,
    ua: cut(request.headers['user-agent'] ?? '', MAX_LOGGED_USER_AGENT),
    remote: request.socket.remoteAddress ?? '',
    completed: response.writableFinished,
  };
}

export function writeAccessLine(record: AccessRecord, write: (line: string) => void = (line) => process.stdout.write(line)): void {
  write(`${JSON.stringify(record)}\n`);
}
