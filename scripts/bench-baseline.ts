/**
 * The benchmark's reference server: plain node:http answering one path from
 * Buffers, with the same headers the real server sent (captured by
 * bench.ts). This is the ceiling: no routing, no validators, no rendering.
 *
 *   node --import tsx scripts/bench-baseline.ts SPEC.json
 * Prints `listening <port>` once ready.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

export interface BaselineVariant {
  readonly headers: string[];
  /** base64 */
  readonly body: string;
}

export interface BaselineSpec {
  readonly path: string;
  readonly etag: string;
  readonly identity: BaselineVariant;
  readonly gzip: BaselineVariant;
  readonly notModified: string[];
}

const spec = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as BaselineSpec;
const identity = Buffer.from(spec.identity.body, 'base64');
const gzip = Buffer.from(spec.gzip.body, 'base64');

const server = createServer((request, response) => {
  if (request.url !== spec.path) {
    response.writeHead(404);
    response.end();
    return;
  }
  if (request.headers['if-none-match'] === spec.etag) {
    response.writeHead(304, spec.notModified);
    response.end();
  } else if (request.headers['accept-encoding']?.includes('gzip')) {
    response.writeHead(200, spec.gzip.headers);
    response.end(gzip);
  } else {
    response.writeHead(200, spec.identity.headers);
    response.end(identity);
  }
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(`listening ${typeof address === 'object' && address ? address.port : 0}`);
});
