import { FEED_FORMATS } from '../feeds/model.ts';
import type { TopicIndex } from '../topics/index.ts';
import { feedPath } from '../topics/urls.ts';
import type { Publication } from './publication.ts';
import type { Representation } from './representation.ts';

export type RouteKind = 'feed' | 'json' | 'html';

export interface PublishedRoute {
  /** URL path, e.g. `/topic/vaccines/rss.xml` or `/topic/vaccines/`. */
  readonly path: string;
  readonly kind: RouteKind;
  /** File that holds it in a static export: folders get `index.html`. */
  readonly file: string;
  readonly representation: Representation;
}

/** Every route with content, in a stable order: what static export and the Worker assets build write. */
export function* publishedRoutes(publication: Publication, index: TopicIndex): Generator<PublishedRoute> {
  yield route('/', 'html', publication.homePage());
  yield route('/topics.json', 'json', publication.topicsJson());
  for (const format of FEED_FORMATS) {
    const representation = publication.feed({ kind: 'all' }, format);
    if (representation) yield route(feedPath({ kind: 'all' }, format), 'feed', representation);
  }
  for (const slug of index.topics.keys()) {
    const page = publication.topicPage(slug);
    if (page) yield route(`/topic/${slug}/`, 'html', page);
    for (const format of FEED_FORMATS) {
      const representation = publication.feed({ kind: 'topic', slug }, format);
      if (representation) yield route(feedPath({ kind: 'topic', slug }, format), 'feed', representation);
    }
  }
}

function route(path: string, kind: RouteKind, representation: Representation): PublishedRoute {
  return { path, kind, file: path.endsWith('/') ? `${path.slice(1)}index.html` : path.slice(1), representation };
}
