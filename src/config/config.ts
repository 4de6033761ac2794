/**
 * One typed, validated settings object for every runtime. Node builds it from
 * process.env, the Worker from its bindings; both pass a plain string record.
 */
export interface SiteConfig {
  /** Absolute http(s) URL without a trailing slash, e.g. `https://news.example.org`. */
  readonly siteUrl: string;
  readonly siteTitle: string;
  readonly siteDescription: string;
  readonly language: string;
  /** Absolute URL with a trailing slash that relative `featuredImage.href` values resolve against. */
  readonly mediaBaseUrl: string;
  /**
   * `mediaBaseUrl` is this site's own `MEDIA_PATH` (the default): images beside
   * the documents are measured and served at `MEDIA_PATH` + their path in the
   * content folder. Any other MEDIA_BASE_URL (a CDN) serves nothing locally.
   */
  readonly localMedia: boolean;
  /** Local images larger than this many bytes are reported and not served. */
  readonly maxImageBytes: number;
  /** Put the featured image (with alt, width, height) at the top of each item's HTML content. */
  readonly featuredImageInContent: boolean;
  /** Node and builds only: a PNG file for /favicon.ico and /apple-touch-icon.png (a built-in icon when unset). */
  readonly siteIconFile?: string;
  /** Items per feed when the request has no `?limit`. */
  readonly feedLimit: number;
  /** Largest accepted `?limit`. */
  readonly maxFeedLimit: number;
  readonly cacheMaxAge: number;
  /** Shared-cache (CDN) lifetime; omitted from Cache-Control when unset. */
  readonly sharedMaxAge?: number;
  readonly staleWhileRevalidate: number;
  /** Documents larger than this many bytes are reported and skipped. */
  readonly maxDocumentBytes: number;
  /** WebSub hub every feed advertises and is pinged on change; none when unset. */
  readonly websubHub?: string;
  /** Small square image: Atom `icon`, JSON Feed `favicon`. */
  readonly iconUrl?: string;
  /** Larger image: RSS `<image>`, Atom `logo`, JSON Feed `icon`. */
  readonly logoUrl?: string;
  /** Most topics one combined feed (`/topics/a+b/…`) may join. */
  readonly maxCombinedTopics: number;
}

export interface ServerConfig {
  readonly site: SiteConfig;
  readonly port: number;
  readonly host: string;
  readonly contentDir: string;
  readonly watch: boolean;
}

export type EnvRecord = Readonly<Record<string, string | undefined>>;

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export const DEFAULT_PORT = 3000;
/** Where this site serves the images beside its documents; the route table builds its media route from it. */
export const MEDIA_PATH = '/media/';
export const MAX_FEED_LIMIT = 500;

/** Collects every problem before failing, so one start shows all bad settings. */
/** Reads settings, collecting every problem so one error names them all. */
export class EnvReader {
  readonly problems: string[] = [];
  constructor(private readonly env: EnvRecord) {}

  text(name: string, fallback: string): string {
    const raw = this.env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    return raw.trim();
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const raw = this.env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const value = Number(raw.trim());
    if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
      this.problems.push(`${name} must be a whole number from ${min} to ${max} (got ${JSON.stringify(raw)})`);
      return fallback;
    }
    return value;
  }

  optionalInteger(name: string, min: number, max: number): number | undefined {
    const raw = this.env[name];
    if (raw === undefined || raw.trim() === '') return undefined;
    return this.integer(name, min, min, max);
  }

  boolean(name: string, fallback: boolean): boolean {
    const raw = this.env[name]?.trim().toLowerCase();
    if (raw === undefined || raw === '') return fallback;
    if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
    if (['0', 'false', 'no', 'off'].includes(raw)) return false;
    this.problems.push(`${name} must be true or false (got ${JSON.stringify(this.env[name])})`);
    return fallback;
  }

  /** An optional absolute http(s) URL, or a path resolved against `base`. */
  optionalUrl(name: string, base: string): string | undefined {
    const raw = this.env[name]?.trim();
    if (raw === undefined || raw === '') return undefined;
    try {
      const url = new URL(raw, `${base}/`);
      if (url.protocol === 'http:' || url.protocol === 'https:') return url.href;
    } catch {
      // reported below
    }
    this.problems.push(`${name} must be an http(s) URL or a path on SITE_URL (got ${JSON.stringify(raw)})`);
    return undefined;
  }

  httpUrl(name: string, fallback: string, trailingSlash: boolean): string {
    const raw = this.text(name, fallback);
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      this.problems.push(`${name} must be an absolute http(s) URL (got ${JSON.stringify(raw)})`);
      return fallback;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      this.problems.push(`${name} must use http or https (got ${JSON.stringify(raw)})`);
      return fallback;
    }
    if (url.search || url.hash) {
      this.problems.push(`${name} must not have a query or fragment (got ${JSON.stringify(raw)})`);
    }
    const base = `${url.origin}${url.pathname}`.replace(/\/+$/, '');
    return trailingSlash ? `${base}/` : base;
  }

  failIfAny(): void {
    if (this.problems.length > 0) throw new ConfigError(this.problems);
  }
}

