/**
 * Deterministic corpus generator for benchmarks and soak tests.
 *
 *   npx tsx scripts/generate-corpus.ts --count 10000 --out DIR [--seed 42] [--topics 150]
 *
 * Every document has the front matter schema of a curated news item (the same
 * keys, in the same order, with the same value shapes as the seed document) and
 * an HTML body of 1–10 KB. Output depends only on (seed, topics, index): there is
 * no Math.random and no clock, so the same command writes byte-identical files,
 * and `generateDocumentText(index, options)` rebuilds any one document alone.
 *
 * Files are spread over folders of 1000: DIR/0000/<uuid>.md, DIR/0001/…
 * Topic popularity is Zipf-like: the topic of rank r is drawn with weight 1/r.
 * Topics are "Source: Label" (570 of them); beyond 570, qualified labels
 * ("KLAS: Rural Telemedicine", up to 11,970 in all) for broad taxonomies.
 * Only Node built-ins are used, so the script runs before `npm install`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { crc32 } from 'node:zlib';
import { performance } from 'node:perf_hooks';

// ---------------------------------------------------------------------------
// Public API

export interface DocumentOptions {
  /** PRNG seed; default 42. */
  readonly seed?: number;
  /** Number of distinct topics to draw from; default 150. */
  readonly topics?: number;
  /** Files per sub-folder; default 1000. */
  readonly filesPerFolder?: number;
}

export interface CorpusOptions extends DocumentOptions {
  readonly count: number;
  readonly outDir: string;
  /** Files written at once; default 64. */
  readonly concurrency?: number;
  /** Featured images padded to this many bytes (`paddedImage`), as web-sized images are; default: the ~100-byte placeholders. */
  readonly imageBytes?: number;
}

export interface GeneratedDocument {
  /** `<uuid>.md`, equal to the front matter `mdName`. */
  readonly fileName: string;
  /** `0000/<uuid>.md`, relative to the output folder, `/` separated. */
  readonly relativePath: string;
  /** The whole file: `---`, front matter, `---`, body. */
  readonly text: string;
  readonly id: number;
  readonly slug: string;
  /** Topic slugs (the part of `categoryUrl` after `topic/`), in document order. */
  readonly topicSlugs: readonly string[];
  /** UTF-8 bytes of the body alone. */
  readonly bodyBytes: number;
  /** The featured image file beside the document (a tiny placeholder), when the document has one. */
  readonly image?: { readonly relativePath: string; readonly bytes: Uint8Array };
}

/** 16×9 placeholders, so generated documents have real image files beside them (src/ingest/media.ts measures them). */
const PLACEHOLDER_IMAGES = {
  JPEG: Buffer.from('/9j/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAAJABADASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAX/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFAEBAAAAAAAAAAAAAAAAAAAABP/EABQRAQAAAAAAAAAAAAAAAAAAAAD/2gAMAwEAAhEDEQA/AJgBAD//2Q==', 'base64'),
  PNG: Buffer.from('iVBORw0KGgoAAAANSUhEUgAAABAAAAAJAQMAAAAB5D5xAAAAA1BMVEUtanq4LfNmAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAC0lEQVR4nGNgwAkAABsAAco8Sg0AAAAASUVORK5CYII=', 'base64'),
} as const;

/**
 * `image` (a placeholder) grown to `size` bytes (a few more when it is only a few bytes short)
 * with data a decoder skips: JPEG comment segments after the start marker, or one PNG text chunk
 * after the header. The pixels, type and size a reader measures stay the same; only the byte
 * length changes (the memory and disk cost of real featured images, which the placeholders
 * hide). Smaller sizes give the image as it is.
 */
export function paddedImage(image: Uint8Array, size: number): Uint8Array {
  const missing = size - image.byteLength;
  if (missing <= 0) return image;
  const bytes = Buffer.from(image);
  if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    const segments: Buffer[] = [];
    // Each segment is a marker, a 2-byte length (which counts itself) and up to 65,533 bytes.
    for (let left = missing; left > 0; ) {
      const data = Math.min(65_533, Math.max(left - 4, 0));
      const segment = Buffer.alloc(4 + data, 0x20);
      segment.writeUInt16BE(0xfffe, 0);
      segment.writeUInt16BE(data + 2, 2);
      segments.push(segment);
      left -= segment.byteLength;
    }
    return Buffer.concat([bytes.subarray(0, 2), ...segments, bytes.subarray(2)]);
  }
  if (bytes.subarray(1, 4).toString('latin1') === 'PNG') {
    // Signature (8) and IHDR (25), then a tEXt chunk: length, type, keyword, NUL, text, CRC.
    const headerEnd = 8 + 25;
    const text = Buffer.concat([Buffer.from('Comment\u0000', 'latin1'), Buffer.alloc(Math.max(missing - 12 - 8, 0), 0x20)]);
    const typed = Buffer.concat([Buffer.from('tEXt', 'latin1'), text]);
    const chunk = Buffer.alloc(4 + typed.byteLength + 4);
    chunk.writeUInt32BE(text.byteLength, 0);
    typed.copy(chunk, 4);
    chunk.writeUInt32BE(crc32(typed), 4 + typed.byteLength);
    return Buffer.concat([bytes.subarray(0, headerEnd), chunk, bytes.subarray(headerEnd)]);
  }
  throw new Error('paddedImage: not a JPEG or PNG');
}

export interface TopicCount {
  readonly name: string;
  readonly slug: string;
  readonly count: number;
}

export interface CorpusStats {
  readonly count: number;
  readonly folders: number;
  readonly totalBytes: number;
  readonly minBodyBytes: number;
  readonly maxBodyBytes: number;
  readonly topicsAvailable: number;
  readonly topicsUsed: number;
  /** Most used first. */
  readonly topicCounts: readonly TopicCount[];
  /** Documents with 1, 2, 3 and 4 topics. */
  readonly topicsPerDocument: readonly [number, number, number, number];
}

