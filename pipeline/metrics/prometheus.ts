import { Catalogue, MetricKind, METRIC_NAMES, Unit, type MetricName } from './catalogue.ts';
import { TIMING_BUCKETS_MS, type Series } from './MetricsRegistry.ts';

/** Prefix of every exposed name (the namespace, in Prometheus' snake case). */
export const PROMETHEUS_PREFIX = 'chargeback_cdc';

/** The content type of the text exposition format 0.0.4 (what Prometheus scrapes). */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/**
 * The exposed name of a catalogue metric, following Prometheus' naming rules: base units
 * (milliseconds become seconds), the unit as a suffix unless the name already says it, and
 * `_total` on counters. `RowsLanded` → `chargeback_cdc_rows_landed_total`, `IteratorAge` →
 * `chargeback_cdc_iterator_age_seconds`, `CommitDuration` → `chargeback_cdc_commit_duration_seconds`.
 * https://prometheus.io/docs/practices/naming/
 */
export function prometheusName(name: MetricName): string {
  const def = Catalogue[name];
  let base = `${PROMETHEUS_PREFIX}_${snakeCase(name)}`;
  const suffix = def.unit === Unit.MILLISECONDS || def.unit === Unit.SECONDS ? 'seconds' : def.unit === Unit.BYTES ? 'bytes' : '';
  if (suffix && !base.split('_').includes(suffix)) base += `_${suffix}`;
  return def.kind === MetricKind.COUNTER ? `${base}_total` : base;
}

/** Milliseconds are exposed in seconds; everything else as it is. */
function scale(name: MetricName): number {
  return Catalogue[name].unit === Unit.MILLISECONDS ? 1 / 1000 : 1;
}

export function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

export function formatNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  return String(n);
}

function labels(pairs: Array<[string, string]>): string {
  return pairs.length === 0 ? '' : `{${pairs.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',')}}`;
}

/**
 * Renders series in the Prometheus text exposition format: HELP and TYPE once per metric, then
 * one sample per series, labelled with the stage and the metric's dimensions (snake case).
 * Timings become histograms (`_bucket{le=…}`, `_sum`, `_count`, in seconds).
 * https://prometheus.io/docs/instrumenting/exposition_formats/
 */
export function renderPrometheus(series: readonly Series[]): string {
  const byName = new Map<MetricName, Series[]>();
  for (const s of series) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
  const lines: string[] = [];
  for (const name of METRIC_NAMES) {
    const list = byName.get(name);
    if (!list) continue;
    const def = Catalogue[name];
    const exposed = prometheusName(name);
    const k = scale(name);
    const type = def.kind === MetricKind.TIMING ? 'histogram' : def.kind;
    lines.push(`# HELP ${exposed} ${escapeHelp(`${def.description} (${name}, ${def.unit})`)}`, `# TYPE ${exposed} ${type}`);
    for (const s of list) {
      const base: Array<[string, string]> = [
        ['stage', def.stage],
        ...Object.keys(s.dims)
          .sort()
          .map((d): [string, string] => [snakeCase(d), s.dims[d]!]),
      ];
      if (def.kind !== MetricKind.TIMING) {
        lines.push(`${exposed}${labels(base)} ${formatNumber((s.value ?? 0) * k)}`);
        continue;
      }
      const t = s.timing;
      let cumulative = 0;
      TIMING_BUCKETS_MS.forEach((bound, i) => {
        cumulative += t?.buckets[i] ?? 0;
        lines.push(`${exposed}_bucket${labels([...base, ['le', formatNumber(bound * k)]])} ${cumulative}`);
      });
      lines.push(`${exposed}_bucket${labels([...base, ['le', '+Inf']])} ${t?.count ?? 0}`);
      lines.push(`${exposed}_sum${labels(base)} ${formatNumber((t?.sum ?? 0) * k)}`);
      lines.push(`${exposed}_count${labels(base)} ${t?.count ?? 0}`);
    }
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}
