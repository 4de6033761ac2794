/**
 * A strict reader of the Prometheus text exposition format (0.0.4), for tests:
 * every line must be a `# HELP`, a `# TYPE`, a blank line or a sample whose
 * metric family was typed first; names, label names, escapes and values are
 * checked. Throws on the first line that does not conform.
 */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface Exposition {
  readonly types: ReadonlyMap<string, string>;
  readonly samples: readonly Sample[];
  /** Samples of `name` whose labels include `labels`. */
  find(name: string, labels?: Readonly<Record<string, string>>): Sample[];
  /** The one sample of `name` with exactly-matching `labels` given; undefined when none. */
  value(name: string, labels?: Readonly<Record<string, string>>): number | undefined;
}

const METRIC = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const SUFFIXES: Readonly<Record<string, readonly string[]>> = {
  counter: [''],
  gauge: [''],
  untyped: [''],
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
};

/** Values as Prometheus reads them (Go's ParseFloat: `NaN`, `Inf` in any case; prom-client writes `Nan`). */
function parseValue(text: string, line: string): number {
  const lower = text.toLowerCase();
  if (lower === '+inf' || lower === 'inf') return Infinity;
  if (lower === '-inf') return -Infinity;
  if (lower === 'nan') return NaN;
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text)) throw new Error(`bad value ${JSON.stringify(text)} in ${JSON.stringify(line)}`);
  return Number(text);
}

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    const eq = text.indexOf('=', i);
    if (eq < 0) throw new Error(`bad labels in ${JSON.stringify(line)}`);
    const name = text.slice(i, eq);
    if (!LABEL.test(name) || name in labels) throw new Error(`bad label name ${JSON.stringify(name)} in ${JSON.stringify(line)}`);
    if (text[eq + 1] !== '"') throw new Error(`unquoted label value in ${JSON.stringify(line)}`);
    let value = '';
    let j = eq + 2;
    for (;;) {
      const c = text[j];
      if (c === undefined) throw new Error(`unterminated label value in ${JSON.stringify(line)}`);
      if (c === '"') break;
      if (c === '\\') {
        const next = text[j + 1];
        if (next === '\\') value += '\\';
        else if (next === '"') value += '"';
        else if (next === 'n') value += '\n';
        else throw new Error(`bad escape in ${JSON.stringify(line)}`);
        j += 2;
      } else {
        value += c;
        j += 1;
      }
    }
    labels[name] = value;
    i = j + 1;
    if (text[i] === ',') i += 1;
    else if (i !== text.length) throw new Error(`bad label separator in ${JSON.stringify(line)}`);
  }
  return labels;
}

export function parsePrometheus(text: string): Exposition {
  const types = new Map<string, string>();
  const helps = new Set<string>();
  const samples: Sample[] = [];
  const familyOf = (name: string): string | undefined => {
    for (const [family, type] of types) for (const suffix of SUFFIXES[type] ?? []) if (`${family}${suffix}` === name) return family;
    return undefined;
  };
  if (!text.endsWith('\n')) throw new Error('the exposition must end with a line feed');
  for (const line of text.slice(0, -1).split('\n')) {
    if (line === '') continue;
    if (line.startsWith('#')) {
      const help = /^# HELP ([^ ]+) (.*)$/.exec(line);
      const type = /^# TYPE ([^ ]+) ([a-z]+)$/.exec(line);
      if (help) {
        if (!METRIC.test(help[1]!) || helps.has(help[1]!)) throw new Error(`bad or repeated HELP: ${line}`);
        helps.add(help[1]!);
      } else if (type) {
        if (!METRIC.test(type[1]!) || !TYPES.has(type[2]!) || types.has(type[1]!)) throw new Error(`bad or repeated TYPE: ${line}`);
        types.set(type[1]!, type[2]!);
      } else if (!line.startsWith('# ')) throw new Error(`bad comment: ${line}`);
      continue;
    }
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? ([^ ]+)(?: (-?\d+))?$/.exec(line);
    if (!match) throw new Error(`bad sample line: ${JSON.stringify(line)}`);
    const name = match[1]!;
    if (familyOf(name) === undefined) throw new Error(`sample before its TYPE: ${line}`);
    samples.push({ name, labels: match[2] === undefined ? {} : parseLabels(match[2], line), value: parseValue(match[3]!, line) });
  }
  const find = (name: string, labels: Readonly<Record<string, string>> = {}): Sample[] =>
    samples.filter((sample) => sample.name === name && Object.entries(labels).every(([k, v]) => sample.labels[k] === v));
  return {
    types,
    samples,
    find,
    value(name, labels = {}) {
      const matches = find(name, labels).filter((sample) => Object.keys(sample.labels).length === Object.keys(labels).length);
      if (matches.length > 1) throw new Error(`${matches.length} samples of ${name} ${JSON.stringify(labels)}`);
      return matches[0]?.value;
    },
  };
}
