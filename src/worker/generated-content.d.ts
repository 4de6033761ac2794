// Written by `npm run build:content` and substituted by wrangler's [alias].
declare module 'topic-feeds:content' {
  import type { ContentBundle } from '../publish/bundle.ts';
  const bundle: ContentBundle;
  export default bundle;
}
