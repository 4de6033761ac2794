import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PREVIEW_HEADERS, PREVIEW_VARY, type PreviewHeaders, prefersHtml, wantsPreview } from '../../src/http/negotiate.ts';
import { ACCEPT_GUESSES, CLIENTS, type ClientRequest, FORGED_NAVIGATION } from '../fixtures/clients.ts';

type HeaderMap = Readonly<Record<string, string | undefined>>;

/** `Sec-Fetch-Dest` -> `secFetchDest`: the key the header would have in wantsPreview's argument. */
const keyOf = (name: string): string => name.toLowerCase().replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/**
 * What the HTTP layer would pass: every request header, under its camelCase
 * key. wantsPreview gets them all, so if it ever starts reading one that
 * PREVIEW_VARY does not name, the tests below see it.
 */
function input(headers: HeaderMap): PreviewHeaders {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) out[keyOf(name)] = value;
  return out;
}

interface Case {
  readonly label: string;
  readonly client: ClientRequest;
  readonly headers: HeaderMap;
}

/** One case per row, or one per guessed Accept where the real one is unpublished. */
function cases(clients: readonly ClientRequest[]): Case[] {
  return clients.flatMap((client) =>
    client.accept === 'unpublished'
      ? ACCEPT_GUESSES.map((accept) => ({
          label: `${client.name} [Accept: ${accept ?? '(none)'}]`,
          client,
          headers: { ...client.headers, Accept: accept },
        }))
      : [{ label: client.name, client, headers: { ...client.headers, Accept: client.accept } }],
  );
}

const ALL = cases(CLIENTS);
const of = (...kinds: ClientRequest['kind'][]) => ALL.filter((c) => kinds.includes(c.client.kind)).map((c) => [c.label, c] as const);
const VARY = new Set(PREVIEW_HEADERS.map((name) => name.toLowerCase()));

describe('wantsPreview: real clients', () => {
  it.each(of('reader', 'fetcher'))('%s gets the feed', (_, c) => {
    expect(wantsPreview(input(c.headers))).toBe(false);
  });

  it.each(of('navigation'))('%s gets the HTML preview', (_, c) => {
    expect(wantsPreview(input(c.headers))).toBe(true);
  });

  it.each(of('subresource'))('%s gets the feed', (_, c) => {
    expect(wantsPreview(input(c.headers))).toBe(false);
  });

  it('covers every client the table promises', () => {
    const names = CLIENTS.map((c) => c.name).join('\n');
    for (const name of ['Miniflux', 'FreshRSS', 'feedparser', 'NetNewsWire', 'Feedly', 'Inoreader', 'Newsboat', 'Zapier', 'IFTTT', 'curl', 'Chrome', 'Firefox', 'Safari']) {
      expect(names).toContain(name);
    }
    for (const c of CLIENTS) expect(c.source.length).toBeGreaterThan(10);
  });

  it('fixes the clients the Accept-only rule got wrong', () => {
    // Each of these prefers HTML by Accept, so `prefersHtml` alone sent them the preview.
    const fooled = ALL.filter((c) => c.client.kind !== 'navigation' && prefersHtml(c.headers['Accept'])).map((c) => c.label);
    expect(fooled).toEqual(
      expect.arrayContaining([
        'fetcher copying Chrome Accept + UA, no Fetch Metadata',
        'fetcher copying Firefox Accept + UA, no Fetch Metadata',
        'Chrome 80+ iframe',
        'Chrome fetch() asking for text/html',
      ]),
    );
    for (const c of ALL.filter((x) => x.client.kind !== 'navigation')) expect(wantsPreview(input(c.headers)), c.label).toBe(false);
  });

  it('cannot tell a client that forges Fetch Metadata from a browser (it can ask for ?view=feed)', () => {
    expect(wantsPreview(input({ ...FORGED_NAVIGATION.headers, Accept: FORGED_NAVIGATION.accept }))).toBe(true);
  });
});

