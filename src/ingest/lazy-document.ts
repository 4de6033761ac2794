import type { FeedDocument, SafeHtml } from '../content/document.ts';
import type { DocumentContent, DocumentFields } from '../content/load.ts';
import { assembleDocument } from '../content/normalize.ts';
import { LazyFields, detailOf, headOf } from './cached-fields.ts';

/**
 * A FeedDocument whose content (sanitized body and summary) is produced on
 * first read. The index and validators need only the fields, so a document
 * that no feed shows is never sanitized; the fields only an item's render
 * reads are LazyFields getters, so fields from the cache parse them only then
 * (cached-fields.ts). A class, so every instance has one shape: the index and
 * the renderers touch these 50k times per build, and objects of many shapes
 * (optional keys present or not) make that several times slower. `toJSON`
 * gives exactly the eager document.
 */
export class LazyDocument extends LazyFields implements FeedDocument {
  readonly #content: () => DocumentContent;

  constructor(fields: DocumentFields, content: () => DocumentContent) {
    if (fields instanceof LazyFields) super(fields);
    else super(headOf(fields), undefined, detailOf(fields, undefined));
    this.#content = content;
  }

  get contentHtml(): SafeHtml {
    return this.#content().contentHtml;
  }

  get summary(): string | undefined {
    return this.#content().summary;
  }

  override toJSON(): FeedDocument {
    return assembleDocument(this, this.#content());
  }
}
