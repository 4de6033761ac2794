/**
 * Feed date formats from epoch milliseconds. Both use UTC-only Date methods,
 * so the output depends on neither the clock, the time zone nor the locale.
 */

function toDate(ms: number): Date {
  // A NaN date would print "Invalid Date" into a feed instead of failing.
  if (!Number.isFinite(ms)) throw new RangeError(`Not a finite epoch time: ${ms}`);
  return new Date(ms);
}

/** RFC 822 (RSS 2.0), e.g. `Wed, 13 Jan 2021 12:06:42 GMT`. */
export function rfc822(ms: number): string {
  return toDate(ms).toUTCString();
}

/** RFC 3339 (Atom, JSON Feed), e.g. `2021-01-13T12:06:42.641Z`. */
export function rfc3339(ms: number): string {
  return toDate(ms).toISOString();
}
