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
