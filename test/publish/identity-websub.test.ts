import { describe, expect, it } from 'vitest';
import { loadDocuments } from '../../src/content/load.ts';
import { assertValidJsonFeed11 } from '../support/json-feed-schema.ts';
import { childText, childrenNamed, onlyChild, parseXmlStrict } from '../support/xml.ts';
import { appFor, dailyDocuments, makeSite } from '../support/feature-app.ts';

const ATOM = 'http://www.w3.org/2005/Atom';
const HUB = 'https://hub.example.net/';
const site = () => makeSite({ websubHub: HUB, iconUrl: 'https://feeds.example.org/icon.png', logoUrl: 'https://feeds.example.org/logo.png' });

async function get(path: string) {
  const res = await appFor(dailyDocuments(6), site()).app.request(path);
  return { res, body: await res.text() };
}

describe('WebSub discovery', () => {
  it('advertises the hub and self in RSS, before the items', async () => {
    const channel = onlyChild(parseXmlStrict((await get('/topic/cybersecurity/rss.xml')).body), '', 'channel');
    const links = childrenNamed(channel, ATOM, 'link').map((l) => [l.attrs['rel'], l.attrs['href']]);
    expect(links).toEqual([
      ['self', 'https://feeds.example.org/topic/cybersecurity/rss.xml'],
      ['hub', HUB],
    ]);
  });

  it('advertises the hub and self in Atom', async () => {
    const feed = parseXmlStrict((await get('/atom.xml')).body);
    const links = Object.fromEntries(childrenNamed(feed, ATOM, 'link').map((l) => [l.attrs['rel'], l.attrs['href']]));
    expect(links['hub']).toBe(HUB);
    expect(links['self']).toBe('https://feeds.example.org/atom.xml');
  });

  it('lists the hub in JSON Feed hubs', async () => {
    const feed = JSON.parse((await get('/feed.json')).body) as { hubs: unknown };
    assertValidJsonFeed11(feed);
    expect(feed.hubs).toEqual([{ type: 'WebSub', url: HUB }]);
  });

  it('sends HTTP Link headers with the hub and the canonical self URL', async () => {
    const { res } = await get('/topic/cybersecurity/feed.json?limit=2');
    expect(res.headers.get('link')).toBe(`<${HUB}>; rel="hub", <https://feeds.example.org/topic/cybersecurity/feed.json>; rel="self"`);
  });

  it('advertises nothing without WEBSUB_HUB', async () => {
    const res = await appFor(dailyDocuments(3)).app.request('/rss.xml');
    expect(res.headers.get('link')).toBeNull();
    expect(await res.text()).not.toContain('rel="hub"');
  });
});

describe('feed identity', () => {
  it('puts the logo in RSS <image> with the channel title and link', async () => {
    const channel = onlyChild(parseXmlStrict((await get('/topic/cybersecurity/rss.xml')).body), '', 'channel');
    const image = onlyChild(channel, '', 'image');
    expect(childText(image, '', 'url')).toBe('https://feeds.example.org/logo.png');
    expect(childText(image, '', 'title')).toBe(childText(channel, '', 'title'));
    expect(childText(image, '', 'link')).toBe(childText(channel, '', 'link'));
  });

  it('sets Atom icon and logo, and JSON Feed icon and favicon', async () => {
    const feed = parseXmlStrict((await get('/atom.xml')).body);
    expect(childText(feed, ATOM, 'icon')).toBe('https://feeds.example.org/icon.png');
    expect(childText(feed, ATOM, 'logo')).toBe('https://feeds.example.org/logo.png');
    const json = JSON.parse((await get('/feed.json')).body) as Record<string, unknown>;
    expect(json['icon']).toBe('https://feeds.example.org/logo.png');
    expect(json['favicon']).toBe('https://feeds.example.org/icon.png');
  });

  it('uses a topic description from the content as the topic feed description', async () => {
    const source = `---
id: 1
slug: described
title: Described
date: '2024-01-01'
lastMod: '2024-01-01T00:00:00.000001Z'
categories: ['Source: Telehealth']
categorySlug: ['source: telehealth']
categoryUrl: ['topic/source-telehealth']
categoryLabel: ['Telehealth']
categoryDescription: ['Remote care, virtual visits and the rules that govern them.']
---
<p>Body</p>`;
    const loaded = loadDocuments([{ file: 'a.md', contents: source }], makeSite());
    expect(loaded.problems).toEqual([]);
    const { app } = appFor(loaded.documents);
    const channel = onlyChild(parseXmlStrict(await (await app.request('/topic/source-telehealth/rss.xml')).text()), '', 'channel');
    expect(childText(channel, '', 'description')).toBe('Remote care, virtual visits and the rules that govern them.');
    const other = onlyChild(parseXmlStrict(await (await appFor(dailyDocuments(2)).app.request('/topic/cybersecurity/rss.xml')).text()), '', 'channel');
    expect(childText(other, '', 'description')).toBe('Curated health-tech news on Healthcare IT News: Cybersecurity.');
  });
});
