import type { DocumentTopic, FeedDocument, FeedImage, RelatedLink, SafeHtml } from '../content/document.ts';
import type { DocumentContent, DocumentFields } from '../content/load.ts';
import { assembleDocument } from '../content/normalize.ts';

/**
 * A FeedDocument whose content (sanitized body and summary) is produced on
 * first read. The index and validators need only the fields, so a document
 * that no feed shows is never sanitized. A class, so every instance has one
 * shape: the index and the renderers touch these 50k times per build, and
 * objects of many shapes (optional keys present or not) make that several
 * times slower. `toJSON` gives exactly the eager document.
 */
export class LazyDocument implements FeedDocument {
  readonly id: string;
  readonly slug: string;
  readonly file: string;
  readonly title: string;
  readonly permalink: string;
  readonly externalUrl: string | undefined;
  readonly publisher: string | undefined;
  readonly publishedMs: number;
  readonly updatedMs: number;
  readonly lastMod: string;
  readonly image: FeedImage | undefined;
  readonly authors: readonly string[];
  readonly tags: readonly string[];
  readonly topics: readonly DocumentTopic[];
  readonly related: readonly RelatedLink[];
  readonly via: FeedDocument['via'];
  readonly aliases: readonly string[];
  readonly revision: string | undefined;
  readonly #fields: DocumentFields;
  readonly #content: () => DocumentContent;

  constructor(fields: DocumentFields, content: () => DocumentContent) {
    this.id = fields.id;
    this.slug = fields.slug;
    this.file = fields.file;
    this.title = fields.title;
    this.permalink = fields.permalink;
    this.externalUrl = fields.externalUrl;
    this.publisher = fields.publisher;
    this.publishedMs = fields.publishedMs;
    this.updatedMs = fields.updatedMs;
    this.lastMod = fields.lastMod;
    this.image = fields.image;
    this.authors = fields.authors;
    this.tags = fields.tags;
    this.topics = fields.topics;
    this.related = fields.related;
    this.via = fields.via;
    this.aliases = fields.aliases;
    this.revision = fields.revision;
    this.#fields = fields;
    this.#content = content;
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