describe('wantsPreview: the rule', () => {
  const chrome = ALL.find((c) => c.client.name === 'Chrome 150 navigation');
  if (!chrome) throw new Error('Chrome navigation row missing');

  it('needs Sec-Fetch-Dest: document, Sec-Fetch-Mode: navigate and an HTML-first Accept, all three', () => {
    const base = chrome.headers;
    expect(wantsPreview(input(base))).toBe(true);
    expect(wantsPreview(input({ ...base, 'Sec-Fetch-Dest': undefined }))).toBe(false);
    expect(wantsPreview(input({ ...base, 'Sec-Fetch-Mode': undefined }))).toBe(false);
    expect(wantsPreview(input({ ...base, Accept: '*/*' }))).toBe(false);
    expect(wantsPreview(input({ ...base, Accept: undefined }))).toBe(false);
  });

  it.each(['iframe', 'frame', 'embed', 'object', 'empty', 'fencedframe', 'Document', 'document, document', ''])('Sec-Fetch-Dest: %j gets the feed', (dest) => {
    expect(wantsPreview(input({ ...chrome.headers, 'Sec-Fetch-Dest': dest }))).toBe(false);
  });

  it.each(['nested-navigate', 'cors', 'no-cors', 'same-origin', 'websocket', 'Navigate', ''])('Sec-Fetch-Mode: %j gets the feed', (mode) => {
    expect(wantsPreview(input({ ...chrome.headers, 'Sec-Fetch-Mode': mode }))).toBe(false);
  });

  it('tolerates surrounding whitespace and null', () => {
    expect(wantsPreview({ accept: chrome.headers['Accept'] ?? null, secFetchDest: ' document ', secFetchMode: '\tnavigate' })).toBe(true);
    expect(wantsPreview({ accept: null, secFetchDest: null, secFetchMode: null })).toBe(false);
    expect(wantsPreview({})).toBe(false);
  });

  it('never previews without both Fetch Metadata values, whatever Accept says', () => {
    const token = fc.oneof(fc.constantFrom('document', 'navigate', 'iframe', 'cors', 'empty', 'nested-navigate'), fc.string({ maxLength: 12 }));
    fc.assert(
      fc.property(fc.option(fc.string({ maxLength: 80 })), fc.option(token), fc.option(token), (accept, dest, mode) => {
        const answer = wantsPreview({ accept, secFetchDest: dest, secFetchMode: mode });
        if (answer) {
          expect(dest?.trim()).toBe('document');
          expect(mode?.trim()).toBe('navigate');
          expect(prefersHtml(accept)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('PREVIEW_VARY', () => {
  it('is the header list as a Vary value', () => {
    expect(PREVIEW_VARY).toBe('Accept, Sec-Fetch-Dest, Sec-Fetch-Mode');
    expect(PREVIEW_VARY.split(', ')).toEqual([...PREVIEW_HEADERS]);
    for (const name of PREVIEW_HEADERS) expect(name).toMatch(/^[A-Za-z][A-Za-z0-9-]*$/);
  });

  it('names every header wantsPreview reads (recorded reads)', () => {
    const allowed = new Set(PREVIEW_HEADERS.map(keyOf));
    for (const c of [...ALL, { label: 'empty', headers: {} }]) {
      const read = new Set<string | symbol>();
      const target = input(c.headers);
      wantsPreview(new Proxy(target, { get: (t, key, r) => (read.add(key), Reflect.get(t, key, r)) }));
      const stray = [...read].filter((key) => typeof key !== 'string' || !allowed.has(key));
      expect(stray, c.label).toEqual([]);
    }
  });

  it('names every header wantsPreview reads (no header outside it changes the answer)', () => {
    const seen = [...new Set(ALL.flatMap((c) => Object.keys(c.headers)))].filter((name) => !VARY.has(name.toLowerCase()));
    const outside = fc.oneof(
      fc.constantFrom(...seen, 'Sec-Fetch-User', 'Sec-Fetch-Site', 'Sec-Purpose', 'User-Agent', 'Upgrade-Insecure-Requests'),
      fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,24}$/),
    ).filter((name) => !VARY.has(name.toLowerCase()));
    const value = fc.option(
      fc.oneof(fc.constantFrom('document', 'navigate', '?1', 'none', 'text/html', 'Mozilla/5.0', '1'), fc.string({ maxLength: 40 })),
      { nil: undefined },
    );
    fc.assert(
      fc.property(fc.constantFrom(...ALL), fc.array(fc.tuple(outside, value), { minLength: 1, maxLength: 6 }), (c, changes) => {
        const changed: Record<string, string | undefined> = { ...c.headers };
        for (const [name, v] of changes) {
          // Replace any spelling of the same name, as an HTTP header map would.
          for (const existing of Object.keys(changed)) if (existing.toLowerCase() === name.toLowerCase()) delete changed[existing];
          changed[name] = v;
        }
        expect(wantsPreview(input(changed))).toBe(wantsPreview(input(c.headers)));
      }),
      { numRuns: 1000 },
    );
  });

  it('names only headers that can change the answer', () => {
    const chrome = ALL.find((c) => c.client.name === 'Chrome 150 navigation');
    if (!chrome) throw new Error('Chrome navigation row missing');
    for (const name of PREVIEW_HEADERS) {
      expect(wantsPreview(input({ ...chrome.headers, [name]: 'x' })), name).not.toBe(wantsPreview(input(chrome.headers)));
    }
  });
});
