import { describe, expect, it } from 'vitest';
import { parseDateOnly, parseDateOrTimestamp, parseTimestamp } from '../../src/content/dates.ts';

describe('parseDateOnly', () => {
  it('reads YYYY-MM-DD as 00:00 UTC', () => {
    expect(parseDateOnly('2021-01-13')).toBe(Date.UTC(2021, 0, 13));
    expect(parseDateOnly('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
  });

  it.each(['2021-02-30', '2023-02-29', '2021-13-01', '2021-00-10', '2021-04-31', '13/01/2021', '2021-1-3', '0099-01-01', ''])(
    'rejects %j',
    (value) => {
      expect(parseDateOnly(value)).toBeUndefined();
    },
  );
});

describe('parseTimestamp', () => {
  it('keeps millisecond precision and drops the rest (truncating, not rounding)', () => {
    expect(parseTimestamp('2021-01-13T12:06:42.641959Z')).toEqual({
      ms: Date.parse('2021-01-13T12:06:42.641Z'),
      assumedUtc: false,
    });
    expect(parseTimestamp('2021-01-13T12:06:42.9999999Z')?.ms).toBe(Date.parse('2021-01-13T12:06:42.999Z'));
  });

  it('applies offsets', () => {
    expect(parseTimestamp('2021-01-13T12:06:42+05:30')?.ms).toBe(Date.parse('2021-01-13T06:36:42Z'));
    expect(parseTimestamp('2021-01-13T12:06:42-0800')?.ms).toBe(Date.parse('2021-01-13T20:06:42Z'));
  });

  it('reads a timestamp without a zone as UTC and says so', () => {
    expect(parseTimestamp('2021-01-13T12:06:42')).toEqual({ ms: Date.parse('2021-01-13T12:06:42Z'), assumedUtc: true });
    expect(parseTimestamp('2021-01-13 12:06')).toEqual({ ms: Date.parse('2021-01-13T12:06:00Z'), assumedUtc: true });
  });

  it.each(['2021-02-30T10:00:00Z', '2021-01-13T25:00:00Z', '2021-01-13T12:60:00Z', '2021-01-13', 'yesterday', '1610539602'])(
    'rejects %j',
    (value) => {
      expect(parseTimestamp(value)).toBeUndefined();
    },
  );
});

describe('parseDateOrTimestamp', () => {
  it('accepts a day or an instant', () => {
    expect(parseDateOrTimestamp('2021-01-13')?.ms).toBe(Date.UTC(2021, 0, 13));
    expect(parseDateOrTimestamp('2021-01-13T18:00:00Z')?.ms).toBe(Date.UTC(2021, 0, 13, 18));
    expect(parseDateOrTimestamp('13/01/2021')).toBeUndefined();
  });
});
