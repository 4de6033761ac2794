import type { FeedView } from './model.ts';

/** The topic page, used as RSS category domain and in the JSON Feed extension. */
export function topicUrl(view: FeedView, slug: string): string {
  return `${view.topicBaseUrl}${slug}/`;
}
