/**
 * The backfill rule: an item that was already there when the first-seen
 * ledger started keeps its own day, never the clock's time.
 */
import { describe, expect, it } from 'vitest';
import { DAY_MS, backfillPublishedMs } from '../../src/content/published.ts';
import { parseSiteConfig } from '../../src/config/config.ts';
import { parseSource } from '../../src/content/load.ts';

const at = (iso: string): number => Date.parse(iso);

describe('backfillPublishedMs', () => {
  it('takes lastMod when it falls on the same UTC day as date (the curation time of that day)', () => {
    expect(backfillPublishedMs({ publishedMs: at('2021-01-13T00:00:00Z'), updatedMs: at('2021-01-13T12:06:42.641Z') })).toBe(at('2021-01-13T12:06:42.641Z'));
    expect(backfillPublishedMs({ publishedMs: at('2021-01-13T00:00:00Z'), updatedMs: at('2021-01-13T23:59:59.999Z') })).toBe(at('2021-01-13T23:59:59.999Z'));
  });

  it('keeps date at 00:00 UTC when lastMod is another day (a later edit, or an earlier one)', () => {
    expect(backfillPublishedMs({ publishedMs: at('2021-01-13T00:00:00Z'), updatedMs: at('2021-01-14T00:00:00Z') })).toBe(at('2021-01-13T00:00:00Z'));
    expect(backfillPublishedMs({ publishedMs: at('2021-01-13T00:00:00Z'), updatedMs: at('2021-03-02T09:00:00Z') })).toBe(at('2021-01-13T00:00:00Z'));
    expect(backfillPublishedMs({ publishedMs: at('2021-01-13T00:00:00Z'), updatedMs: at('2021-01-12T23:59:59Z') })).toBe(at('2021-01-13T00:00:00Z'));
  });

  it('keeps a date that carries its own time of day', () => {
    expect(backfillPublishedMs({ publishedMs: at('2021-01-13T08:15:00Z'), updatedMs: at('2021-01-13T12:06:42Z') })).toBe(at('2021-01-13T08:15:00Z'));
  });

  it('is date when lastMod equals it (lastMod missing) and works before 1970', () => {
    expect(backfillPublishedMs({ publishedMs: at('2021-01-13T00:00:00Z'), updatedMs: at('2021-01-13T00:00:00Z') })).toBe(at('2021-01-13T00:00:00Z'));
    expect(backfillPublishedMs({ publishedMs: -DAY_MS, updatedMs: -DAY_MS + 3_600_000 })).toBe(-DAY_MS + 3_600_000);
  });

  it('never depends on the clock', () => {
    const dates = { publishedMs: at('2021-01-13T00:00:00Z'), updatedMs: at('2021-01-13T12:06:42Z') };
    const first = backfillPublishedMs(dates);
    expect(backfillPublishedMs(dates)).toBe(first);
    expect(first).toBeLessThan(Date.now());
  });

  it('applies to parsed documents (the example of the brief)', () => {
    const site = parseSiteConfig({ SITE_URL: 'https://feeds.example.org' });
    const text = [
      '---',
      'id: 1',
      'slug: one',
      'title: One',
      'date: 2021-01-13',
      'lastMod: 2021-01-13T12:06:42.641959Z',
      'categories: ["Wire: Safety"]',
      'categoryUrl: ["topic/wire-safety"]',
      'categoryLabel: ["Safety"]',
      '---',
      '<p>Body</p>',
    ].join('\n');
    const parsed = parseSource({ file: 'one.md', contents: text }, site);
    const document = parsed.fields!;
    // The front matter itself is unchanged: date at 00:00 UTC.
    expect(new Date(document.publishedMs).toISOString()).toBe('2021-01-13T00:00:00.000Z');
    expect(new Date(backfillPublishedMs(document)).toISOString()).toBe('2021-01-13T12:06:42.641Z');
  });
});
