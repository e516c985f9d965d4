import { Catalogue, MetricKind, isMetricName } from './catalogue.ts';
import { emptyTiming, seriesKey, TIMING_BUCKETS_MS, type MetricsRegistry, type Series } from './MetricsRegistry.ts';

/** What one process reports: its series at one instant (the JSON of run/metrics/<component>-<pid>.json). */
export interface MetricsSnapshot {
  version: 1;
  pid: number;
  /** The components this process runs (`up` runs api, poller and writer in one). */
  components: string[];
  /** Epoch ms. */
  at: number;
  series: Series[];
}

export function snapshotOf(registry: MetricsRegistry, now = Date.now(), pid = process.pid): MetricsSnapshot {
  return { version: 1, pid, components: [...registry.components].sort(), at: now, series: registry.collect() };
}

/**
 * Combines the series of several processes into one per metric and dimensions: counters and
 * timings add up; gauges take the catalogue's aggregate (sum, e.g. open buckets of two writers,
 * or max, e.g. iterator age). Series of names no longer in the catalogue are dropped.
 */
export function mergeSeries(lists: readonly (readonly Series[])[]): Series[] {
  const out = new Map<string, Series>();
  for (const list of lists) {
    for (const s of list) {
      if (!isMetricName(s.name)) continue;
      const key = seriesKey(s.name, s.dims);
      const prev = out.get(key);
      if (!prev) {
        out.set(key, structuredClone(s));
        continue;
      }
      if (s.kind === MetricKind.TIMING) {
        prev.timing ??= emptyTiming();
        const a = prev.timing;
        const b = s.timing ?? emptyTiming();
        a.count += b.count;
        a.sum += b.sum;
        for (let i = 0; i <= TIMING_BUCKETS_MS.length; i++) a.buckets[i] = (a.buckets[i] ?? 0) + (b.buckets[i] ?? 0);
      } else if (s.kind === MetricKind.GAUGE && (Catalogue[s.name] as { aggregate?: string }).aggregate === 'max') {
        prev.value = Math.max(prev.value ?? 0, s.value ?? 0);
      } else {
        prev.value = (prev.value ?? 0) + (s.value ?? 0);
      }
    }
  }
  return [...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, s]) => s);
}

/** Flat numbers of a set of series, keyed by series key (timings as `<key>.count` and `<key>.sum`): one history point. */
export function flatten(series: readonly Series[]): Record<string, number> {
  const v: Record<string, number> = {};
  for (const s of series) {
    const key = seriesKey(s.name, s.dims);
    if (s.timing) {
      v[`${key}.count`] = s.timing.count;
      v[`${key}.sum`] = s.timing.sum;
    } else if (s.value !== undefined) {
      v[key] = s.value;
    }
  }
  return v;
}
