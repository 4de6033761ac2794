/** URL rules for normalized documents: every URL we emit is absolute. */

const WEB = new Set(['http:', 'https:']);

/**
 * Characters RFC 3986 does not allow unescaped in a URI, which the WHATWG
 * serializer still leaves in queries and fragments (`|`, `{`, `^`, …). Feed
 * validators reject them, so every URL we emit has them percent-encoded.
 */
const NOT_URI_CHAR = /[^0-9A-Za-z;/?:@&=+$.\-_!~*'()%,#]/g;

function serialize(url: URL): string {
  // The origin is already strict (an IPv6 host keeps its brackets); fix the rest.
  const origin = url.origin === 'null' ? `${url.protocol}` : url.origin;
  const rest = url.href.startsWith(origin) ? url.href.slice(origin.length) : url.href;
  const prefix = rest === url.href ? '' : origin;
  // WHATWG also keeps a `%` without two hex digits and every `#` after the first.
  const encoded = rest.replace(/%(?![0-9A-Fa-f]{2})/g, '%25').replace(NOT_URI_CHAR, (c) => encodeURIComponent(c));
  const hash = encoded.indexOf('#');
  return prefix + (hash === -1 ? encoded : `${encoded.slice(0, hash + 1)}${encoded.slice(hash + 1).replace(/#/g, '%23')}`);
}

function parse(value: string, base?: string): URL | undefined {
  try {
    return new URL(value, base);
  } catch {
    return undefined;
  }
}

/** `value` as an absolute http(s) URL with no base to lean on, else undefined. */
export function absoluteHttpUrl(value: string): string | undefined {
  const url = parse(value.trim());
  return url && WEB.has(url.protocol) ? serialize(url) : undefined;
}

/**
 * `value` resolved against `base`; undefined unless the result uses one of
 * `protocols`. The WHATWG parser drops tabs/newlines and leading controls, so
 * `java\tscript:` and ` javascript:` are seen as the scheme they become.
 */
export function resolveUrl(value: string, base: string, protocols: ReadonlySet<string> = WEB): string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  const url = parse(trimmed, base);
  return url && protocols.has(url.protocol) ? serialize(url) : undefined;
}

/**
 * A site path such as `/offering/elisity` joined to `siteUrl` (which may have
 * a path prefix, so `new URL('/x', siteUrl)` would lose it); absolute URLs
 * pass through; only http(s) results are accepted.
 */
export function siteUrlFor(siteUrl: string, path: string): string | undefined {
  const trimmed = path.trim();
  if (trimmed.startsWith('/') && !trimmed.startsWith('//')) return absoluteHttpUrl(`${siteUrl}${trimmed}`);
  return resolveUrl(trimmed, `${siteUrl}/`);
}