function readSite(reader: EnvReader, defaultSiteUrl: string): SiteConfig {
  const siteUrl = reader.httpUrl('SITE_URL', defaultSiteUrl, false);
  const feedLimit = reader.integer('FEED_LIMIT', 50, 1, MAX_FEED_LIMIT);
  const mediaBaseUrl = reader.httpUrl('MEDIA_BASE_URL', `${siteUrl}${MEDIA_PATH}`, true);
  const siteIconFile = reader.text('SITE_ICON_FILE', '') || undefined;
  return {
    siteUrl,
    siteTitle: reader.text('SITE_TITLE', 'Health Tech Topics'),
    siteDescription: reader.text(
      'SITE_DESCRIPTION',
      'Curated health-tech news: one feed per topic, and one for everything.',
    ),
    language: reader.text('SITE_LANGUAGE', 'en'),
    mediaBaseUrl,
    localMedia: mediaBaseUrl === `${siteUrl}${MEDIA_PATH}`,
    maxImageBytes: reader.integer('MAX_IMAGE_BYTES', 5 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    featuredImageInContent: reader.boolean('FEATURED_IMAGE_IN_CONTENT', true),
    ...(siteIconFile === undefined ? {} : { siteIconFile }),
    feedLimit,
    maxFeedLimit: MAX_FEED_LIMIT,
    cacheMaxAge: reader.integer('CACHE_MAX_AGE', 300, 0, 31_536_000),
    sharedMaxAge: reader.optionalInteger('CACHE_S_MAXAGE', 0, 31_536_000),
    staleWhileRevalidate: reader.integer('CACHE_STALE_WHILE_REVALIDATE', 86_400, 0, 31_536_000),
    maxDocumentBytes: reader.integer('MAX_DOCUMENT_BYTES', 2 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    websubHub: reader.optionalUrl('WEBSUB_HUB', siteUrl),
    iconUrl: reader.optionalUrl('FEED_ICON_URL', siteUrl),
    logoUrl: reader.optionalUrl('FEED_LOGO_URL', siteUrl),
    maxCombinedTopics: reader.integer('MAX_COMBINED_TOPICS', 10, 2, 50),
  };
}

/** Site settings only: what the Worker and the static build need. */
export function parseSiteConfig(env: EnvRecord, defaultSiteUrl = `http://localhost:${DEFAULT_PORT}`): SiteConfig {
  const reader = new EnvReader(env);
  const site = readSite(reader, defaultSiteUrl);
  reader.failIfAny();
  return site;
}

/** Site settings plus where and how the Node server listens and reads content. */
export function parseServerConfig(env: EnvRecord): ServerConfig {
  const reader = new EnvReader(env);
  const config = readServer(reader);
  reader.failIfAny();
  return config;
}

export function readServer(reader: EnvReader): ServerConfig {
  const port = reader.integer('PORT', DEFAULT_PORT, 0, 65_535);
  const site = readSite(reader, `http://localhost:${port}`);
  const config: ServerConfig = {
    site,
    port,
    host: reader.text('HOST', '127.0.0.1'),
    contentDir: reader.text('CONTENT_DIR', './content'),
    watch: reader.boolean('WATCH', true),
  };
  return config;
}

/** Changes whenever output-affecting settings change, so validators change with them. */
export function configStamp(site: SiteConfig): string {
  return [
    site.siteUrl,
    site.siteTitle,
    site.siteDescription,
    site.language,
    site.mediaBaseUrl,
    site.websubHub ?? '',
    site.iconUrl ?? '',
    site.logoUrl ?? '',
    String(site.maxImageBytes),
    String(site.featuredImageInContent),
  ].join('\u0000');
}

/** The env record that parses back to `site`: what a build records for the Worker. */
export function siteConfigToEnv(site: SiteConfig): Record<string, string> {
  return {
    SITE_URL: site.siteUrl,
    SITE_TITLE: site.siteTitle,
    SITE_DESCRIPTION: site.siteDescription,
    SITE_LANGUAGE: site.language,
    MEDIA_BASE_URL: site.mediaBaseUrl,
    FEED_LIMIT: String(site.feedLimit),
    CACHE_MAX_AGE: String(site.cacheMaxAge),
    CACHE_STALE_WHILE_REVALIDATE: String(site.staleWhileRevalidate),
    ...(site.sharedMaxAge === undefined ? {} : { CACHE_S_MAXAGE: String(site.sharedMaxAge) }),
    MAX_DOCUMENT_BYTES: String(site.maxDocumentBytes),
    MAX_IMAGE_BYTES: String(site.maxImageBytes),
    FEATURED_IMAGE_IN_CONTENT: String(site.featuredImageInContent),
    MAX_COMBINED_TOPICS: String(site.maxCombinedTopics),
    ...(site.websubHub === undefined ? {} : { WEBSUB_HUB: site.websubHub }),
    ...(site.iconUrl === undefined ? {} : { FEED_ICON_URL: site.iconUrl }),
    ...(site.logoUrl === undefined ? {} : { FEED_LOGO_URL: site.logoUrl }),
  };
}
