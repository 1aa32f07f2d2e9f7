// Prometheus text exposition format 0.0.4, written by hand: a few families do not justify a client
// library. Escaping follows the format: label values escape `\`, `"` and newline; HELP escapes `\`
// and newline; values use Go's spellings of the non-finite floats.

export type MetricType = 'counter' | 'gauge' | 'histogram';

export type LabelSet = Readonly<Record<string, string>>;

export interface Sample {
  /** Appended to the family name (`_bucket`, `_sum`, `_count` of a histogram). */
  readonly suffix?: string;
  readonly labels?: LabelSet;
  readonly value: number;
}

export interface MetricFamily {
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
  readonly samples: readonly Sample[];
}

/** Cumulative buckets as the format wants them: one per upper bound, then +Inf. */
export interface HistogramSnapshot {
  readonly buckets: readonly { readonly le: number; readonly count: number }[];
  readonly sum: number;
  readonly count: number;
}

export function formatFamilies(families: readonly MetricFamily[]): string {
  let out = '';
  for (const family of families) {
    out += `# HELP ${family.name} ${escapeHelp(family.help)}\n# TYPE ${family.name} ${family.type}\n`;
    for (const sample of family.samples) {
      out += `${family.name}${sample.suffix ?? ''}${formatLabels(sample.labels)} ${formatValue(sample.value)}\n`;
    }
  }
  return out;
}

export function histogramSamples(histogram: HistogramSnapshot, labels: LabelSet = {}): Sample[] {
  const samples: Sample[] = histogram.buckets.map((bucket) => ({
    suffix: '_bucket',
    labels: { ...labels, le: formatValue(bucket.le) },
    value: bucket.count,
  }));
  samples.push({ suffix: '_bucket', labels: { ...labels, le: '+Inf' }, value: histogram.count });
  samples.push({ suffix: '_sum', labels, value: histogram.sum });
  samples.push({ suffix: '_count', labels, value: histogram.count });
  return samples;
}

export function escapeLabelValue(value: string): string {
  return value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

export function escapeHelp(text: string): string {
  return text.replace(/[\\\n]/g, (c) => (c === '\n' ? '\\n' : '\\\\'));
}

export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function formatLabels(labels: LabelSet | undefined): string {
  const entries = Object.entries(labels ?? {});
  if (entries.length === 0) return '';
  return `{${entries.map(([name, value]) => `${name}="${escapeLabelValue(value)}"`).join(',')}}`;
}
