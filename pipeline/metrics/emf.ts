import { Catalogue, MetricKind, NAMESPACE, isMetricName, type MetricName } from './catalogue.ts';
import type { MetricsRegistry } from './MetricsRegistry.ts';

/**
 * A CloudWatch embedded metric format document (what Powertools prints, one JSON object per line).
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
export interface EmfDocument {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string; Unit?: string }> }>;
  };
  [member: string]: unknown;
}

export interface EmfSample {
  namespace: string;
  name: string;
  unit: string | undefined;
  /** Several values when the metric was added more than once before publishing. */
  values: number[];
  dims: Record<string, string>;
}

/** The EMF document of one log line, or undefined when the line is not one. */
export function parseEmfLine(line: string): EmfDocument | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{') || !trimmed.includes('"_aws"')) return undefined;
  try {
    const doc = JSON.parse(trimmed) as Partial<EmfDocument>;
    return Array.isArray(doc._aws?.CloudWatchMetrics) ? (doc as EmfDocument) : undefined;
  } catch {
    return undefined;
  }
}

/** Every metric value of a document, with the values of the dimensions its directive names. */
export function samplesFromEmf(doc: EmfDocument): EmfSample[] {
  const out: EmfSample[] = [];
  for (const directive of doc._aws.CloudWatchMetrics) {
    const dimNames = [...new Set(directive.Dimensions.flat())];
    const dims = Object.fromEntries(dimNames.filter((d) => typeof doc[d] === 'string').map((d) => [d, doc[d] as string]));
    for (const m of directive.Metrics) {
      const raw = doc[m.Name];
      const values = (Array.isArray(raw) ? raw : [raw]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
      if (values.length) out.push({ namespace: directive.Namespace, name: m.Name, unit: m.Unit, values, dims });
    }
  }
  return out;
}

/**
 * Records a document's metrics of our namespace in a registry: counters add every value, gauges
 * keep the last, timings observe each. Only the catalogue's dimensions of a metric are kept.
 * Returns the names that were not ours or not in the catalogue.
 */
export function recordEmf(registry: MetricsRegistry, doc: EmfDocument): { recorded: number; ignored: string[] } {
  let recorded = 0;
  const ignored: string[] = [];
  for (const s of samplesFromEmf(doc)) {
    if (s.namespace !== NAMESPACE || !isMetricName(s.name)) {
      ignored.push(`${s.namespace}/${s.name}`);
      continue;
    }
    const name: MetricName = s.name;
    const def = Catalogue[name];
    const dims = Object.fromEntries(def.dimensions.map((d) => [d, s.dims[d] ?? 'unknown']));
    for (const v of s.values) {
      if (def.kind === MetricKind.COUNTER) registry.add(name, v, dims);
      else if (def.kind === MetricKind.TIMING) registry.observe(name, v, dims);
      else registry.set(name, v, dims);
      recorded++;
    }
  }
  return { recorded, ignored };
}
