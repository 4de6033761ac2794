import { env } from 'hono/adapter';
import type { Context, ExecutionContext } from 'hono';
import type { SiteConfig } from '../config/config.ts';
import bundle from 'topic-feeds:content';
import { parseSiteConfig } from '../config/config.ts';
import { createApp } from '../http/app.ts';
import type { AssetManifest } from '../publish/bundle.ts';
import { BUNDLE_VERSION, MANIFEST_FILE } from '../publish/bundle.ts';
import { LiveCatalog } from '../publish/live-catalog.ts';
import { PrebuiltCatalog } from '../publish/prebuilt.ts';
import type { Catalog } from '../publish/catalog.ts';
import type { StaticFileEntry, StaticFileSource } from '../publish/static-files.ts';
import { entryRepresentation } from '../publish/static-files.ts';

interface AssetsBinding {
  fetch(request: Request): Promise<Response>;
}

interface Bindings {
  readonly ASSETS?: AssetsBinding;
  readonly [name: string]: unknown;
}

const ASSET_ORIGIN = 'https://assets.invalid/';

let publication: Catalog | undefined;
let manifest: Promise<AssetManifest> | undefined;

/** The route manifest of a static-assets build, fetched once per isolate. */
async function loadManifest(assets: AssetsBinding): Promise<AssetManifest> {
  const response = await assets.fetch(new Request(`${ASSET_ORIGIN}${MANIFEST_FILE}`));
  if (!response.ok) throw new Error(`static assets have no ${MANIFEST_FILE} (status ${response.status})`);
  const loaded = (await response.json()) as AssetManifest;
  if (loaded.version !== BUNDLE_VERSION) throw new Error(`asset manifest version ${loaded.version}, expected ${BUNDLE_VERSION}`);
  return loaded;
}

/** String bindings ([vars]) under the settings the bundle was built with. */
function siteFor(bindings: Readonly<Record<string, unknown>>): SiteConfig {
  const strings: Record<string, string> = {};
  for (const [key, value] of Object.entries(bindings)) if (typeof value === 'string') strings[key] = value;
  return parseSiteConfig({ ...strings, ...bundle.env });
}

/**
 * Built once per isolate, on the first request, because bindings only exist
 * in a request context. The bundle's recorded settings win over bindings: the
 * documents (and in assets mode every file) were built with them.
 */
function catalogFor(c: Context): Catalog {
  if (publication) return publication;
  if (bundle.version !== BUNDLE_VERSION) throw new Error(`content bundle version ${bundle.version}, expected ${BUNDLE_VERSION}`);
  if (bundle.mode === 'documents') {
    const bindings = env<Record<string, unknown>>(c);
    // No item fragments: an isolate has 128 MB in all, and renders each route once.
    publication = new LiveCatalog(siteFor(bindings), bundle, { files: assetFiles(bundle.files ?? {}, bindings.ASSETS as AssetsBinding | undefined), fragments: false });
    return publication;
  }
  throw new Error('static-assets publication used before its manifest was loaded');
}

/** Documents mode: the icon and the images that build:content copied into the static assets, with their recorded validators. */
function assetFiles(entries: Readonly<Record<string, StaticFileEntry>>, assets: AssetsBinding | undefined): StaticFileSource {
  return {
    get({ path }) {
      const entry = Object.hasOwn(entries, path) ? entries[path] : undefined;
      if (!entry || !assets) return undefined;
      return entryRepresentation(entry, async () => {
        const response = await assets.fetch(new Request(`${ASSET_ORIGIN}${entry.file}`));
        return response.ok ? response.body : null;
      });
    },
  };
}

const app = createApp({ catalog: catalogFor, onError: (error) => console.error(error) });

export default {
  async fetch(request: Request, bindings: Bindings, ctx: ExecutionContext): Promise<Response> {
    if (bundle.mode === 'assets' && !publication) {
      const assets = bindings.ASSETS;
      if (!assets) throw new Error('static-assets bundle needs the ASSETS binding ([assets] in wrangler.toml)');
      manifest ??= loadManifest(assets);
      const loaded = await manifest.catch((error: unknown) => {
        manifest = undefined;
        throw error;
      });
      publication ??= new PrebuiltCatalog(siteFor(bindings), bundle, loaded, async (file) => {
        const response = await assets.fetch(new Request(`${ASSET_ORIGIN}${file}`));
        return response.ok ? response.body : null;
      });
    }
    return app.fetch(request, bindings, ctx);
  },
};
