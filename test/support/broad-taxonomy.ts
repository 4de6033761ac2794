/**
 * A corpus over a broad curation taxonomy: thousands of "Source: Label"
 * topics, most with one or two documents. scripts/generate-corpus.ts draws
 * from at most 570 topics (10 sources x 57 labels, Zipf-weighted), so the
 * index tests write their own small documents here: deterministic, no
 * bodies to speak of, quick to write and parse.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { slugify } from '../../src/content/topic-slug.ts';

const SOURCES: readonly string[] = [
  'Healthcare IT News', 'KLAS', 'Medical Subject Headings (MeSH)', 'U.S. Food and Drug Administration (FDA)', 'HIMSS',
  'Office of the National Coordinator (ONC)', 'Centers for Medicare & Medicaid Services (CMS)', 'Gartner', 'Médecine Numérique',
  'Forrester', 'World Health Organization (WHO)', 'National Institutes of Health (NIH)', 'CDC', 'AMIA', 'HL7 International',
  'Joint Commission', 'AHRQ', 'NHS England', 'European Medicines Agency (EMA)', 'Health Canada', 'Fierce Healthcare',
  'STAT', 'MedCity News', 'Becker’s Hospital Review', 'Modern Healthcare', 'JAMA Network', 'The Lancet Digital Health',
  'npj Digital Medicine', 'Rock Health', 'CB Insights', 'IDC Health Insights', 'Chilmark Research', 'CHIME',
  'Sequoia Project', 'CARIN Alliance', 'DirectTrust', 'NCQA', 'URAC', 'AHIP', 'AHA',
];

const QUALIFIERS: readonly string[] = [
  'Adult', 'Pediatric', 'Rural', 'Urban', 'Regional', 'National', 'Clinical', 'Digital', 'Virtual', 'Connected',
  'Automated', 'Predictive', 'Legacy', 'Hybrid', 'Community', 'Acute', 'Chronic', 'Preventive', 'Outpatient', 'Inpatient',
  'Home', 'Mobile', 'Secure', 'Shared', 'Open', 'Federated', 'Ambulatory', 'Specialty', 'Primary', 'Post-Acute',
  'Behavioral', 'Maternal', 'Geriatric', 'Oncology', 'Cardiac', 'Renal', 'Dental', 'Vision', 'Hearing', 'Surgical',
];

const SUBJECTS: readonly string[] = [
  'Cybersecurity', 'Artificial Intelligence', 'Vaccines, Blood & Biologics', 'Telemedicine', 'Revenue Cycle',
  'Interoperability', 'Electronic Health Records', 'Medical Devices', 'Population Health', 'Patient Engagement',
  'Wearables', 'Precision Medicine', 'Decision Support', 'Cloud Computing', 'Data Analytics', 'Remote Monitoring',
  'Value-Based Care', 'Imaging & Radiology', 'Pharmacy Informatics', 'Nursing Informatics', 'Supply Chain',
  'Workforce', 'Genomics', 'Clinical Trials', 'Privacy', 'Digital Therapeutics', 'Care Coordination',
  'Price Transparency', 'Health Information Exchange', 'Patient Safety', 'Prior Authorization', 'Claims',
  'Identity & Access', 'Ransomware', 'Quality Reporting', 'Medical Coding', 'Speech Recognition', 'Patient Portals',
  'Virtual Nursing', 'Hospital at Home',
];

export interface BroadTopic {
  readonly name: string;
  readonly slug: string;
  readonly label: string;
}

/** Topic i of the taxonomy: source i mod 40, then a qualified subject; names are distinct up to 64,000. */
export function broadTopic(i: number): BroadTopic {
  const source = SOURCES[i % SOURCES.length]!;
  const rest = Math.floor(i / SOURCES.length);
  const subject = SUBJECTS[rest % SUBJECTS.length]!;
  const qualifier = QUALIFIERS[Math.floor(rest / SUBJECTS.length) % QUALIFIERS.length]!;
  const label = `${qualifier} ${subject}`;
  const name = `${source}: ${label}`;
  return { name, slug: slugify(name), label };
}

function quoted(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * Writes `documents` documents over `topics` topics: document d carries topic
 * d mod topics and, every other document, one more, so every topic is used when
 * documents >= topics. Returns the topics.
 */
export function writeBroadCorpus(dir: string, documents: number, topics: number): BroadTopic[] {
  const taxonomy = Array.from({ length: topics }, (_, i) => broadTopic(i));
  for (let d = 0; d < documents; d += 1) {
    const chosen = [taxonomy[d % topics]!];
    if (d % 2 === 1) {
      const extra = taxonomy[(d * 7 + 3) % topics]!;
      if (extra !== chosen[0]) chosen.push(extra);
    }
    const day = String(1 + (d % 28)).padStart(2, '0');
    const month = String(1 + (Math.floor(d / 28) % 12)).padStart(2, '0');
    const text = [
      '---',
      `id: ${100_000 + d}`,
      `slug: broad-document-${d}`,
      `title: ${quoted(`Broad document ${d} on ${chosen[0]!.label}`)}`,
      `date: '2024-${month}-${day}'`,
      `lastMod: '2024-${month}-${day}T08:00:00.000000Z'`,
      `description: ${quoted(`A short summary of document ${d}.`)}`,
      'categories:',
      ...chosen.map((topic) => `  - ${quoted(topic.name)}`),
      'categoryUrl:',
      ...chosen.map((topic) => `  - topic/${topic.slug}`),
      'categoryLabel:',
      ...chosen.map((topic) => `  - ${quoted(topic.label)}`),
      '---',
      `<p>Body of document ${d}.</p>`,
      '',
    ].join('\n');
    const folder = join(dir, String(Math.floor(d / 1000)).padStart(4, '0'));
    if (d % 1000 === 0) mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `broad-${d}.md`), text);
  }
  return taxonomy;
}
