import { describe, expect, it } from 'vitest';
import { rfc3339, rfc822 } from '../../src/feeds/dates.ts';

describe('feed dates', () => {
  const ms = Date.parse('2021-01-13T12:06:42.641Z');

  it('formats RFC 822 in GMT with English names, whatever the locale or zone', () => {
    expect(rfc822(ms)).toBe('Wed, 13 Jan 2021 12:06:42 GMT');
    expect(rfc822(0)).toBe('Thu, 01 Jan 1970 00:00:00 GMT');
  });

  it('formats RFC 3339 in UTC with milliseconds', () => {
    expect(rfc3339(ms)).toBe('2021-01-13T12:06:42.641Z');
  });

  it('refuses non-finite times instead of printing "Invalid Date"', () => {
    expect(() => rfc822(Number.NaN)).toThrow(RangeError);
    expect(() => rfc3339(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
