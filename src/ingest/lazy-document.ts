import type { DocumentTopic, FeedDocument, FeedImage, RelatedLink, SafeHtml } from '../content/document.ts';
import type { DocumentContent, DocumentFields } from '../content/load.ts';
import { assembleDocument } from '../content/normalize.ts';

/**
 * A FeedDocument whose content (sanitized body and summary) is produced on
 * first read. The index and validators need only the fields, so a document
 * that no feed shows is never sanitized; the fields an item's render reads
 * are getters, so cached fields parse them only then (cached-fields.ts). A class, so every instance has one
 * shape: the index and the renderers touch these 50k times per build, and
 * objects of many shapes (optional keys present or not) make that several
 * times slower. `toJSON` gives exactly the eager document.
 */
export class LazyDocument implements FeedDocument {
  readonly id: string;
  readonly slug: string;
  readonly file: string;
  readonly publishedMs: number;
  readonly updatedMs: number;
  readonly lastMod: string;
  readonly image: FeedImage | undefined;
  readonly topics: readonly DocumentTopic[];
  readonly revision: string | undefined;
  readonly #fields: DocumentFields;
  readonly #content: () => DocumentContent;

  constructor(fields: DocumentFields, content: () => DocumentContent) {
    this.id = fields.id;
    this.slug = fields.slug;
    this.file = fields.file;
    this.publishedMs = fields.publishedMs;
    this.updatedMs = fields.updatedMs;
    this.lastMod = fields.lastMod;
    this.image = fields.image;
    this.topics = fields.topics;
    this.revision = fields.revision;
    this.#fields = fields;
    this.#content = content;
  }

  // Read when an item is rendered, not by the index: from the cache they are parsed then (cached-fields.ts).
  get title(): string {
    return this.#fields.title;
  }
  get permalink(): string {
    return this.#fields.permalink;
  }
  get externalUrl(): string | undefined {
    return this.#fields.externalUrl;
  }
  get publisher(): string | undefined {
    return this.#fields.publisher;
  }
  get authors(): readonly string[] {
    return this.#fields.authors;
  }
  get tags(): readonly string[] {
    return this.#fields.tags;
  }
  get related(): readonly RelatedLink[] {
    return this.#fields.related;
  }
  get via(): FeedDocument['via'] {
    return this.#fields.via;
  }
  get aliases(): readonly string[] {
    return this.#fields.aliases;
  }

  get contentHtml(): SafeHtml {
    return this.#content().contentHtml;
  }

  get summary(): string | undefined {
    return this.#content().summary;
  }

  toJSON(): FeedDocument {
    return assembleDocument(this.#fields, this.#content());
  }
}
