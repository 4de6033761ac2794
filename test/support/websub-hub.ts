/**
 * A minimal WebSub hub for tests, run as its own process on loopback. It
 * accepts publish pings as the de-facto protocol has them (form-encoded
 * `hub.mode=publish` with one or more `hub.url`), answers 204, and records
 * them; GET /pings returns what it received. `--fail N` answers the first N
 * pings with 503 to exercise retries.
 */
import { createServer } from 'node:http';

const failArg = process.argv.indexOf('--fail');
let failuresLeft = failArg > 0 ? Number(process.argv[failArg + 1]) : 0;
const pings: { urls: string[]; at: number }[] = [];
let attempts = 0;

const server = createServer((request, response) => {
  if (request.method === 'GET' && request.url === '/pings') {
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify({ pings, attempts }));
    return;
  }
  if (request.method !== 'POST') {
    response.writeHead(405, { Allow: 'POST' }).end();
    return;
  }
  let body = '';
  request.setEncoding('utf8');
  request.on('data', (chunk: string) => {
    body += chunk;
  });
  request.on('end', () => {
    attempts += 1;
    const form = new URLSearchParams(body);
    const urls = form.getAll('hub.url');
    const valid =
      request.headers['content-type']?.startsWith('application/x-www-form-urlencoded') === true &&
      form.get('hub.mode') === 'publish' &&
      urls.length > 0 &&
      urls.every((url) => /^https?:\/\//.test(url));
    if (!valid) {
      response.writeHead(400).end('bad publish ping');
      return;
    }
    if (failuresLeft > 0) {
      failuresLeft -= 1;
      response.writeHead(503).end('try later');
      return;
    }
    pings.push({ urls, at: Date.now() });
    response.writeHead(204).end();
  });
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object') console.log(`hub listening on ${address.port}`);
});
