/**
 * Date parsing for `date` and `lastMod`. Results are epoch milliseconds and
 * never depend on the machine's time zone (Node and Worker must agree).
 */
import { isValid } from 'date-fns/isValid';
import { parseISO } from 'date-fns/parseISO';

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP =
  /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?$/;

export interface Instant {
  readonly ms: number;
  /** The text had no zone designator and was read as UTC. */
  readonly assumedUtc: boolean;
}

/** `YYYY-MM-DD` -> that day at 00:00 UTC; impossible days such as 2021-02-30 are rejected. */
export function parseDateOnly(value: string): number | undefined {
  const match = DATE_ONLY.exec(value);
  if (!match || !isValid(parseISO(value))) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  // Date.UTC rolls 02-30 over to 03-02 and maps years 0-99 to 19xx: require a round trip.
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) {
    return undefined;
  }
  return ms;
}

/**
 * An ISO 8601 timestamp such as `2021-01-13T12:06:42.641959Z` -> epoch ms
 * (digits past milliseconds are dropped). Without a zone it is read as UTC.
 */
export function parseTimestamp(value: string): Instant | undefined {
  const match = TIMESTAMP.exec(value);
  if (!match) return undefined;
  const [, day = '', hh = '', mm = '', ss = '00', fraction, zone] = match;
  if (parseDateOnly(day) === undefined) return undefined;
  const assumedUtc = zone === undefined;
  // Truncate to milliseconds ourselves: parseISO would round .9999 up a second.
  const millis = fraction ? `.${fraction.slice(0, 3)}` : '';
  const canonical = `${day}T${hh}:${mm}:${ss}${millis}${assumedUtc ? 'Z' : zone.toUpperCase()}`;
  const date = parseISO(canonical);
  if (!isValid(date)) return undefined;
  return { ms: date.getTime(), assumedUtc };
}

/** `date` may be a day or a full timestamp (then the instant is used). */
export function parseDateOrTimestamp(value: string): Instant | undefined {
  const day = parseDateOnly(value);
  return day === undefined ? parseTimestamp(value) : { ms: day, assumedUtc: false };
}
