/**
 * Requests that fight back, in memory (`app.request`): each hostile request
 * gets its documented 4xx (or correct handling), never a 5xx, and every
 * response carries the security headers that apply to it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { HOSTILE_REQUESTS, KNOWN_TOPIC } from '../fixtures/hostile/requests.ts';
import { appFromSources } from '../support/feeds-app.ts';
import { documentSource, goodFields } from '../support/source-text.ts';

export function hostileApp(): Hono {
  const sources = [1, 2, 3].map((i) => ({ file: `${i}.md`, contents: documentSource(goodFields(i), `<p>Body ${i}.</p>`) }));
  return appFromSources(sources).app;
}

/** The headers every response of the app must carry, whatever its status. */
export function expectSecurityHeaders(res: Response, path: string): void {
  expect(res.headers.get('x-content-type-options'), `${res.status} ${path}`).toBe('nosniff');
  const type = res.headers.get('content-type') ?? '';
  if (res.status === 200 && type.startsWith('text/html')) {
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/script-src|unsafe-inline|unsafe-eval/);
    expect(csp).toContain("base-uri 'none'");
    // The index's topic filter is a GET form to this site; nowhere else.
    expect(csp).toContain("form-action 'self'");
  }
  if (res.status === 405) expect(res.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
  if (res.status === 301) expect(res.headers.get('location')).toMatch(/^\/(?!\/)/);
}

describe('hostile requests via app.request', () => {
  let app: Hono;
  beforeAll(() => {
    app = hostileApp();
  });

  it.each(HOSTILE_REQUESTS.map((r) => [r.name, r] as const))('%s', async (_name, r) => {
    const res = await app.request(r.path, { method: r.method ?? 'GET', ...(r.headers && { headers: r.headers }) });
    expect(res.status).toBe(r.status);
    if (r.location !== undefined) expect(res.headers.get('location')).toBe(r.location);
    expectSecurityHeaders(res, r.path);
    const body = await res.text();
    if (r.method === 'HEAD' || res.status === 301 || res.status === 204) expect(body).toBe('');
    // A 4xx says why, in plain text, without echoing 10 KB back.
    if (res.status >= 400 && r.method !== 'HEAD') {
      expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(body.length).toBeGreaterThan(10);
      expect(body.length).toBeLessThan(400);
    }
  });

  it('a redirect with an escape lands on a canonical URL that serves (no redirect loop)', async () => {
    const first = await app.request('/topic/Example-Wire-Safet%79/rss.xml');
    const location = first.headers.get('location') ?? '';
    const second = await app.request(location);
    expect(second.status).toBe(200);
  });
});

describe('security headers', () => {
  let app: Hono;
  let etag: string;
  beforeAll(async () => {
    app = hostileApp();
    etag = (await app.request('/rss.xml')).headers.get('etag') ?? '';
  });

  const FEEDS = ['/rss.xml', '/atom.xml', '/feed.json', `/topic/${KNOWN_TOPIC}/rss.xml`, `/topic/${KNOWN_TOPIC}/atom.xml`, `/topic/${KNOWN_TOPIC}/feed.json`];

  it.each(FEEDS)('%s carries nosniff and Access-Control-Allow-Origin: * on 200, HEAD and 304', async (path) => {
    const get = await app.request(path);
    const tag = get.headers.get('etag') ?? '';
    const head = await app.request(path, { method: 'HEAD' });
    const notModified = await app.request(path, { headers: { 'If-None-Match': tag } });
    expect([get.status, head.status, notModified.status]).toEqual([200, 200, 304]);
    for (const res of [get, head, notModified]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
    }
  });

  it('topics.json and healthz are readable cross-origin', async () => {
    for (const path of ['/topics.json', '/healthz']) {
      const res = await app.request(path);
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it.each(['/', `/topic/${KNOWN_TOPIC}/`, '/rss.xml?view=html', `/topic/${KNOWN_TOPIC}/feed.json?view=html`])(
    'HTML page %s has a strict Content-Security-Policy and nosniff',
    async (path) => {
      const res = await app.request(path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expectSecurityHeaders(res, path);
      // The policy forbids every script; the page has none to need it.
      expect(await res.text()).not.toMatch(/<script/i);
    },
  );

  it('nosniff is on 304, 301, 400, 404, 405 and 204 responses too', async () => {
    const responses = [
      await app.request('/rss.xml', { headers: { 'If-None-Match': etag } }),
      await app.request('/topic/Example-Wire-Safety/rss.xml'),
      await app.request('/rss.xml?limit=-1'),
      await app.request('/topic/none/rss.xml'),
      await app.request('/rss.xml', { method: 'PUT' }),
      await app.request('/rss.xml', { method: 'OPTIONS' }),
    ];
    expect(responses.map((r) => r.status)).toEqual([304, 301, 400, 404, 405, 204]);
    for (const res of responses) expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
