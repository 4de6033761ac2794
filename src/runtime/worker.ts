import type { Context } from 'hono';
import { env } from 'hono/adapter';
import bundle from 'topic-feeds:content';
import { parseSiteConfig } from '../config/config.ts';
import { createApp } from '../http/app.ts';
import { BUNDLE_VERSION } from '../publish/bundle.ts';
import { Catalog } from '../publish/catalog.ts';
import { PrebuiltPublication } from '../publish/prebuilt.ts';
import type { Publication } from '../publish/publication.ts';

interface AssetsBinding {
  fetch(request: Request): Promise<Response>;
}

let publication: Publication | undefined;

/**
 * Built once per isolate, on the first request, because bindings only exist
 * in a request context. The bundle's recorded settings win over bindings: the
 * documents (and in assets mode every file) were built with them.
 */
function publicationFor(c: Context): Publication {
  if (publication) return publication;
  if (bundle.version !== BUNDLE_VERSION) throw new Error(`content bundle version ${bundle.version}, expected ${BUNDLE_VERSION}`);
  const bindings: Record<string, string> = {};
  const assets = (c.env as { ASSETS?: AssetsBinding } | undefined)?.ASSETS;
  for (const [key, value] of Object.entries(env<Record<string, unknown>>(c))) {
    if (typeof value === 'string') bindings[key] = value;
  }
  const site = parseSiteConfig({ ...bindings, ...bundle.env });
  if (bundle.mode === 'documents') {
    publication = new Catalog(site, bundle);
  } else {
    if (!assets) throw new Error('static-assets bundle needs the ASSETS binding ([assets] in wrangler.toml)');
    publication = new PrebuiltPublication(site, bundle, async (file) => {
      const response = await assets.fetch(new Request(`https://assets.invalid/${file}`));
      return response.ok ? response.body : null;
    });
  }
  return publication;
}

export default createApp({ catalog: publicationFor, onError: (error) => console.error(error) });
