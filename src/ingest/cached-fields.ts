/**
 * A parsed record read back from the disk cache, with only what a load
 * needs of every document parsed at once (its identity, dates, revision,
 * image and topics: the index, the duplicate check and the validators). The
 * rest (title, links, authors, description, …) stays as the cache's JSON
 * text, parsed on first read. At 50k documents, parsing every field of every
 * record took 1.1 s and left 140 MB of objects for the collector to copy, on
 * each warm start and export, though an export after one edit renders the
 * items of a dozen routes.
 */
import type { DocumentTopic, FeedImage, Problem, RelatedLink } from '../content/document.ts';
import type { DocumentFields } from '../content/load.ts';
import type { ParsedRecord } from './parse-tasks.ts';

/** The fields every load reads for every document. */
export type HeadFields = Pick<DocumentFields, 'id' | 'slug' | 'file' | 'publishedMs' | 'updatedMs' | 'lastMod' | 'revision' | 'image' | 'topics'>;

/** The rest of a record: read when a document is rendered. */
export interface Detail {
  readonly title: string;
  readonly permalink: string;
  readonly externalUrl?: string;
  readonly publisher?: string;
  readonly authors: readonly string[];
  readonly tags: readonly string[];
  readonly related: readonly RelatedLink[];
  readonly via?: DocumentFields['via'];
  readonly aliases: readonly string[];
  readonly description?: string;
}

/** Where a record's detail JSON is: a slice of the cache file's bytes, decoded on first read. */
export interface DetailSource {
  readonly bytes: Uint8Array;
  readonly start: number;
  readonly end: number;
}

const decoder = new TextDecoder();

function parseDetail(source: DetailSource): Detail {
  const detail: unknown = JSON.parse(decoder.decode(source.bytes.subarray(source.start, source.end)));
  if (typeof detail !== 'object' || detail === null || typeof (detail as { title?: unknown }).title !== 'string') throw new Error('cached record: detail is not an object with a title');
  return detail as Detail;
}

/**
 * Document fields with the head as properties and the detail behind getters:
 * from the cache, parsed on first read; from a parse, given whole. Also the
 * base of LazyDocument, whose render-only fields are these getters.
 */
export class LazyFields implements DocumentFields {
  readonly id: string;
  readonly slug: string;
  readonly file: string;
  readonly publishedMs: number;
  readonly updatedMs: number;
  readonly lastMod: string;
  readonly revision: string | undefined;
  readonly image: FeedImage | undefined;
  readonly topics: readonly DocumentTopic[];
  /** Shared by the copies `with` makes, so the detail is parsed once for all of them. */
  #lazy: { detail: Detail | undefined; readonly source: DetailSource | undefined };

  /** From `fields`, another LazyFields: the same head, sharing its detail (parsed or not). */
  constructor(head: HeadFields | LazyFields, source?: DetailSource, detail?: Detail) {
    this.id = head.id;
    this.slug = head.slug;
    this.file = head.file;
    this.publishedMs = head.publishedMs;
    this.updatedMs = head.updatedMs;
    this.lastMod = head.lastMod;
    this.revision = head.revision;
    this.image = head.image;
    this.topics = head.topics;
    this.#lazy = head instanceof LazyFields ? head.#lazy : { detail, source };
  }

  /** The detail, parsed once. */
  detail(): Detail {
    return (this.#lazy.detail ??= parseDetail(this.#lazy.source!));
  }

  /** The detail's JSON as the cache stores it: the original bytes while nobody has read them. */
  detailJson(): string {
    const { detail, source } = this.#lazy;
    if (detail === undefined && source !== undefined) return decoder.decode(source.bytes.subarray(source.start, source.end));
    return JSON.stringify(this.detail());
  }

  get title(): string {
    return this.detail().title;
  }
  get permalink(): string {
    return this.detail().permalink;
  }
  get externalUrl(): string | undefined {
    return this.detail().externalUrl;
  }
  get publisher(): string | undefined {
    return this.detail().publisher;
  }
  get authors(): readonly string[] {
    return this.detail().authors;
  }
  get tags(): readonly string[] {
    return this.detail().tags;
  }
  get related(): readonly RelatedLink[] {
    return this.detail().related;
  }
  get via(): DocumentFields['via'] {
    return this.detail().via;
  }
  get aliases(): readonly string[] {
    return this.detail().aliases;
  }

  /** The same fields with some of the head replaced; the detail (parsed or not) is shared. */
  with(changes: Partial<HeadFields>): LazyFields {
    const pick = <K extends keyof HeadFields>(key: K): HeadFields[K] => (key in changes ? (changes[key] as HeadFields[K]) : this[key]);
    const head: HeadFields = {
      id: pick('id'),
      slug: pick('slug'),
      file: pick('file'),
      publishedMs: pick('publishedMs'),
      updatedMs: pick('updatedMs'),
      lastMod: pick('lastMod'),
      revision: pick('revision'),
      image: pick('image'),
      topics: pick('topics'),
    };
    const copy = new LazyFields(head);
    copy.#lazy = this.#lazy;
    return copy;
  }

  toJSON(): DocumentFields {
    return plainFields(this);
  }
}

/** A cached record: its description is in the detail too. */
export class CachedRecord implements ParsedRecord {
  constructor(
    readonly fields: LazyFields,
    readonly bodyStart: number | undefined,
    readonly problems: readonly Problem[],
  ) {}

  get description(): string | undefined {
    return this.fields.detail().description;
  }
}

/** What makes two topic objects the same: documents share one object per key. */
export function topicKey(topic: DocumentTopic): string {
  return `${topic.slug}\u0000${topic.name}\u0000${topic.label}\u0000${topic.description ?? ''}`;
}

export function headOf(fields: DocumentFields): HeadFields {
  return {
    id: fields.id,
    slug: fields.slug,
    file: fields.file,
    publishedMs: fields.publishedMs,
    updatedMs: fields.updatedMs,
    lastMod: fields.lastMod,
    ...(fields.revision === undefined ? {} : { revision: fields.revision }),
    ...(fields.image === undefined ? {} : { image: fields.image }),
    topics: fields.topics,
  };
}

export function detailOf(fields: DocumentFields, description: string | undefined): Detail {
  const { externalUrl, publisher, via } = fields;
  return {
    title: fields.title,
    permalink: fields.permalink,
    ...(externalUrl === undefined ? {} : { externalUrl }),
    ...(publisher === undefined ? {} : { publisher }),
    authors: fields.authors,
    tags: fields.tags,
    related: fields.related,
    ...(via === undefined ? {} : { via }),
    aliases: fields.aliases,
    ...(description === undefined ? {} : { description }),
  };
}

/** Every field as a plain object (what a parse gives), whichever kind `fields` is. */
export function plainFields(fields: DocumentFields): DocumentFields {
  return { ...headOf(fields), ...detailOf(fields, undefined) };
}

/**
 * `fields` with some of the head replaced (`undefined` removes an optional
 * one). Cached fields stay lazy; a spread would drop their getters.
 */
export function withFields(fields: DocumentFields, changes: Partial<HeadFields>): DocumentFields {
  if (fields instanceof LazyFields) return fields.with(changes);
  const out: Record<string, unknown> = { ...fields, ...changes };
  for (const [key, value] of Object.entries(changes)) if (value === undefined) delete out[key];
  return out as unknown as DocumentFields;
}
