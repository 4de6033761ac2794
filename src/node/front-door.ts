/**
 * The one request listener of the Node server, in front of everything else:
 *
 * - while the content loads, feeds and pages get `503` with `Retry-After`
 *   and `/healthz` says `{"status":"loading"}` (so load balancers wait);
 *   `/metrics` is answered throughout;
 * - once loaded, the fast path (src/node/fast-path.ts) answers what it can,
 *   and the rest goes to the listeners the server had (the hardening guards
 *   and the Hono adapter), in their order;
 * - every response is counted when it closes (plain numbers, see
 *   metrics.ts), feed responses feed the subscriber counts, and with
 *   ACCESS_LOG=json each gets one log line;
 * - while shutting down, responses go out with `Connection: close`, and the
 *   shutdown is told when each one closes.
 *
 * Per request: one label lookup (a Map hit by URL), one shared `close`
 * listener, a few properties on the response. No closure per request.
 */
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { BASE_HEADERS, CORS_HEADERS } from '../http/headers.ts';
import { accessRecord, writeAccessLine } from './access-log.ts';
import type { FastTable } from './fast-path.ts';
import { serveFast } from './fast-path.ts';
import type { RouteLabel, ServerMetrics } from './metrics.ts';
import { SERVED_BY_INDEX, routeLabel } from './metrics.ts';
import type { SubscriberTracker } from './subscriber-tracker.ts';

/** Seconds a client is asked to wait while the content loads. */
export const LOADING_RETRY_AFTER_SECONDS = 5;

const LABEL = Symbol('route label');
const SERVED = Symbol('served by');
const STARTED = Symbol('started');
const WALL = Symbol('wall clock start');
const BYTES = Symbol('socket bytes at start');
const BUSY = Symbol('responses in progress on a connection');

interface TrackedSocket extends Socket {
  [BUSY]?: number;
}

interface Tracked extends ServerResponse {
  [LABEL]: RouteLabel;
  [SERVED]: number;
  [STARTED]: number;
  [WALL]: number;
  [BYTES]: number;
}

export interface FrontDoorOptions {
  /** The fast table of the current snapshot; undefined with FAST_PATH=false. */
  readonly table: () => FastTable | undefined;
  readonly metrics: ServerMetrics;
  readonly subscribers: SubscriberTracker;
  readonly accessLog: boolean;
}

const LOADING_HEADERS = {
  ...BASE_HEADERS,
  'Cache-Control': 'no-store',
  'Retry-After': String(LOADING_RETRY_AFTER_SECONDS),
};
const LOADING_TEXT = Buffer.from('The content is loading; try again in a few seconds.\n');
const LOADING_HEALTH = Buffer.from('{"status":"loading"}\n');

export class FrontDoor {
  private loaded = false;
  private draining = false;
  private active = 0;
  private readonly sockets = new Set<TrackedSocket>();

  /** Shared by every response (`this` is the response): counts it, and the rest. */
  private readonly closed: (this: ServerResponse) => void;

  constructor(private readonly options: FrontDoorOptions) {
    this.closed = responseClosed(this, options);
  }

  /** The content is loaded: serve it. */
  open(): void {
    this.loaded = true;
  }

  get isOpen(): boolean {
    return this.loaded;
  }

  /** Responses started and not yet closed. */
  get inFlight(): number {
    return this.active;
  }

  /** From now on every response closes its connection after it. */
  startDraining(): void {
    this.draining = true;
  }

  /** Takes over the server's request listeners: they run, in order, for what the door passes on. */
  install(server: Server): void {
    const listeners = server.listeners('request') as RequestListener[];
    server.removeAllListeners('request');
    const fallback: RequestListener = (request, response) => {
      for (const listener of listeners) listener.call(server, request, response);
    };
    const { table, accessLog } = this.options;
    // Connections are tracked here, not left to Node's closeIdleConnections(): in Node 20 that
    // (and so http.Server.close()) destroys a connection whose response is ended but still
    // being written, which cuts a slow reader's feed short.
    server.on('connection', (socket: TrackedSocket) => {
      socket[BUSY] = 0;
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      const tracked = response as Tracked;
      const label = routeLabel(request.url ?? '');
      tracked[LABEL] = label;
      tracked[STARTED] = performance.now();
      if (accessLog) {
        tracked[WALL] = Date.now();
        tracked[BYTES] = request.socket.bytesWritten;
      }
      this.active += 1;
      (request.socket as TrackedSocket)[BUSY] = ((request.socket as TrackedSocket)[BUSY] ?? 0) + 1;
      response.on('close', this.closed);
      if (this.draining) response.shouldKeepAlive = false;
      if (!this.loaded && label.kind !== 'metrics') {
        tracked[SERVED] = SERVED_BY_INDEX.loading;
        loadingResponse(request, response, label.kind === 'health');
        return;
      }
      const current = this.loaded ? table() : undefined;
      // A first request for a route not warmed may be answered a moment later, from the render store.
      if (current !== undefined && serveFast(current, request, response, fallback)) {
        tracked[SERVED] = SERVED_BY_INDEX.fast;
        return;
      }
      tracked[SERVED] = SERVED_BY_INDEX.app;
      fallback(request, response);
    });
  }

  /** For the close listener. */
  responseClosed(socket: Socket): void {
    this.active -= 1;
    const tracked = socket as TrackedSocket;
    tracked[BUSY] = Math.max(0, (tracked[BUSY] ?? 1) - 1);
    if (this.draining && tracked[BUSY] === 0) setImmediate(() => this.closeIfIdle(tracked));
  }

  /** Open connections. */
  get connections(): number {
    return this.sockets.size;
  }

  /** Closes every connection with no response in progress and nothing left to write. */
  closeIdle(): void {
    for (const socket of this.sockets) this.closeIfIdle(socket);
  }

  /** Closes every connection, finished or not (the grace period is over). */
  closeAll(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  private closeIfIdle(socket: TrackedSocket): void {
    if ((socket[BUSY] ?? 0) === 0 && socket.writableLength === 0) socket.destroy();
  }

  get isDraining(): boolean {
    return this.draining;
  }
}

function responseClosed(door: FrontDoor, { metrics, subscribers, accessLog }: FrontDoorOptions): (this: ServerResponse) => void {
  return function closed(this: ServerResponse): void {
    const response = this as Tracked;
    door.responseClosed(response.req.socket);
    const label = response[LABEL];
    const status = response.statusCode;
    const servedBy = response[SERVED];
    metrics.requests.count(servedBy, label.id, status);
    if (servedBy === SERVED_BY_INDEX.app) metrics.appSeconds.observe({ route: label.kind }, (performance.now() - response[STARTED]) / 1000);
    const request = response.req;
    if (label.kind === 'feed' && (status === 200 || status === 304) && request.url !== undefined) {
      subscribers.observe(request.url, request.headers['user-agent'], Date.now());
    }
    if (accessLog) {
      writeAccessLine(accessRecord(request, response, response[WALL], performance.now() - response[STARTED], request.socket.bytesWritten - response[BYTES]));
    }
  };
}

function loadingResponse(request: IncomingMessage, response: ServerResponse, health: boolean): void {
  const body = health ? LOADING_HEALTH : LOADING_TEXT;
  response.writeHead(503, {
    ...LOADING_HEADERS,
    ...(health ? CORS_HEADERS : {}),
    'Content-Type': health ? 'application/json' : 'text/plain; charset=utf-8',
    'Content-Length': String(body.byteLength),
  });
  response.end(request.method === 'HEAD' ? undefined : body);
}
