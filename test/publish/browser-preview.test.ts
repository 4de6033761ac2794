import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { serve } from '@hono/node-server';
import type { ServerType } from '@hono/node-server';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSiteConfig } from '../../src/config/config.ts';
import { createApp } from '../../src/http/app.ts';
import { loadCatalogFromDir } from '../../src/ingest/load-dir.ts';
import { LiveCatalog } from '../../src/publish/live-catalog.ts';
import { INDEX_LIST_ALL_MAX } from '../../src/publish/pages.ts';
import { makeDocument, makeTopic } from '../support/factories.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = 'test-results';
// CI installs Chromium (.ci/run); elsewhere the test is skipped when it is missing.
const available = existsSync(CHROMIUM) || process.env.CI === 'true';
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let server: ServerType;
let base: string;
let browser: Browser;

beforeAll(async () => {
  if (!available) return;
  const port = await new Promise<number>((resolve) => {
    // SITE_URL must be known before loading; take a free port first, then serve on it.
    const probe = serve({ fetch: () => new Response(''), port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
      probe.close();
      resolve(info.port);
    });
  });
  base = `http://127.0.0.1:${port}`;
  const catalog = await loadCatalogFromDir(parseSiteConfig({ SITE_URL: base }), 'content');
  server = serve({ fetch: createApp({ catalog: () => catalog }).fetch, port, hostname: '127.0.0.1' });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  mkdirSync(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  server?.close();
});

/** Opens a page and records CSP violations and console errors. */
async function open(path: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const errors: string[] = [];
  page.on('console', (message) => {
    // Featured images live on MEDIA_BASE_URL, which this test server does not host.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  const response = await page.goto(`${base}${path}`);
  expect(response?.status()).toBe(200);
  return { page, errors };
}

interface AxeResult {
  violations: { id: string; impact: string; help: string; nodes: unknown[] }[];
}

/** axe-core in the page; CSP forbids our own scripts, so it runs as an init-free evaluate. */
async function accessibilityViolations(page: Page): Promise<AxeResult['violations']> {
  await page.evaluate(axeSource);
  const result = (await page.evaluate(() =>
    (globalThis as unknown as { axe: { run: (o: object) => Promise<unknown> } }).axe.run({
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'best-practice'] },
    }),
  )) as AxeResult;
  return result.violations;
}

describe.skipIf(!available)('in headless Chromium', () => {
  it('shows the index with every topic and autodiscovery of the overall feeds', async () => {
    const { page, errors } = await open('/');
    await expect(page.locator('h1').innerText()).resolves.toBe('Health Tech Topics');
    const rows = await page.locator('tbody tr').count();
    const topics = (JSON.parse(await (await fetch(`${base}/topics.json`)).text()) as { topics: unknown[] }).topics.length;
    expect(rows).toBe(topics);
    const alternates = await page.locator('link[rel="alternate"]').evaluateAll((links) =>
      links.map((link) => [link.getAttribute('type'), link.getAttribute('href')]),
    );
    expect(alternates).toEqual([
      ['application/rss+xml', `${base}/rss.xml`],
      ['application/atom+xml', `${base}/atom.xml`],
      ['application/feed+json', `${base}/feed.json`],
    ]);
    await expect(page.getByRole('link', { name: 'Subscribe to all topics (OPML)' }).getAttribute('href')).resolves.toBe(`${base}/opml.xml`);
    // The stylesheet is allowed by hash: a CSP refusal would show up here.
    expect(errors).toEqual([]);
    expect(await page.evaluate(() => getComputedStyle(document.body).maxWidth)).toBe('960px');
    await page.screenshot({ path: `${ARTIFACTS}/index.png`, fullPage: false });
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('shows the index of a large taxonomy as sources and a filter form', async () => {
    // The bundled content is small; this index has more topics than the threshold.
    const documents = Array.from({ length: INDEX_LIST_ALL_MAX + 40 }, (_, i) =>
      makeDocument({ topics: [makeTopic(`source-${i % 6}-topic-${i}`, `Topic ${i}`, `Source ${i % 6}: Topic ${i}`)] }),
    );
    const large = new LiveCatalog(parseSiteConfig({ SITE_URL: base }), { documents, problems: [] });
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.setContent(Buffer.from(large.homePage().body() as Uint8Array).toString('utf8'));
    await expect(page.locator('h2').first().innerText()).resolves.toBe('Topics by source');
    expect(await page.locator('tbody tr').count()).toBe(6);
    await expect(page.getByRole('search').count()).resolves.toBe(1);
    await page.screenshot({ path: `${ARTIFACTS}/index-by-source.png`, fullPage: false });
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('shows a source page: its topics, each linking its page, with a way back to the index', async () => {
    const { page, errors } = await open('/sources/healthcare-it-news/');
    await expect(page.locator('h1').innerText()).resolves.toBe('Healthcare IT News');
    const topics = await page.locator('tbody th a').evaluateAll((links) => links.map((link) => link.getAttribute('href')));
    expect(topics.length).toBeGreaterThan(0);
    for (const href of topics) expect(href).toMatch(new RegExp(`^${base}/topic/healthcare-it-news-[a-z0-9-]+/$`));
    await expect(page.getByRole('link', { name: 'Health Tech Topics' }).getAttribute('href')).resolves.toBe(`${base}/`);
    expect(await page.locator('script').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}/source-page.png`, fullPage: false });
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('filters topics with the index form, without script', async () => {
    const { page, errors } = await open('/?q=Cyber');
    await expect(page.locator('h1').innerText()).resolves.toBe('Topics matching “Cyber”');
    const rows = await page.locator('tbody th a').allInnerTexts();
    expect(rows.length).toBeGreaterThan(0);
    for (const label of rows) expect(label.toLowerCase()).toContain('cyber');
    // Submitting the form again (CSP form-action 'self') is a plain GET to /?q=.
    await page.getByLabel('Filter topics by name').fill('<b>"security"</b>');
    await Promise.all([page.waitForURL(/\?q=/), page.getByRole('button', { name: 'Filter' }).click()]);
    expect(new URL(page.url()).searchParams.get('q')).toBe('<b>"security"</b>');
    await expect(page.locator('h1').innerText()).resolves.toBe('Topics matching “<b>"security"</b>”');
    await expect(page.getByLabel('Filter topics by name').inputValue()).resolves.toBe('<b>"security"</b>');
    expect(await page.locator('main b').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}/topic-filter.png`, fullPage: false });
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('shows a topic feed URL as a readable preview with copyable subscription URLs', async () => {
    const { page, errors } = await open('/topic/healthcare-it-news-cybersecurity/rss.xml');
    await expect(page.locator('h1').innerText()).resolves.toBe('Health Tech Topics: Cybersecurity');
    expect(await page.locator('article.item').count()).toBeGreaterThan(5);
    const fields = await page.locator('.subscribe input').evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
    expect(fields).toEqual([
      `${base}/topic/healthcare-it-news-cybersecurity/rss.xml`,
      `${base}/topic/healthcare-it-news-cybersecurity/atom.xml`,
      `${base}/topic/healthcare-it-news-cybersecurity/feed.json`,
    ]);
    const alternates = await page.locator('link[rel="alternate"]').evaluateAll((links) => links.map((link) => link.getAttribute('href')));
    expect(alternates).toEqual(fields);
    for (const landmark of ['banner', 'main', 'contentinfo']) expect(await page.getByRole(landmark as 'main').count()).toBe(1);
    expect(await page.locator('script').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}/topic-preview.png`, fullPage: false });
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('serves the feed itself to a reader at the same URL', async () => {
    const res = await fetch(`${base}/topic/healthcare-it-news-cybersecurity/rss.xml`, { headers: { Accept: 'application/rss+xml' } });
    expect(res.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
  });
});
