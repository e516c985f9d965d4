import { Catalogue, MetricKind, isMetricName, type MetricName } from './catalogue.ts';
import { MetricUsageError, UnknownMetricError } from './errors.ts';

export type Dimensions = Readonly<Record<string, string>>;

/** Upper bounds (ms) of the timing buckets; a last, open bucket holds everything above. */
export const TIMING_BUCKETS_MS = [5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000] as const;

export interface TimingValue {
  count: number;
  /** Sum of the observed durations (ms). */
  sum: number;
  /** Observations per bucket of TIMING_BUCKETS_MS (not cumulative); one more entry for the open bucket. */
  buckets: number[];
}

/** One metric with one set of dimension values: a counter or gauge `value`, or a `timing`. */
export interface Series {
  name: MetricName;
  dims: Record<string, string>;
  kind: MetricKind;
  value?: number;
  timing?: TimingValue;
}

/** `Name` or `Name{Key=value,…}` (keys sorted): the identity of a series. */
export function seriesKey(name: string, dims: Dimensions): string {
  const keys = Object.keys(dims).sort();
  return keys.length === 0 ? name : `${name}{${keys.map((k) => `${k}=${dims[k]}`).join(',')}}`;
}

export function emptyTiming(): TimingValue {
  return { count: 0, sum: 0, buckets: new Array<number>(TIMING_BUCKETS_MS.length + 1).fill(0) };
}

/**
 * The metrics of one process: counters, gauges and timings of the catalogue, with dimensions.
 * Every update is checked against the catalogue (name, kind, dimension names), so a metric that
 * is not defined once in catalogue.ts cannot exist.
 *
 * @example
 * const registry = new MetricsRegistry();
 * registry.add('RowsLanded', 3);
 * registry.set('KafkaConsumerLag', 12, { Partition: '0' });
 * registry.observe('CommitDuration', 41.5);
 */
export class MetricsRegistry {
  private readonly series = new Map<string, Series>();
  private readonly collectors = new Set<() => void>();
  /** Which components (api, poller, writer, …) run in this process and report here. */
  readonly components = new Set<string>();

  /** Adds to a counter. */
  add(name: MetricName, delta: number, dims: Dimensions = {}): void {
    if (!Number.isFinite(delta) || delta < 0) throw new MetricUsageError(`counter ${name} can only grow: got ${delta}`);
    const s = this.seriesFor(name, dims, [MetricKind.COUNTER]);
    s.value = (s.value ?? 0) + delta;
  }

  /** Sets a gauge, or a counter from a source that already keeps the running total (e.g. WriterStats). */
  set(name: MetricName, value: number, dims: Dimensions = {}): void {
    if (!Number.isFinite(value)) throw new MetricUsageError(`${name} must be a finite number: got ${value}`);
    const s = this.seriesFor(name, dims, [MetricKind.GAUGE, MetricKind.COUNTER]);
    s.value = value;
  }

  /** Records one duration (ms) of a timing. */
  observe(name: MetricName, ms: number, dims: Dimensions = {}): void {
    if (!Number.isFinite(ms) || ms < 0) throw new MetricUsageError(`timing ${name} needs a duration ≥ 0 ms: got ${ms}`);
    const s = this.seriesFor(name, dims, [MetricKind.TIMING]);
    s.timing ??= emptyTiming();
    const t = s.timing;
    t.count++;
    t.sum += ms;
    const i = TIMING_BUCKETS_MS.findIndex((b) => ms <= b);
    t.buckets[i < 0 ? TIMING_BUCKETS_MS.length : i]!++;
  }

  /** Drops a series (a gauge whose subject went away, e.g. a partition no longer in the topic). */
  remove(name: MetricName, dims: Dimensions = {}): void {
    this.series.delete(seriesKey(name, dims));
  }

  /** Registers a function that pulls current values (e.g. from `writer.stats()`) before each read. */
  onCollect(collect: () => void): () => void {
    this.collectors.add(collect);
    return () => void this.collectors.delete(collect);
  }

  /** Current series (collectors run first), sorted by key; copies, safe to keep. */
  collect(): Series[] {
    for (const c of this.collectors) c();
    return [...this.series.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, s]) => structuredClone(s));
  }

  private seriesFor(name: string, dims: Dimensions, kinds: readonly MetricKind[]): Series {
    if (!isMetricName(name))
      throw new UnknownMetricError(
        `metric ${JSON.stringify(name)} is not in the catalogue (pipeline/metrics/catalogue.ts): define it there first`,
      );
    const def = Catalogue[name];
    if (!kinds.includes(def.kind))
      throw new MetricUsageError(`${name} is a ${def.kind}; it cannot be recorded as a ${kinds.join(' or ')}`);
    const got = Object.keys(dims).sort().join(',');
    const want = [...def.dimensions].sort().join(',');
    if (got !== want) throw new MetricUsageError(`${name} has dimensions [${want}]; got [${got}]`);
    const key = seriesKey(name, dims);
    let s = this.series.get(key);
    if (!s) {
      s = { name, dims: { ...dims }, kind: def.kind };
      this.series.set(key, s);
    }
    return s;
  }
}
