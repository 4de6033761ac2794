/**
 * Item fragments: each item serialized once per format (RSS `<item>`, Atom
 * `<entry>`, JSON Feed item text, preview `<article>`) and laid into every
 * feed, archive page and preview that shows it. A document is in the overall
 * feed, in each of its topics' feeds, in their archive pages and previews;
 * without this each of those renders it again.
 *
 * A fragment depends on the document and on per-site settings only, never on
 * the feed it is laid into; the renderers pass those settings as `settings`
 * (e.g. the topic base URL and FEATURED_IMAGE_IN_CONTENT), so a catalog with
 * other settings never reads another's fragment.
 *
 * Entries are keyed by the document object (weakly: a document no snapshot
 * holds any more takes its entries with it), checked against the document's
 * identity (id, lastMod, revision, dates), and bounded by size: least
 * recently used first out once the budget is reached. Pure, no clock, no I/O:
 * a hit returns exactly what a miss would render.
 */
import type { FeedDocument } from '../content/document.ts';
import type { FeedView } from './model.ts';
import { itemSettings } from './model.ts';
import type { XmlElement, XmlFragment } from './xml.ts';
import { serializeFragment } from './xml.ts';

export type FragmentKind = 'rss' | 'atom' | 'json' | 'preview';

/** What a renderer needs of a fragment cache. */
export interface ItemFragments {
  /**
   * The fragment of `kind` for `doc` under `settings`, from `build` on a miss.
   * `size` is what it holds, in bytes.
   */
  item<T>(doc: FeedDocument, kind: FragmentKind, settings: string, build: () => T, size: (value: T) => number): T;
}

/** What a fragment was made from: the document's identity and the settings (compared field by field, not joined into a key). */
interface Identity {
  readonly id: string;
  readonly lastMod: string;
  readonly revision: string | undefined;
  readonly publishedMs: number;
  readonly updatedMs: number;
  readonly settings: string;
}

interface Slot extends Identity {
  value: unknown;
  readonly size: number;
  /** Neighbours in use order (a doubly linked list: every step O(1)). */
  older: Slot | undefined;
  newer: Slot | undefined;
}

type Slots = Partial<Record<FragmentKind, Slot>>;

/** Default budget: bytes of fragments kept (UTF-8), per cache (one per isolate or thread by default). */
export const DEFAULT_FRAGMENT_BUDGET = 128 * 1024 * 1024;

/** Whether `slot` was made from this document state and these settings: a lookup per item per page, so no key string is built (at 50k documents that took 0.8 s). */
function madeFrom(slot: Identity, doc: FeedDocument, settings: string): boolean {
  return slot.id === doc.id && slot.lastMod === doc.lastMod && slot.revision === doc.revision && slot.publishedMs === doc.publishedMs && slot.updatedMs === doc.updatedMs && slot.settings === settings;
}

export class ItemFragmentCache implements ItemFragments {
  readonly #byDocument = new WeakMap<FeedDocument, Slots>();
  #oldest: Slot | undefined;
  #newest: Slot | undefined;
  #entries = 0;
  #size = 0;
  #hits = 0;
  #misses = 0;

  constructor(readonly budget: number = DEFAULT_FRAGMENT_BUDGET) {}

  item<T>(doc: FeedDocument, kind: FragmentKind, settings: string, build: () => T, size: (value: T) => number): T {
    let slots = this.#byDocument.get(doc);
    const slot = slots?.[kind];
    if (slot !== undefined && slot.value !== undefined && madeFrom(slot, doc, settings)) {
      this.#hits += 1;
      this.#unlink(slot);
      this.#link(slot);
      return slot.value as T;
    }
    this.#misses += 1;
    const value = build();
    const length = size(value);
    if (slot !== undefined) this.#drop(slot);
    if (length > this.budget) return value;
    if (slots === undefined) {
      slots = {};
      this.#byDocument.set(doc, slots);
    }
    const fresh: Slot = { id: doc.id, lastMod: doc.lastMod, revision: doc.revision, publishedMs: doc.publishedMs, updatedMs: doc.updatedMs, settings, value, size: length, older: undefined, newer: undefined };
    slots[kind] = fresh;
    this.#link(fresh);
    this.#entries += 1;
    this.#size += length;
    while (this.#size > this.budget && this.#oldest !== undefined) this.#drop(this.#oldest);
    return value;
  }

  /** Bytes held, entries, hits and misses since made. */
  stats(): { size: number; entries: number; hits: number; misses: number } {
    return { size: this.#size, entries: this.#entries, hits: this.#hits, misses: this.#misses };
  }

  /** Makes `slot` the newest. */
  #link(slot: Slot): void {
    slot.older = this.#newest;
    slot.newer = undefined;
    if (this.#newest !== undefined) this.#newest.newer = slot;
    else this.#oldest = slot;
    this.#newest = slot;
  }

  #unlink(slot: Slot): void {
    if (slot.older !== undefined) slot.older.newer = slot.newer;
    else this.#oldest = slot.newer;
    if (slot.newer !== undefined) slot.newer.older = slot.older;
    else this.#newest = slot.older;
    slot.older = undefined;
    slot.newer = undefined;
  }

  #drop(slot: Slot): void {
    if (slot.value === undefined) return;
    this.#unlink(slot);
    slot.value = undefined;
    this.#entries -= 1;
    this.#size -= slot.size;
  }
}

/**
 * The cache every LiveCatalog in this isolate or thread shares unless told
 * otherwise: documents are shared across snapshots while unchanged (watch
 * mode patches the index), so their fragments survive an edit of another.
 */
export const SHARED_FRAGMENTS = new ItemFragmentCache();

/**
 * An RSS item or Atom entry as `render` makes it, or, when the view has a
 * fragment cache, as the fragment serialized once at `depth` for this
 * document and these settings.
 */
export function xmlItem(view: FeedView, doc: FeedDocument, kind: 'rss' | 'atom', depth: number, render: (view: FeedView, doc: FeedDocument) => XmlElement): XmlElement | XmlFragment {
  const fragments = view.fragments;
  if (fragments === undefined) return render(view, doc);
  return fragments.item(doc, kind, itemSettings(view), () => serializeFragment(render(view, doc), depth), (fragment) => fragment.byteLength);
}
