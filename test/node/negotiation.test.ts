/**
 * Real clients' request headers (test/fixtures/clients.ts, with sources)
 * against the real server: the fast path and the app must agree that only a
 * browser's navigation gets the HTML preview. Every reader, fetcher and
 * script gets the feed, whatever it puts in Accept or User-Agent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCEPT_GUESSES, CLIENTS } from '../fixtures/clients.ts';
import type { ClientRequest } from '../fixtures/clients.ts';
import type { RunningServer } from '../support/server-process.ts';
import { REPO_ROOT, startServer } from '../support/server-process.ts';
import { httpRequest } from '../support/corpus.ts';

const FEED_TYPES = /^application\/(rss\+xml|atom\+xml|feed\+json); charset=utf-8$/;

function requests(client: ClientRequest): { label: string; headers: Record<string, string> }[] {
  const accepts = client.accept === 'unpublished' ? ACCEPT_GUESSES : [client.accept];
  return accepts.map((accept) => ({
    label: `${client.name} (Accept: ${accept ?? 'none'})`,
    headers: { ...client.headers, ...(accept === undefined ? {} : { Accept: accept }) },
  }));
}

describe('negotiation with real clients, over HTTP', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ contentDir: `${REPO_ROOT}content`, env: { WATCH: 'false' } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  const cases = CLIENTS.flatMap((client) => requests(client).map((request) => ({ ...request, client })));

  it.each(cases.map((c) => [c.label, c] as const))('%s', async (_label, { client, headers }) => {
    for (const path of ['/rss.xml', '/feed.json', '/topic/healthcare-it-news-cybersecurity/atom.xml']) {
      // Twice: the second answer may come from the fast path's rendered bytes.
      for (let round = 0; round < 2; round++) {
        // node:http, not fetch(): undici drops the Sec-Fetch-* headers a browser sends.
        const res = await httpRequest(Number(new URL(server.origin).port), path, { headers });
        expect(res.status, path).toBe(200);
        expect(res.headers['vary'], path).toBe('Accept, Sec-Fetch-Dest, Sec-Fetch-Mode, Accept-Encoding');
        if (client.kind === 'navigation') expect(res.headers['content-type'], path).toBe('text/html; charset=utf-8');
        else expect(res.headers['content-type'], path).toMatch(FEED_TYPES);
      }
    }
  });

  it('covers readers, fetchers dressed as browsers, scripts and real navigations', () => {
    const kinds = new Set(CLIENTS.map((client) => client.kind));
    expect([...kinds].sort()).toEqual(['fetcher', 'navigation', 'reader', 'subresource']);
    for (const name of ['Miniflux', 'FreshRSS', 'feedparser', 'NetNewsWire', 'Feedly', 'Inoreader', 'Newsboat', 'Zapier', 'IFTTT']) {
      expect(CLIENTS.some((client) => client.name.toLowerCase().includes(name.toLowerCase())), name).toBe(true);
    }
  });
});
