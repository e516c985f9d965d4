import type { OutageRun } from './stages/writerOutage.ts';
import type { CatchUpRun } from './stages/writerKillCatchUp.ts';
import type { CampaignRun } from './stages/faultCampaign.ts';
import type { ConsolidationRun } from './stages/consolidation.ts';
/**
 * Pure helpers of the benchmark: percentiles, rates, ratios, the targets, and the one summary
 * object `--json` prints. No I/O here, so bench/summary.test.ts can pin the arithmetic.
 */

export const BenchMode = { QUICK: 'quick', FULL: 'full' } as const;
export type BenchMode = (typeof BenchMode)[keyof typeof BenchMode];

/** Batch sizes of the stream-processor stage (the Lambda event source mapping's BatchSize). */
export const STREAM_BATCH_SIZES = [100, 1_000, 10_000] as const;

/**
 * Nearest-rank percentile (the smallest value with at least p % of the samples at or below it),
 * the definition latency SLOs use; undefined for no samples.
 */
export function percentile(samples: readonly number[], p: number): number | undefined {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0..100, got ${p}`);
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/** Records per second, rounded; undefined when nothing was timed. */
export function ratePerSecond(records: number, ms: number): number | undefined {
  if (!(ms > 0) || !(records >= 0)) return undefined;
  return Math.round((records * 1000) / ms);
}

/** a / b to two decimals; undefined when either side is missing or b is 0. */
export function ratio(a: number | undefined | null, b: number | undefined | null): number | undefined {
  if (a === undefined || a === null || b === undefined || b === null || b === 0) return undefined;
  return Math.round((a / b) * 100) / 100;
}

export function minDefined(...values: Array<number | undefined>): number | undefined {
  const v = values.filter((x): x is number => x !== undefined);
  return v.length ? Math.min(...v) : undefined;
}

/** One stage's throughput measurement. */
export interface Throughput {
  records: number;
  ms: number;
  recordsPerS: number;
}

export interface WriterRun extends Throughput {
  /** Process (or JVM) start until the engine reported it was consuming. */
  startupMs: number;
  files: number;
  bytes: number;
  /** Peak resident set of the writer process (VmHWM), MiB. */
  peakRssMb?: number;
}

export interface StreamProcessorRun extends Throughput {
  batchSize: number;
  batches: number;
  /** The same batches with a publish port that does nothing: the handler's own ceiling. */
  withoutKafkaRecordsPerS?: number;
  /** The same messages, pre-encoded, straight to the same producer: Kafka's ceiling for this stage. */
  kafkaOnlyRecordsPerS?: number;
  /** The same messages through the Java client with the same guarantees: what a native client gets from this broker. */
  javaProducerRecordsPerS?: number;
}

export interface EndToEndRun {
  rolloverMs: number;
  samples: number;
  lost: number;
  latenciesMs: number[];
}

export interface EngineRun {
  engine: string;
  version: string;
  rows: number;
  rowsPerS?: number;
  bytesPerRow?: number;
  /** Peak RSS of the encoding process minus its RSS with the rows in memory, MiB. */
  peakExtraMb?: number;
  peakRssMb?: number;
  pyarrowRowsIdentical?: boolean;
  pyarrowSchemaIdentical?: boolean;
  flinkReaderRowsIdentical?: boolean;
  /** Why an engine could not run or what differs in its files. */
  notes: string[];
  error?: string;
}

export interface BenchResults {
  mode: BenchMode;
  runId: string;
  startedAt: string;
  durationMs: number;
  machine: { cpus: number; memGiB: number; node: string; loadAvg1m: number };
  topicRecords: number;
  rolloverMs: number;
  writer?: WriterRun;
  flink?: WriterRun;
  consumeCeiling?: Throughput & { client: string };
  encodeCeiling?: Throughput & { engine: string };
  streamProcessor: StreamProcessorRun[];
  e2e?: EndToEndRun;
  /** The embedded writer through an S3 outage (bench/stages/writerOutage.ts). */
  outage?: OutageRun;
  /** Catch-up after a writer SIGKILL per session timeout (bench/stages/writerKillCatchUp.ts). */
  catchUp?: CatchUpRun;
  /** The fault campaign (bench/stages/faultCampaign.ts). */
  campaign?: CampaignRun;
  /** The daily consolidation job over a landed day (bench/stages/consolidation.ts). */
  consolidation?: ConsolidationRun;
  engines: EngineRun[];
  defaultEngine?: string;
  /** The engine the numbers choose (should equal defaultEngine; a note says so when it does not). */
  chosenEngine?: string;
  /** Top of the writer's CPU profile (BENCH_PROFILE=1). */
  writerProfile?: Array<{ fn: string; selfPct: number; totalPct: number }>;
  /** Findings that are not numbers (e.g. a batch size the default broker refuses). */
  notes: string[];
  git?: { commit: string; dirty: boolean };
  /** Stages that could not be measured, with why. */
  errors: Array<{ stage: string; message: string }>;
}

export const Targets = {
  writer_vs_flink: { op: '>=', value: 1.5 },
  writer_vs_ceiling: { op: '>=', value: 0.6 },
  stream_processor_records_per_s_at_1000: { op: '>=', value: 50_000 },
  e2e_p99_ms: { op: '<=', value: NaN }, // rollover_ms + 1 000, filled in per run
  writer_peak_rss_mb: { op: '<=', value: 512 },
} as const;

export interface TargetOutcome {
  target: string;
  value: number | null;
  met: boolean | null;
}

export interface BenchSummary {
  mode: BenchMode;
  run_id: string;
  topic_records: number;
  writer_records_per_s: number | null;
  flink_records_per_s: number | null;
  writer_vs_flink: number | null;
  consume_ceiling_records_per_s: number | null;
  encode_ceiling_records_per_s: number | null;
  writer_vs_ceiling: number | null;
  stream_processor_records_per_s: Record<string, number | null>;
  e2e_p50_ms: number | null;
  e2e_p95_ms: number | null;
  e2e_p99_ms: number | null;
  e2e_samples: number | null;
  rollover_ms: number;
  writer_peak_rss_mb: number | null;
  flink_peak_rss_mb: number | null;
  parquet_engine_default: string | null;
  parquet_engines: Array<{
    engine: string;
    rows_per_s: number | null;
    bytes_per_row: number | null;
    peak_extra_mb: number | null;
    pyarrow_identical: boolean | null;
    flink_reader_identical: boolean | null;
    error?: string;
  }>;
  /** The S3-outage stage: records arriving during the outage, peak RSS, lost, duplicated. */
  outage: OutageRun | null;
  /** Per session timeout: median and max catch-up after a SIGKILL, and its ratio to the baseline (the first). */
  writer_kill_catch_up: Array<{
    session_timeout_ms: number;
    heartbeat_interval_ms: number;
    kills: number;
    median_catch_up_ms: number | null;
    max_catch_up_ms: number | null;
    median_join_ms: number | null;
    median_vs_baseline: number | null;
    max_vs_baseline: number | null;
    storm_starts: number | null;
    storm_starts_with_partitions: number | null;
    storm_longest_partition_silence_ms: number | null;
    timed_out: number;
  }>;
  /** The fault campaign: changes, faults by kind, lost, duplicated, catch-up after writer kills. */
  campaign: CampaignRun | null;
  /** The daily consolidation job: rows/s (wall, CPU) beside reading its inputs alone, peak RSS, bytes in and out, rerun. */
  consolidation: ConsolidationSummary | null;
  targets: Record<string, TargetOutcome>;
  notes: string[];
  errors: Array<{ stage: string; message: string }>;
  duration_s: number;
  results_file?: string;
  plot_file?: string;
}

const n = (v: number | undefined): number | null => (v === undefined || Number.isNaN(v) ? null : v);

function outcome(value: number | undefined, op: '>=' | '<=', limit: number): TargetOutcome {
  return {
    target: `${op} ${limit}`,
    value: n(value),
    met: value === undefined ? null : op === '>=' ? value >= limit : value <= limit,
  };
}

/** An engine's files read back identically when both readers return the source rows and pyarrow the contract schema. */
export function engineIdentical(e: EngineRun): boolean | null {
  if (e.pyarrowRowsIdentical === undefined || e.pyarrowSchemaIdentical === undefined) return null;
  return e.pyarrowRowsIdentical && e.pyarrowSchemaIdentical;
}

/**
 * The default engine: the fastest encoder among those whose files both readers (pyarrow and the
 * Flink job's parquet-avro) read back exactly like the Flink job's own files.
 */
export function chooseEngine(engines: readonly EngineRun[]): string | undefined {
  const eligible = engines.filter(
    (e) => engineIdentical(e) === true && e.flinkReaderRowsIdentical === true && e.rowsPerS !== undefined,
  );
  eligible.sort((a, b) => b.rowsPerS! - a.rowsPerS!);
  return eligible[0]?.engine;
}

export function buildSummary(r: BenchResults): BenchSummary {
  const writer = r.writer?.recordsPerS;
  const flink = r.flink?.recordsPerS;
  const consume = r.consumeCeiling?.recordsPerS;
  const encode = r.encodeCeiling?.recordsPerS;
  const sp = Object.fromEntries(
    STREAM_BATCH_SIZES.map((b) => [String(b), n(r.streamProcessor.find((s) => s.batchSize === b)?.recordsPerS)]),
  );
  const lat = r.e2e?.latenciesMs ?? [];
  const p99 = percentile(lat, 99);
  const writerVsFlink = ratio(writer, flink);
  const writerVsCeiling = ratio(writer, minDefined(consume, encode));
  return {
    mode: r.mode,
    run_id: r.runId,
    topic_records: r.topicRecords,
    writer_records_per_s: n(writer),
    flink_records_per_s: n(flink),
    writer_vs_flink: n(writerVsFlink),
    consume_ceiling_records_per_s: n(consume),
    encode_ceiling_records_per_s: n(encode),
    writer_vs_ceiling: n(writerVsCeiling),
    stream_processor_records_per_s: sp,
    e2e_p50_ms: n(percentile(lat, 50)),
    e2e_p95_ms: n(percentile(lat, 95)),
    e2e_p99_ms: n(p99),
    e2e_samples: r.e2e ? r.e2e.samples : null,
    rollover_ms: r.e2e?.rolloverMs ?? 1_000,
    writer_peak_rss_mb: n(r.writer?.peakRssMb),
    flink_peak_rss_mb: n(r.flink?.peakRssMb),
    parquet_engine_default: r.defaultEngine ?? null,
    parquet_engines: r.engines.map((e) => ({
      engine: e.engine,
      rows_per_s: n(e.rowsPerS),
      bytes_per_row: n(e.bytesPerRow),
      peak_extra_mb: n(e.peakExtraMb),
      pyarrow_identical: engineIdentical(e),
      flink_reader_identical: e.flinkReaderRowsIdentical ?? null,
      ...(e.error ? { error: e.error } : {}),
    })),
    outage: r.outage ?? null,
    writer_kill_catch_up: catchUpRows(r.catchUp),
    campaign: r.campaign ?? null,
    consolidation: consolidationSummary(r.consolidation),
    targets: {
      writer_vs_flink: outcome(writerVsFlink, '>=', Targets.writer_vs_flink.value),
      writer_vs_ceiling: outcome(writerVsCeiling, '>=', Targets.writer_vs_ceiling.value),
      stream_processor_records_per_s_at_1000: outcome(
        sp['1000'] ?? undefined,
        '>=',
        Targets.stream_processor_records_per_s_at_1000.value,
      ),
      e2e_p99_ms: outcome(p99, '<=', (r.e2e?.rolloverMs ?? 1_000) + 1_000),
      // The peak-RSS target is about a 1M-record backlog, which only the full run has.
      writer_peak_rss_mb:
        r.mode === BenchMode.FULL
          ? outcome(r.writer?.peakRssMb, '<=', Targets.writer_peak_rss_mb.value)
          : { ...outcome(r.writer?.peakRssMb, '<=', Targets.writer_peak_rss_mb.value), met: null },
      // The S3-outage stage's targets, when it ran: ≤ 512 MiB through the outage, nothing lost or landed twice.
      ...(r.outage
        ? {
            outage_peak_rss_mb: outcome(r.outage.peakRssMb, '<=', Targets.writer_peak_rss_mb.value),
            outage_lost_plus_duplicated: outcome(r.outage.lost + r.outage.duplicated, '<=', 0),
          }
        : {}),
      // A rerun over the same inputs must find the day up to date and write nothing.
      ...(r.consolidation ? { consolidation_rerun_writes: outcome(r.consolidation.rerun.writes, '<=', 0) } : {}),
    },
    notes: r.notes,
    errors: r.errors,
    duration_s: Math.round(r.durationMs / 1000),
  };
}

/** The catch-up variants side by side, each as a ratio to the first (the baseline). */
export function catchUpRows(c: CatchUpRun | undefined): BenchSummary['writer_kill_catch_up'] {
  if (!c) return [];
  const base = c.variants[0];
  return c.variants.map((v) => ({
    session_timeout_ms: v.sessionTimeoutMs,
    heartbeat_interval_ms: v.heartbeatIntervalMs,
    kills: v.kills.length,
    median_catch_up_ms: v.medianCatchUpMs,
    max_catch_up_ms: v.maxCatchUpMs,
    median_join_ms: v.medianJoinMs,
    median_vs_baseline: n(ratio(v.medianCatchUpMs, base?.medianCatchUpMs)),
    max_vs_baseline: n(ratio(v.maxCatchUpMs, base?.maxCatchUpMs)),
    storm_starts: v.storm?.starts ?? null,
    storm_starts_with_partitions: v.storm?.gotPartitions ?? null,
    storm_longest_partition_silence_ms: v.storm?.longestPartitionSilenceMs ?? null,
    timed_out: v.timedOut,
  }));
}

export interface ConsolidationSummary {
  /** Says what the numbers leave out: the job ran over an in-memory store. */
  store: 'in-memory (S3 round trips excluded)';
  rows: number;
  inputs: number;
  hours: number;
  currencies: string[];
  wall_s: number;
  cpu_s: number;
  rows_per_s_wall: number | null;
  rows_per_s_cpu: number | null;
  /** Reading and decoding the same inputs alone, in the same process of the same run: the job's ceiling. */
  read_decode_rows_per_s_wall: number | null;
  read_decode_rows_per_s_cpu: number | null;
  /** Job rows/s ÷ read-and-decode rows/s (CPU): the share of the job's CPU that reading its inputs takes. */
  vs_read_decode_cpu: number | null;
  vs_read_decode_wall: number | null;
  /** maxRSS at the worker's start, after building the input, and after the job (the peak). */
  max_rss_at_start_mb: number;
  max_rss_after_build_mb: number;
  peak_rss_mb: number;
  /** Peak minus the resident set with the input built: what the job itself added. */
  job_rss_growth_mb: number;
  job_rss_bytes_per_row: number | null;
  /** False when the job never went above the high-water mark of building its input (the peak is then not the job's). */
  peak_is_the_jobs: boolean;
  bytes_in: number;
  /** The Parquet outputs; out_vs_in is theirs. */
  bytes_out: number;
  out_vs_in: number | null;
  /** The day's CSV written beside them. */
  csv_bytes: number | null;
  outputs: number;
  target_bytes: number;
  rerun_ms: number;
  rerun_status: string;
  rerun_writes: number;
}

/** The consolidation run with its rates, its ratio to reading the same inputs alone, and what the job added to RSS. */
export function consolidationSummary(c: ConsolidationRun | undefined): ConsolidationSummary | null {
  if (!c) return null;
  const jobCpu = ratePerSecond(c.rows, c.consolidate.cpuMs);
  const jobWall = ratePerSecond(c.rows, c.consolidate.wallMs);
  const readCpu = ratePerSecond(c.rows, c.readDecode.cpuMs);
  const readWall = ratePerSecond(c.rows, c.readDecode.wallMs);
  const growthMb = Math.max(0, c.maxRssAfterRunMb - c.rssAfterBuildMb);
  const mb = (v: number) => Math.round(v);
  const seconds = (ms: number) => Math.round(ms / 10) / 100;
  return {
    store: 'in-memory (S3 round trips excluded)',
    rows: c.rows,
    inputs: c.inputs,
    hours: c.hours,
    currencies: c.currencies,
    wall_s: seconds(c.consolidate.wallMs),
    cpu_s: seconds(c.consolidate.cpuMs),
    rows_per_s_wall: jobWall ?? null,
    rows_per_s_cpu: jobCpu ?? null,
    read_decode_rows_per_s_wall: readWall ?? null,
    read_decode_rows_per_s_cpu: readCpu ?? null,
    vs_read_decode_cpu: ratio(jobCpu, readCpu) ?? null,
    vs_read_decode_wall: ratio(jobWall, readWall) ?? null,
    max_rss_at_start_mb: mb(c.maxRssAtStartMb),
    max_rss_after_build_mb: mb(c.maxRssAfterBuildMb),
    peak_rss_mb: mb(c.maxRssAfterRunMb),
    job_rss_growth_mb: mb(growthMb),
    job_rss_bytes_per_row: c.rows > 0 ? Math.round((growthMb * 2 ** 20) / c.rows) : null,
    peak_is_the_jobs: c.maxRssAfterRunMb > c.maxRssAfterBuildMb,
    bytes_in: c.bytesIn,
    bytes_out: c.bytesOut,
    out_vs_in: ratio(c.bytesOut, c.bytesIn) ?? null,
    csv_bytes: c.csvBytes ?? null,
    outputs: c.outputs,
    target_bytes: c.targetBytes,
    rerun_ms: Math.round(c.rerun.wallMs),
    rerun_status: c.rerun.status,
    rerun_writes: c.rerun.writes,
  };
}