export const DEFAULT_SEED = 42;
export const DEFAULT_TOPICS = 150;
export const DEFAULT_FILES_PER_FOLDER = 1000;
export const FIRST_ID = 100_000;

// ---------------------------------------------------------------------------
// Seeded randomness

export type Rng = () => number;

/** mulberry32: a small, fast 32-bit PRNG; returns floats in [0, 1). */
export function mulberry32(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit avalanche mix, so neighbouring indexes get unrelated streams. */
function mix32(value: number): number {
  let x = value >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

function streamSeed(seed: number, index: number, stream: number): number {
  return mix32(mix32(seed) ^ mix32(index * 0x9e3779b1 + stream * 0x85ebca6b + 1));
}

function intBetween(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[Math.floor(rng() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

function chance(rng: Rng, probability: number): boolean {
  return rng() < probability;
}

// ---------------------------------------------------------------------------
// Vocabulary (original word lists)

const WORDS: readonly string[] = [
  'patient', 'clinician', 'hospital', 'network', 'record', 'portal', 'device', 'sensor',
  'workflow', 'platform', 'analytics', 'model', 'pilot', 'rollout', 'vendor', 'payer',
  'provider', 'claims', 'consent', 'identity', 'audit', 'triage', 'referral', 'pharmacy',
  'laboratory', 'imaging', 'nurse', 'physician', 'registry', 'dashboard', 'pathway', 'cohort',
  'outcome', 'readmission', 'latency', 'backlog', 'budget', 'contract', 'pricing', 'coverage',
  'telehealth', 'visit', 'schedule', 'inbox', 'alert', 'threshold', 'baseline', 'signal',
  'dataset', 'pipeline', 'standard', 'interface', 'exchange', 'gateway', 'endpoint', 'firmware',
  'patch', 'backup', 'recovery', 'incident', 'breach', 'phishing', 'ransomware', 'segmentation',
  'encryption', 'token', 'credential', 'policy', 'guidance', 'regulator', 'approval', 'label',
  'trial', 'protocol', 'dose', 'vaccine', 'biologic', 'plasma', 'donor', 'supply', 'freezer',
  'shipment', 'inventory', 'forecast', 'staffing', 'shift', 'burnout', 'retention', 'training',
  'coding', 'denial', 'appeal', 'authorization', 'statement', 'balance', 'estimate', 'charge',
  'community', 'clinic', 'county', 'region', 'system', 'board', 'committee', 'survey',
  'evidence', 'review', 'study', 'finding', 'metric', 'target', 'milestone', 'quarter',
  'accurate', 'remote', 'secure', 'shared', 'rural', 'urban', 'regional', 'national',
  'clinical', 'digital', 'virtual', 'connected', 'automated', 'predictive', 'manual', 'legacy',
  'modern', 'hybrid', 'faster', 'slower', 'careful', 'measured', 'steady', 'early',
  'reduces', 'improves', 'tracks', 'flags', 'routes', 'stores', 'links', 'verifies',
  'publishes', 'expands', 'replaces', 'monitors', 'supports', 'requires', 'simplifies', 'delays',
  'across', 'within', 'between', 'before', 'after', 'during', 'without', 'through',
  'the', 'a', 'its', 'their', 'each', 'every', 'more', 'fewer', 'new', 'existing',
  'and', 'or', 'while', 'because', 'when', 'so', 'yet', 'with', 'for', 'from', 'into',
];

const HEADLINE_NOUNS: readonly string[] = [
  'Health Systems', 'Rural Clinics', 'Payers', 'Regulators', 'Hospitals', 'Nurses',
  'Pharmacies', 'Labs', 'Vendors', 'CIOs', 'Care Teams', 'Startups', 'Insurers',
  'Blood Banks', 'Vaccine Makers', 'Radiology Groups', 'Home Care Agencies', 'Researchers',
];

const HEADLINE_VERBS: readonly string[] = [
  'Rethink', 'Expand', 'Pause', 'Audit', 'Automate', 'Consolidate', 'Pilot', 'Modernize',
  'Secure', 'Measure', 'Share', 'Outsource', 'Standardize', 'Retire', 'Prioritize', 'Fund',
];

const HEADLINE_OBJECTS: readonly string[] = [
  'Patient Portals', 'Prior Authorization', 'Remote Monitoring', 'Cold-Chain Tracking',
  'Legacy Servers', 'AI Scribes', 'Claims Edits', 'Device Inventories', 'Data Exchange',
  'Virtual Nursing', 'Price Estimates', 'Identity Proofing', 'Backup Strategy',
  'Consent Management', 'Imaging Archives', 'Donor Screening', 'Lab Interfaces',
  'Medication Fridges', 'Discharge Planning', 'Telehealth Visits',
];

const HEADLINE_TAILS: readonly string[] = [
  'After a Difficult Year', 'Ahead of New Rules', 'as Costs Climb', 'in 2025 Budgets',
  'Despite Staffing Gaps', 'With Mixed Results', 'to Cut Denials', 'After an Outage',
  'for Safer Care', 'at Scale', 'Across Three States', 'Before Flu Season',
];

/** Occasional punctuation that front matter emitters must quote correctly. */
const HEADLINE_PREFIXES: readonly string[] = [
  'Q&A: ', 'Analysis: ', 'R&D Watch: ', '"Digital Front Door": ', "Editor's Pick: ", 'Zürich & Köln: ',
];

const AUTHORS: readonly string[] = [
  'Priya Raman', 'Marcus Bell', 'Zoë Ångström', 'José Muñoz', 'Hannah Okafor', 'Li Wei',
  'Søren Kjær', 'Amelia Grant', 'Tomás Ó Briain', 'Fatima Haddad', 'Noah Feldman',
  'Chloé Lefèvre', 'Kenji Watanabe', 'Grace Mensah', 'Ilse Brückner', 'Diego Alvarez',
];

interface Publisher {
  readonly brand: string;
  readonly prefix: string;
  readonly section: string;
}

const PUBLISHERS: readonly Publisher[] = [
  { brand: 'healthit-daily.example', prefix: 'healthit-daily', section: 'news' },
  { brand: 'medtech-review.example', prefix: 'medtech-review', section: 'articles' },
  { brand: 'clinical-informatics-weekly.example', prefix: 'clinical-informatics-weekly', section: 'story' },
  { brand: 'payer-provider-journal.example', prefix: 'payer-provider-journal', section: 'insights' },
  { brand: 'telehealth-pulse.example', prefix: 'telehealth-pulse', section: 'blog/emea' },
  { brand: 'biologics-watch.example', prefix: 'biologics-watch', section: 'regulatory' },
];

interface Offering {
  readonly label: string;
  readonly permalink: string;
  readonly categories: readonly string[];
  readonly offeringId: number;
}

const OFFERING_STEMS: readonly string[] = [
  'Northwind', 'Bluefin', 'Cedar', 'Harbor', 'Lumen', 'Meridian', 'Quill', 'Sable',
  'Tallgrass', 'Vantage', 'Willow', 'Juniper',
];

const OFFERING_KINDS: readonly string[] = [
  'Device Shield', 'Claims Assist', 'Care Connect', 'Scribe', 'Vault', 'Exchange Hub',
  'Cold Chain Monitor', 'Triage Console',
];

// ---------------------------------------------------------------------------
// Topics

const TOPIC_SOURCES: readonly string[] = [
  'Healthcare IT News', 'KLAS', 'Medical Subject Headings (MeSH)',
  'U.S. Food and Drug Administration (FDA)', 'HIMSS', 'Office of the National Coordinator (ONC)',
  'Centers for Medicare & Medicaid Services (CMS)', 'Gartner', 'Médecine Numérique', 'Forrester',
];

const TOPIC_LABELS: readonly string[] = [
  'Cybersecurity', 'Artificial Intelligence', 'Vaccines, Blood & Biologics', 'Telemedicine',
  'Revenue Cycle', 'Interoperability', 'Electronic Health Records', 'Medical Devices',
  'Population Health', 'Patient Engagement', 'Wearable Electronic Devices', 'Security',
  'Precision Medicine', 'Clinical Decision Support', 'Cloud Computing', 'Data Analytics',
  'Remote Patient Monitoring', 'Value-Based Care', 'Mobile Health', 'Imaging & Radiology',
  'Pharmacy Informatics', 'Nursing Informatics', 'Behavioral Health', 'Supply Chain',
  'Workforce Management', 'Genomics', 'Clinical Trials', 'Privacy', 'Digital Therapeutics',
  'Care Coordination', 'Price Transparency', 'Social Determinants of Health',
  'Health Information Exchange', 'Patient Safety', 'Natural Language Processing',
  'Prior Authorization', 'Claims Management', 'Identity & Access', 'Ransomware',
  'Internet of Medical Things', 'Oncology', 'Cardiology', 'Diabetes Care', 'Maternal Health',
  'Rural Health', 'Home Health', 'Long-Term Care', 'Emergency Medicine', 'Pediatrics',
  'Public Health Surveillance', 'Santé Connectée', 'Quality Reporting', 'Medical Coding',
  'Speech Recognition', 'Patient Portals', 'Virtual Nursing', 'Hospital at Home',
];

/** The topics of the hand-written content/ folder come first, so they are the popular ones. */
const LEADING_TOPICS: readonly string[] = [
  'Healthcare IT News: Cybersecurity',
  'Healthcare IT News: Artificial Intelligence',
  'U.S. Food and Drug Administration (FDA): Vaccines, Blood & Biologics',
  'Medical Subject Headings (MeSH): Telemedicine',
  'Healthcare IT News: Interoperability',
  'KLAS: Revenue Cycle',
  'Medical Subject Headings (MeSH): Electronic Health Records',
  'U.S. Food and Drug Administration (FDA): Medical Devices',
  'KLAS: Population Health',
  'Healthcare IT News: Patient Engagement',
  'Médecine Numérique: Santé Connectée',
  'KLAS: Security',
];

export interface Topic {
  /** `categories[i]`, e.g. "KLAS: Revenue Cycle". */
  readonly name: string;
  /** `categorySlug[i]`: the name lowercased. */
  readonly lowerName: string;
  /** `categoryUrl[i]` without `topic/`. */
  readonly slug: string;
  /** `categoryLabel[i]`: the part after the first colon. */
  readonly label: string;
}

/**
 * The curation system's slug rule (kept here on purpose rather than imported
 * from src/, so generated data is an independent oracle for the service):
 * lowercase, strip accents, each run of other characters -> "-", trim "-".
 */
export function topicSlug(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function makeTopic(name: string): Topic {
  const colon = name.indexOf(':');
  const label = colon >= 0 ? name.slice(colon + 1).trim() : name;
  return { name, lowerName: name.toLowerCase(), slug: topicSlug(name), label };
}

const topicCache = new Map<string, readonly Topic[]>();

const TOPIC_QUALIFIERS: readonly string[] = [
  'Adult', 'Pediatric', 'Rural', 'Urban', 'Regional', 'National', 'Clinical', 'Virtual', 'Connected', 'Automated',
  'Predictive', 'Legacy', 'Hybrid', 'Community', 'Acute', 'Chronic', 'Preventive', 'Outpatient', 'Inpatient', 'Ambulatory',
];

/** Every "Source: Qualifier Label" name (11,400), shuffled with their own stream of the seed. */
function qualifiedTopics(seed: number, combos: readonly string[]): string[] {
  const names: string[] = [];
  for (const qualifier of TOPIC_QUALIFIERS) {
    for (const combo of combos) {
      const colon = combo.indexOf(': ');
      names.push(`${combo.slice(0, colon)}: ${qualifier} ${combo.slice(colon + 2)}`);
    }
  }
  const rng = mulberry32(streamSeed(seed, 0, 13));
  for (let i = names.length - 1; i > 0; i -= 1) {
    const j = Math.floor(rng() * (i + 1));
    [names[i], names[j]] = [names[j]!, names[i]!];
  }
  return names;
}

/** The `count` topics for `seed`, in popularity rank order (rank 1 first). */
export function topicList(seed: number, count: number): readonly Topic[] {
  const key = `${seed}:${count}`;
  const cached = topicCache.get(key);
  if (cached) return cached;
  const combos: string[] = [];
  for (const source of TOPIC_SOURCES) {
    for (const label of TOPIC_LABELS) combos.push(`${source}: ${label}`);
  }
  // Fisher–Yates with the seed, then the fixed leading topics in front.
  const rng = mulberry32(streamSeed(seed, 0, 7));
  for (let i = combos.length - 1; i > 0; i -= 1) {
    const j = Math.floor(rng() * (i + 1));
    const a = combos[i];
    const b = combos[j];
    if (a === undefined || b === undefined) throw new Error('shuffle out of range');
    combos[i] = b;
    combos[j] = a;
  }
  const topics: Topic[] = [];
  const seen = new Set<string>();
  // Beyond the plain source x label topics (570): qualified labels ("KLAS: Rural Telemedicine"),
  // for broad taxonomies like the real ones (thousands of topics). The first 570 never change.
  const qualified = count > combos.length ? qualifiedTopics(seed, combos) : [];
  for (const name of [...LEADING_TOPICS, ...combos, ...qualified]) {
    if (topics.length >= count) break;
    const topic = makeTopic(name);
    if (seen.has(topic.slug)) continue;
    seen.add(topic.slug);
    topics.push(topic);
  }
  if (topics.length < count) {
    throw new Error(`--topics ${count} is more than the ${topics.length} topics available`);
  }
  topicCache.set(key, topics);
  return topics;
}

const zipfCache = new Map<number, Float64Array>();

/** Cumulative 1/r weights, normalized to end at 1. */
function zipfCumulative(count: number): Float64Array {
  const cached = zipfCache.get(count);
  if (cached) return cached;
  const cumulative = new Float64Array(count);
  let total = 0;
  for (let r = 1; r <= count; r += 1) {
    total += 1 / r;
    cumulative[r - 1] = total;
  }
  for (let i = 0; i < count; i += 1) cumulative[i] = (cumulative[i] ?? 0) / total;
  zipfCache.set(count, cumulative);
  return cumulative;
}

/** A 0-based topic rank with probability proportional to 1/(rank+1). */
function zipfRank(rng: Rng, cumulative: Float64Array): number {
  const u = rng();
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((cumulative[mid] ?? 1) < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function offeringPool(seed: number, topics: readonly Topic[]): readonly Offering[] {
  const rng = mulberry32(streamSeed(seed, 0, 11));
  const offerings: Offering[] = [];
  let id = 16_000;
  for (const stem of OFFERING_STEMS) {
    for (const kind of OFFERING_KINDS) {
      id += 1 + intBetween(rng, 0, 5);
      const label = `${stem} ${kind}`;
      const categories = new Set<string>();
      const n = intBetween(rng, 1, 3);
      for (let i = 0; i < n; i += 1) categories.add(pick(rng, topics.slice(0, 20)).name);
      offerings.push({ label, permalink: `/offering/${topicSlug(label)}`, categories: [...categories], offeringId: id });
    }
  }
  return offerings;
}

const offeringCache = new Map<string, readonly Offering[]>();

function offeringsFor(seed: number, topics: readonly Topic[]): readonly Offering[] {
  const key = `${seed}:${topics.length}`;
  let pool = offeringCache.get(key);
  if (!pool) {
    pool = offeringPool(seed, topics);
    offeringCache.set(key, pool);
  }
  return pool;
}

// ---------------------------------------------------------------------------
// YAML emitter (js-yaml `safeDump` style: 2-space indents, `>-` for long lines)

type YamlScalar = string | number | boolean | null;
type YamlValue = YamlScalar | readonly YamlValue[] | YamlMap;
interface YamlMap {
  readonly [key: string]: YamlValue | undefined;
}

const LINE_WIDTH = 80;

function isSeq(value: YamlValue): value is readonly YamlValue[] {
  return Array.isArray(value);
}

function isMap(value: YamlValue): value is YamlMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Strings a YAML parser would read as something other than a string (js-yaml's schema, plus YAML 1.1 yes/no/on/off). */
const AMBIGUOUS: readonly RegExp[] = [
  /^(?:~|null|Null|NULL|<<)$/,
  /^(?:true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/,
  /^[-+]?(?:[0-9][0-9_]*(?::[0-5]?[0-9])*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9_]+(?:[eE][-+]?[0-9]+)?|0b[01_]+|0x[0-9a-fA-F_]+|\.(?:inf|Inf|INF))$/,
  /^\.(?:nan|NaN|NAN)$/,
  /^\d{4}-\d\d?-\d\d?(?:(?:[Tt]|[ \t]+)\d\d?:\d\d:\d\d(?:\.\d*)?(?:[ \t]*(?:Z|[-+]\d\d?(?::\d\d)?))?)?$/,
];

/** js-yaml's plain-style test: safe first character, no flow indicators, ":" or " #". */
function isPlainSafe(value: string): boolean {
  if (value === '' || AMBIGUOUS.some((pattern) => pattern.test(value))) return false;
  if (/^[\s\-?:,[\]{}#&*!|=>'"%@`]/.test(value)) return false;
  if (/\s$/.test(value)) return false;
  return !/[,[\]{}:]|\s#/.test(value);
}

function hasControlChars(value: string): boolean {
  return /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff\n\r\t]/.test(value);
}

/** js-yaml's foldLine: break at spaces so lines stay within `width` where possible. */
function foldLine(line: string, width: number): string {
  const breakRe = / [^ ]/g;
  let start = 0;
  let curr = 0;
  let result = '';
  let match: RegExpExecArray | null;
  while ((match = breakRe.exec(line)) !== null) {
    const next = match.index;
    if (next - start > width) {
      const end = curr > start ? curr : next;
      result += `\n${line.slice(start, end)}`;
      start = end + 1;
    }
    curr = next;
  }
  result += '\n';
  if (line.length - start > width && curr > start) {
    result += `${line.slice(start, curr)}\n${line.slice(curr + 1)}`;
  } else {
    result += line.slice(start);
  }
  return result.slice(1);
}

/** A scalar after `key: ` or `- `; `indent` is the column of folded continuation lines. */
function scalar(value: YamlScalar, indent: number): string {
  if (value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (hasControlChars(value)) return JSON.stringify(value);
  const width = Math.max(Math.min(LINE_WIDTH, 40), LINE_WIDTH - indent);
  if (value.length > width && value[0] !== ' ' && !/\s$/.test(value)) {
    const pad = ' '.repeat(indent);
    return `>-\n${foldLine(value, width)
      .split('\n')
      .map((line) => pad + line)
      .join('\n')}`;
  }
  if (isPlainSafe(value)) return value;
  return `'${value.replace(/'/g, "''")}'`;
}

function emitMap(map: YamlMap, indent: number, out: string[]): void {
  const pad = ' '.repeat(indent);
  for (const key of Object.keys(map)) {
    const value = map[key];
    if (value === undefined) continue;
    if (isSeq(value)) {
      if (value.length === 0) {
        out.push(`${pad}${key}: []`);
      } else {
        out.push(`${pad}${key}:`);
        emitSeq(value, indent + 2, out);
      }
    } else if (isMap(value)) {
      if (Object.keys(value).length === 0) {
        out.push(`${pad}${key}: {}`);
      } else {
        out.push(`${pad}${key}:`);
        emitMap(value, indent + 2, out);
      }
    } else {
      out.push(`${pad}${key}: ${scalar(value, indent + 2)}`);
    }
  }
}

function emitSeq(seq: readonly YamlValue[], indent: number, out: string[]): void {
  const pad = ' '.repeat(indent);
  for (const item of seq) {
    if (isSeq(item)) {
      if (item.length === 0) {
        out.push(`${pad}- []`);
      } else {
        out.push(`${pad}-`);
        emitSeq(item, indent + 2, out);
      }
    } else if (isMap(item)) {
      const inner: string[] = [];
      emitMap(item, indent + 2, inner);
      if (inner.length === 0) {
        out.push(`${pad}- {}`);
        continue;
      }
      const [first, ...rest] = inner;
      out.push(`${pad}- ${(first ?? '').slice(indent + 2)}`, ...rest);
    } else {
      out.push(`${pad}- ${scalar(item, indent + 2)}`);
    }
  }
}

/** YAML text for a mapping, one key per line, ending with a newline. */
export function toYaml(map: YamlMap): string {
  const out: string[] = [];
  emitMap(map, 0, out);
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------------------
// Documents

type FrontMatter = {
  readonly [key: string]: YamlValue;
};

const NULL_HTML_META: FrontMatter = {
  author: null,
  description: null,
  generator: null,
  viewport: null,
  articlemodified_time: null,
  articlepublished_time: null,
  'msvalidate.01': null,
  ogdescription: null,
  ogimage: null,
  ogsite_name: null,
  ogtitle: null,
  ogtype: null,
  ogupdated_time: null,
  ogurl: null,
  'yandex-verification': null,
  robots: null,
  fbapp_id: null,
  oglocale: null,
  fbadmins: null,
  articlepublisher: null,
  'google-site-verification': null,
  keywords: null,
};

const NULL_OPEN_GRAPH: FrontMatter = {
  ogdescription: null,
  ogtitle: null,
  ogurl: null,
  ogimage: null,
  ogsite_name: null,
  ogtype: null,
  ogupdated_time: null,
  ogimageheight: null,
};

const NULL_TWITTER: FrontMatter = {
  twittercard: null,
  twitterdescription: null,
  twittertitle: null,
  twitterimage: null,
  twitterurl: null,
};

const DAY_MS = 86_400_000;
const FIRST_DAY_MS = Date.UTC(2019, 0, 1);
const LAST_DAY_MS = Date.UTC(2026, 9, 31);

function hex(rng: Rng, digits: number): string {
  let out = '';
  for (let i = 0; i < digits; i += 1) out += Math.floor(rng() * 16).toString(16);
  return out;
}

/** A UUID-shaped name whose last 8 hex digits are the index, so names never collide. */
function uuidFor(rng: Rng, index: number): string {
  const variant = pick(rng, ['8', '9', 'a', 'b']);
  const tail = (index >>> 0).toString(16).padStart(8, '0');
  return `${hex(rng, 8)}-${hex(rng, 4)}-4${hex(rng, 3)}-${variant}${hex(rng, 3)}-${hex(rng, 4)}${tail}`;
}

function capitalize(word: string): string {
  return word.length === 0 ? word : word[0]!.toUpperCase() + word.slice(1);
}

function titleFor(rng: Rng): string {
  const prefix = chance(rng, 0.06) ? pick(rng, HEADLINE_PREFIXES) : '';
  const core = `${pick(rng, HEADLINE_NOUNS)} ${pick(rng, HEADLINE_VERBS)} ${pick(rng, HEADLINE_OBJECTS)}`;
  const tail = chance(rng, 0.7) ? ` ${pick(rng, HEADLINE_TAILS)}` : '';
  return prefix + core + tail;
}

function limitSlug(slug: string, max: number): string {
  if (slug.length <= max) return slug;
  const cut = slug.slice(0, max);
  const dash = cut.lastIndexOf('-');
  return dash > 0 ? cut.slice(0, dash) : cut;
}

interface Identity {
  readonly title: string;
  readonly titleSlug: string;
  readonly publisher: Publisher;
  readonly slug: string;
}

/** Title, publisher and slug of a document: cheap, so bodies can link to earlier documents. */
function identityOf(seed: number, index: number): Identity {
  const rng = mulberry32(streamSeed(seed, index, 1));
  const title = titleFor(rng);
  const publisher = pick(rng, PUBLISHERS);
  const titleSlug = `${limitSlug(topicSlug(title), 120)}-${index.toString(36)}`;
  return { title, titleSlug, publisher, slug: `${publisher.prefix}-${titleSlug}` };
}

function sentence(rng: Rng, links: LinkMaker | null): string {
  const n = intBetween(rng, 8, 18);
  const words: string[] = [];
  for (let i = 0; i < n; i += 1) words.push(pick(rng, WORDS));
  words[0] = capitalize(words[0] ?? 'The');
  const roll = rng();
  if (roll < 0.08 && n > 4) {
    const at = intBetween(rng, 1, n - 3);
    words[at] = `<strong>${words[at] ?? ''} ${words[at + 1] ?? ''}</strong>`;
    words.splice(at + 1, 1);
  } else if (roll < 0.16 && links !== null) {
    const at = intBetween(rng, 1, words.length - 2);
    words[at] = links(words[at] ?? 'more');
  } else if (roll < 0.2) {
    const at = intBetween(rng, 1, words.length - 2);
    words[at] = `${words[at] ?? ''}&nbsp;${pick(rng, WORDS)}`;
  }
  return `${words.join(' ')}.`;
}

type LinkMaker = (anchor: string) => string;

function linkMaker(rng: Rng, seed: number, index: number, publisher: Publisher): LinkMaker {
  return (anchor) => {
    const kind = rng();
    if (kind < 0.4) {
      const url = `https://www.${publisher.brand}/${publisher.section}/${pick(rng, WORDS)}-${pick(rng, WORDS)}-${intBetween(rng, 100, 999)}`;
      return `<a href="${url}">${anchor}</a>`;
    }
    if (kind < 0.75 && index > 0) {
      const other = identityOf(seed, intBetween(rng, Math.max(0, index - 5000), index - 1));
      return `<a href="/news/${other.slug}/">${anchor}</a>`;
    }
    if (kind < 0.9) {
      return `<a href="../reports/${pick(rng, WORDS)}-${intBetween(rng, 2019, 2026)}.pdf">${anchor}</a>`;
    }
    return `<a href="#section-${intBetween(rng, 1, 4)}">${anchor}</a>`;
  };
}

interface Body {
  readonly html: string;
  /** Plain text of the opening paragraph; the description is a prefix of it. */
  readonly lead: string;
}

function bodyFor(rng: Rng, seed: number, index: number, publisher: Publisher): Body {
  const links = linkMaker(rng, seed, index, publisher);
  const target = intBetween(rng, 1100, 8600);
  const leadSentences: string[] = [];
  for (let i = intBetween(rng, 2, 4); i > 0; i -= 1) leadSentences.push(sentence(rng, null).replace(/<[^>]+>|&nbsp;/g, ' ').replace(/ {2,}/g, ' '));
  const lead = leadSentences.join(' ');
  const parts: string[] = [`<p>${lead}`];
  if (chance(rng, 0.5)) parts.push('<br><br>', sentence(rng, links));
  parts.push('</p>');
  let length = parts.reduce((sum, part) => sum + part.length, 0);
  let figure = 0;
  while (length < target) {
    const kind = rng();
    let block: string;
    if (kind < 0.18) {
      block = `<h3><strong>${capitalize(pick(rng, WORDS))} ${pick(rng, WORDS)} ${pick(rng, WORDS)}</strong></h3>`;
    } else if (kind < 0.3) {
      const items: string[] = [];
      for (let i = intBetween(rng, 2, 5); i > 0; i -= 1) items.push(`<li>${sentence(rng, links)}</li>`);
      block = `<ul>${items.join('')}</ul>`;
    } else if (kind < 0.35) {
      figure += 1;
      block = `<p><img src="images/figure-${figure}.png" alt="${capitalize(pick(rng, WORDS))} ${pick(rng, WORDS)} chart">${sentence(rng, null)}</p>`;
    } else {
      const sentences: string[] = [];
      for (let i = intBetween(rng, 2, 5); i > 0; i -= 1) sentences.push(sentence(rng, links));
      block = `<p>${sentences.join(' ')}</p>`;
    }
    parts.push(block);
    length += block.length;
  }
  // Like the seed, some bodies stop inside an unclosed paragraph.
  if (chance(rng, 0.08)) {
    const words: string[] = [];
    for (let i = intBetween(rng, 5, 25); i > 0; i -= 1) words.push(pick(rng, WORDS));
    parts.push(`<p>${capitalize(words.join(' '))}`);
  }
  return { html: parts.join(''), lead };
}

/** A prefix of the lead: whole sentences, or (like the seed) cut in the middle of a word. */
function descriptionFor(rng: Rng, lead: string): string {
  if (chance(rng, 0.2)) {
    let at = Math.min(lead.length - 2, intBetween(rng, 120, 240));
    while (at < lead.length - 1 && !(/[a-z]/i.test(lead[at - 1] ?? '') && /[a-z]/i.test(lead[at] ?? ''))) at += 1;
    if (at < lead.length - 1) return lead.slice(0, at);
  }
  const end = lead.indexOf('. ', 80);
  return end > 0 ? lead.slice(0, end + 1) : lead;
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** No lastMod later than this, so a corpus never claims edits from the future. */
const LAST_MODIFIED_MS = Date.UTC(2026, 10, 27, 23, 59, 59);

function lastModFor(rng: Rng, dayMs: number): string {
  const seconds = chance(rng, 0.1) ? intBetween(rng, 0, 86_399) : intBetween(rng, 0, 120 * 86_400);
  const micros = String(intBetween(rng, 0, 999_999)).padStart(6, '0');
  const ms = Math.min(dayMs + seconds * 1000, LAST_MODIFIED_MS);
  return `${new Date(ms).toISOString().slice(0, 19)}.${micros}Z`;
}

function topicsFor(rng: Rng, topics: readonly Topic[]): Topic[] {
  const roll = rng();
  const wanted = Math.min(topics.length, roll < 0.45 ? 1 : roll < 0.75 ? 2 : roll < 0.9 ? 3 : 4);
  const cumulative = zipfCumulative(topics.length);
  const ranks: number[] = [];
  while (ranks.length < wanted) {
    const rank = zipfRank(rng, cumulative);
    if (!ranks.includes(rank)) ranks.push(rank);
  }
  return ranks.map((rank) => {
    const topic = topics[rank];
    if (!topic) throw new Error(`no topic of rank ${rank}`);
    return topic;
  });
}

function resolved(options: DocumentOptions): Required<DocumentOptions> {
  const seed = options.seed ?? DEFAULT_SEED;
  const topics = options.topics ?? DEFAULT_TOPICS;
  const filesPerFolder = options.filesPerFolder ?? DEFAULT_FILES_PER_FOLDER;
  if (!Number.isInteger(seed)) throw new Error(`seed must be an integer, got ${seed}`);
  if (!Number.isInteger(topics) || topics < 1) throw new Error(`topics must be a positive integer, got ${topics}`);
  if (!Number.isInteger(filesPerFolder) || filesPerFolder < 1) {
    throw new Error(`filesPerFolder must be a positive integer, got ${filesPerFolder}`);
  }
  return { seed, topics, filesPerFolder };
}

/** Builds document `index` (0-based); pure: the same inputs give the same text. */
export function generateDocumentText(index: number, options: DocumentOptions = {}): GeneratedDocument {
  if (!Number.isInteger(index) || index < 0) throw new Error(`index must be a non-negative integer, got ${index}`);
  const { seed, topics: topicCount, filesPerFolder } = resolved(options);
  const topics = topicList(seed, topicCount);
  const identity = identityOf(seed, index);
  const rng = mulberry32(streamSeed(seed, index, 2));

  const uuid = uuidFor(rng, index);
  const fileName = `${uuid}.md`;
  const folder = String(Math.floor(index / filesPerFolder)).padStart(4, '0');
  const id = FIRST_ID + index;
  const { title, titleSlug, publisher, slug } = identity;
  const chosen = topicsFor(rng, topics);
  const dayMs = FIRST_DAY_MS + intBetween(rng, 0, (LAST_DAY_MS - FIRST_DAY_MS) / DAY_MS) * DAY_MS;
  const lastMod = lastModFor(rng, dayMs);
  const authorCount = chance(rng, 0.03) ? 0 : chance(rng, 0.8) ? 1 : intBetween(rng, 2, 3);
  const authors: string[] = [];
  while (authors.length < authorCount) {
    const name = pick(rng, AUTHORS);
    if (!authors.includes(name)) authors.push(name);
  }
  const url = `https://www.${publisher.brand}/${publisher.section}/${limitSlug(topicSlug(title), 90)}`;
  const imageFormat = chance(rng, 0.8) ? 'JPEG' : 'PNG';
  const featuredImage: YamlValue = chance(rng, 0.1)
    ? null
    : {
        alt: title,
        format: imageFormat,
        href: `${uuid}-featuredImage.${imageFormat === 'JPEG' ? 'jpeg' : 'png'}`,
        size: [intBetween(rng, 200, 900), intBetween(rng, 400, 1600)],
        valid: true,
        workPackage: id,
        wpAttachment: {
          fileName: imageFormat === 'JPEG' ? 'Curated_Featured_Image.jpg' : 'Curated_Featured_Image.png',
          link: `/api/v3/attachments/${20_000 + index}/content`,
        },
      };
  const pool = offeringsFor(seed, topics);
  const related: Offering[] = [];
  for (let i = chance(rng, 0.35) ? 0 : intBetween(rng, 1, 5); i > 0; i -= 1) {
    const offering = pick(rng, pool);
    if (!related.includes(offering)) related.push(offering);
  }
  const editorsPick = chance(rng, 0.02);
  const tags = chance(rng, 0.15) ? ['News', pick(rng, ['Analysis', 'Regulation', 'Security', 'Research'])] : ['News'];
  const body = bodyFor(rng, seed, index, publisher);
  const description = descriptionFor(rng, body.lead);

  const names = chosen.map((topic) => topic.name);
  const frontMatter: FrontMatter = {
    aliases: `/news/${titleSlug}`,
    archetype: 'curated-content',
    author: authors,
    basePath: '/news/',
    breadcrumbLinks: ['/', '/news/', ''],
    breadcrumbs: ['Home', 'News', title],
    categories: names,
    categorySlug: chosen.map((topic) => topic.lowerName),
    categoryUrl: chosen.map((topic) => `topic/${topic.slug}`),
    categoryLabel: chosen.map((topic) => topic.label),
    contentCategories: 'netspective-medigy-news-curated-content',
    institution: null,
    offering: null,
    layOut: 'single',
    date: isoDate(dayMs),
    description,
    favIconImage: null,
    featuredImage,
    featuredPdf: null,
    htmlMetaData: NULL_HTML_META,
    id,
    identifier: 'News',
    lastMod,
    link: { brand: publisher.brand, href: url, original: url },
    href: url,
    original: url,
    mastHead: 'NEWS',
    mdName: fileName,
    openGraphMetaData: NULL_OPEN_GRAPH,
    openProjectCustomFields: { cleanUrl: url, medigyTopics: names, sourceUrl: url },
    openProjectWorkPackageType: 'Curated Content',
    searchCategory: 'News',
    slug,
    source: 'open-project-curations',
    status: '',
    sub: 'brief',
    tags,
    title,
    via: editorsPick ? 'Medigy Editors' : ' ',
    insights_description: null,
    insights_name: null,
    viaLink: editorsPick ? `https://www.medigy.example/editors/picks/${index.toString(36)}` : null,
    relatedOfferings: related.map((offering) => ({
      label: offering.label,
      permalink: offering.permalink,
      categories: offering.categories,
      offeringId: offering.offeringId,
    })),
    twitterMetaData: NULL_TWITTER,
  };
  const text = ['---\n', toYaml(frontMatter), '---\n', body.html].join('');
  return {
    fileName,
    relativePath: `${folder}/${fileName}`,
    text,
    id,
    slug,
    topicSlugs: chosen.map((topic) => topic.slug),
    bodyBytes: Buffer.byteLength(body.html, 'utf8'),
    ...(featuredImage === null
      ? {}
      : { image: { relativePath: `${folder}/${uuid}-featuredImage.${imageFormat === 'JPEG' ? 'jpeg' : 'png'}`, bytes: PLACEHOLDER_IMAGES[imageFormat] } }),
  };
}

/** Writes `count` documents under `outDir` and returns what was written. */
export async function generateCorpus(options: CorpusOptions): Promise<CorpusStats> {
  const { count, outDir } = options;
  if (!Number.isInteger(count) || count < 0) throw new Error(`count must be a non-negative integer, got ${count}`);
  const resolvedOptions = resolved(options);
  const concurrency = Math.max(1, options.concurrency ?? 64);
  const topics = topicList(resolvedOptions.seed, resolvedOptions.topics);
  const folders = Math.ceil(count / resolvedOptions.filesPerFolder);
  for (let f = 0; f < folders; f += 1) {
    await mkdir(path.join(outDir, String(f).padStart(4, '0')), { recursive: true });
  }

  const perTopic = new Map<string, number>();
  const perDocument: [number, number, number, number] = [0, 0, 0, 0];
  let totalBytes = 0;
  let minBody = Number.POSITIVE_INFINITY;
  let maxBody = 0;
  let next = 0;
  // Two placeholders: each padded once.
  const paddedOnce = new Map<Uint8Array, Uint8Array>();
  const padded = (image: Uint8Array): Uint8Array => {
    if (options.imageBytes === undefined) return image;
    let grown = paddedOnce.get(image);
    if (grown === undefined) paddedOnce.set(image, (grown = paddedImage(image, options.imageBytes)));
    return grown;
  };

  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = next;
      next += 1;
      const doc = generateDocumentText(index, resolvedOptions);
      for (const slug of doc.topicSlugs) perTopic.set(slug, (perTopic.get(slug) ?? 0) + 1);
      const slot = doc.topicSlugs.length - 1;
      perDocument[slot] = (perDocument[slot] ?? 0) + 1;
      minBody = Math.min(minBody, doc.bodyBytes);
      maxBody = Math.max(maxBody, doc.bodyBytes);
      const data = Buffer.from(doc.text, 'utf8');
      totalBytes += data.length;
      await writeFile(path.join(outDir, doc.relativePath), data);
      if (doc.image) await writeFile(path.join(outDir, doc.image.relativePath), padded(doc.image.bytes));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(count, 1)) }, worker));

  const topicCounts = topics
    .map((topic) => ({ name: topic.name, slug: topic.slug, count: perTopic.get(topic.slug) ?? 0 }))
    .filter((entry) => entry.count > 0)
    .sort((a, b) => b.count - a.count || a.slug.localeCompare(b.slug));
  return {
    count,
    folders,
    totalBytes,
    minBodyBytes: count === 0 ? 0 : minBody,
    maxBodyBytes: maxBody,
    topicsAvailable: topics.length,
    topicsUsed: topicCounts.length,
    topicCounts,
    topicsPerDocument: perDocument,
  };
}

// ---------------------------------------------------------------------------
// CLI

function integerFlag(value: string | undefined, name: string, fallback: number | undefined): number {
  if (value === undefined) {
    if (fallback === undefined) throw new Error(`--${name} is required`);
    return fallback;
  }
  if (!/^\d+$/.test(value)) throw new Error(`--${name} must be a non-negative integer, got "${value}"`);
  return Number(value);
}

async function main(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      count: { type: 'string' },
      out: { type: 'string' },
      seed: { type: 'string' },
      topics: { type: 'string' },
      concurrency: { type: 'string' },
      'image-bytes': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(
      'Usage: npx tsx scripts/generate-corpus.ts --count N --out DIR [--seed 42] [--topics 150] [--concurrency 64] [--image-bytes N]\n',
    );
    return;
  }
  if (values.out === undefined) throw new Error('--out DIR is required');
  const options: CorpusOptions = {
    count: integerFlag(values.count, 'count', undefined),
    outDir: path.resolve(values.out),
    seed: integerFlag(values.seed, 'seed', DEFAULT_SEED),
    topics: integerFlag(values.topics, 'topics', DEFAULT_TOPICS),
    concurrency: integerFlag(values.concurrency, 'concurrency', 64),
    ...(values['image-bytes'] === undefined ? {} : { imageBytes: integerFlag(values['image-bytes'], 'image-bytes', undefined) }),
  };
  const started = performance.now();
  const stats = await generateCorpus(options);
  const seconds = (performance.now() - started) / 1000;
  const top = stats.topicCounts
    .slice(0, 5)
    .map((entry) => `${entry.slug}=${entry.count}`)
    .join(', ');
  process.stdout.write(
    [
      `wrote ${stats.count} documents in ${stats.folders} folders under ${options.outDir} in ${seconds.toFixed(2)} s`,
      `bytes ${stats.totalBytes}; body bytes ${stats.minBodyBytes}..${stats.maxBodyBytes}`,
      `topics used ${stats.topicsUsed}/${stats.topicsAvailable}; per document 1..4: ${stats.topicsPerDocument.join('/')}`,
      `top topics: ${top}`,
      '',
    ].join('\n'),
  );
}

const invokedPath = process.argv[1];
if (invokedPath !== undefined && path.resolve(invokedPath) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`generate-corpus: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
