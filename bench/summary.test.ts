import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatReport } from './formatReport.ts';
import type { ConsolidationRun } from './stages/consolidation.ts';
import {
  BenchMode,
  buildSummary,
  chooseEngine,
  consolidationSummary,
  minDefined,
  percentile,
  ratePerSecond,
  ratio,
  type BenchResults,
  type EngineRun,
} from './summary.ts';
import { throughputBars, throughputSvg } from './plot.ts';

const results = (over: Partial<BenchResults> = {}): BenchResults => ({
  mode: BenchMode.FULL,
  runId: 'r1',
  startedAt: '2026-11-27T04:00:00.000Z',
  durationMs: 61_400,
  machine: { cpus: 2, memGiB: 24, node: 'v20', loadAvg1m: 1 },
  topicRecords: 1_000_000,
  rolloverMs: 2_000,
  writer: { records: 1_000_000, ms: 25_000, recordsPerS: 40_000, startupMs: 600, files: 40, bytes: 1, peakRssMb: 480 },
  flink: { records: 1_000_000, ms: 50_000, recordsPerS: 20_000, startupMs: 3_000, files: 50, bytes: 1, peakRssMb: 800 },
  consumeCeiling: { records: 1_000_000, ms: 2_000, recordsPerS: 500_000, client: 'kafkajs' },
  encodeCeiling: { records: 1_000_000, ms: 10_000, recordsPerS: 100_000, engine: 'hyparquet-writer' },
  streamProcessor: [
    { batchSize: 100, batches: 1_000, records: 100_000, ms: 4_000, recordsPerS: 25_000 },
    { batchSize: 1_000, batches: 100, records: 100_000, ms: 2_000, recordsPerS: 50_000 },
  ],
  e2e: { rolloverMs: 1_000, samples: 4, lost: 0, latenciesMs: [900, 1_100, 1_500, 2_100] },
  engines: [],
  notes: [],
  errors: [],
  ...over,
});

const engine = (name: string, rowsPerS: number, identical: boolean, flink = identical): EngineRun => ({
  engine: name,
  version: '1',
  rows: 10,
  rowsPerS,
  pyarrowRowsIdentical: identical,
  pyarrowSchemaIdentical: identical,
  flinkReaderRowsIdentical: flink,
  notes: [],
});

test('percentile is nearest-rank: p50 of 1..4 is 2, p99 is the largest, p0 the smallest, no samples none', () => {
  assert.equal(percentile([4, 1, 3, 2], 50), 2);
  assert.equal(percentile([4, 1, 3, 2], 99), 4);
  assert.equal(percentile([4, 1, 3, 2], 0), 1);
  assert.equal(
    percentile(
      Array.from({ length: 100 }, (_, i) => i + 1),
      95,
    ),
    95,
  );
  assert.equal(percentile([], 50), undefined);
  assert.throws(() => percentile([1], 101), RangeError);
});

test('rates and ratios round, and are missing rather than infinite when a side is missing or zero', () => {
  assert.equal(ratePerSecond(1_000_000, 25_000), 40_000);
  assert.equal(ratePerSecond(10, 0), undefined);
  assert.equal(ratio(40_000, 20_000), 2);
  assert.equal(ratio(1, 3), 0.33);
  assert.equal(ratio(1, 0), undefined);
  assert.equal(ratio(undefined, 3), undefined);
  assert.equal(minDefined(undefined, 5, 3), 3);
  assert.equal(minDefined(undefined), undefined);
});

test('the summary has every key the issue asks for, with the writer compared to Flink and to the smaller ceiling', () => {
  const s = buildSummary(results());
  assert.equal(s.writer_records_per_s, 40_000);
  assert.equal(s.flink_records_per_s, 20_000);
  assert.equal(s.writer_vs_flink, 2);
  assert.equal(s.consume_ceiling_records_per_s, 500_000);
  assert.equal(s.encode_ceiling_records_per_s, 100_000);
  assert.equal(s.writer_vs_ceiling, 0.4); // over min(500k, 100k)
  assert.deepEqual(s.stream_processor_records_per_s, { '100': 25_000, '1000': 50_000, '10000': null });
  assert.deepEqual([s.e2e_p50_ms, s.e2e_p95_ms, s.e2e_p99_ms, s.rollover_ms], [1_100, 2_100, 2_100, 1_000]);
  assert.equal(s.writer_peak_rss_mb, 480);
  assert.equal(s.duration_s, 61);
  assert.deepEqual(Object.fromEntries(Object.entries(s.targets).map(([k, t]) => [k, t.met])), {
    writer_vs_flink: true,
    writer_vs_ceiling: false,
    stream_processor_records_per_s_at_1000: true,
    e2e_p99_ms: false,
    writer_peak_rss_mb: true,
  });
  assert.equal(s.targets.e2e_p99_ms!.target, '<= 2000');
  // The summary is one line of JSON.
  assert.doesNotMatch(JSON.stringify(s), /\n/);
});

test('a stage that was not measured is null in the summary and its target undecided, not failed', () => {
  const s = buildSummary(results({ flink: undefined, errors: [{ stage: 'Flink job', message: 'no JVM' }] }));
  assert.equal(s.flink_records_per_s, null);
  assert.equal(s.writer_vs_flink, null);
  assert.equal(s.targets.writer_vs_flink!.met, null);
  assert.deepEqual(s.errors, [{ stage: 'Flink job', message: 'no JVM' }]);
});

test('the peak-RSS target is only judged in the full run (its 1M-record backlog)', () => {
  assert.equal(buildSummary(results({ mode: BenchMode.QUICK })).targets.writer_peak_rss_mb!.met, null);
  assert.equal(
    buildSummary(results({ mode: BenchMode.FULL, writer: { ...results().writer!, peakRssMb: 600 } })).targets.writer_peak_rss_mb!
      .met,
    false,
  );
});

test('the engine chosen is the fastest whose files both readers read back identically', () => {
  assert.equal(
    chooseEngine([engine('fast-but-wrong', 200_000, false), engine('slow', 20_000, true), engine('good', 90_000, true)]),
    'good',
  );
  assert.equal(chooseEngine([engine('pyarrow-only', 200_000, true, false), engine('slow', 20_000, true)]), 'slow');
  assert.equal(chooseEngine([engine('wrong', 1, false)]), undefined);
});

test('the report and the plot show every stage, and the plot is an SVG with a bar per measured value', () => {
  const r = results({ engines: [engine('hyparquet-writer', 100_000, true)], defaultEngine: 'hyparquet-writer' });
  const s = buildSummary(r);
  const report = formatReport(s, r);
  for (const text of [
    'embedded writer',
    'Flink job',
    'stream processor, batch 1,000',
    'p50 / p95 / p99',
    'hyparquet-writer@1 (default)',
    'MISSED',
  ])
    assert.ok(report.includes(text), text);
  const svg = throughputSvg(throughputBars(s, r), 'bench');
  assert.match(svg, /^<svg /);
  assert.equal((svg.match(/<rect x=/g) ?? []).length, throughputBars(s, r).length);
  assert.ok(svg.includes('40,000'));
});

const consolidationRun = (over: Partial<ConsolidationRun> = {}): ConsolidationRun => ({
  rows: 1_000_000,
  inputs: 96,
  hours: 24,
  currencies: ['EUR', 'GBP', 'JPY', 'KWD', 'USD'],
  landingPrefix: 'landing/chargebacks/',
  build: { wallMs: 40_000, cpuMs: 38_000 },
  consolidate: { wallMs: 200_000, cpuMs: 100_000 },
  readDecode: { wallMs: 40_000, cpuMs: 20_000 },
  rerun: { wallMs: 12.4, cpuMs: 10, status: 'up-to-date', writes: 0 },
  writes: 2,
  bytesIn: 38_500_000,
  bytesOut: 40_700_000,
  csvBytes: 250_000_000,
  outputs: 1,
  targetBytes: 128 * 2 ** 20,
  maxRssAtStartMb: 120.4,
  maxRssAfterBuildMb: 300.2,
  rssAfterBuildMb: 250,
  maxRssAfterRunMb: 1_250,
  ...over,
});

test('the consolidation summary gives rows/s by wall and CPU, the ratio to reading the inputs alone, what the job added to RSS, bytes out/in', () => {
  const c = consolidationSummary(consolidationRun())!;
  assert.equal(c.store, 'in-memory (S3 round trips excluded)');
  assert.deepEqual([c.wall_s, c.cpu_s, c.rows_per_s_wall, c.rows_per_s_cpu], [200, 100, 5_000, 10_000]);
  assert.deepEqual([c.read_decode_rows_per_s_wall, c.read_decode_rows_per_s_cpu], [25_000, 50_000]);
  assert.deepEqual([c.vs_read_decode_cpu, c.vs_read_decode_wall], [0.2, 0.2]);
  assert.deepEqual([c.max_rss_at_start_mb, c.max_rss_after_build_mb, c.peak_rss_mb], [120, 300, 1_250]);
  assert.equal(c.job_rss_growth_mb, 1_000); // peak − resident set with the input built
  assert.equal(c.job_rss_bytes_per_row, 1_049); // 1,000 MiB over 1M rows
  assert.equal(c.peak_is_the_jobs, true);
  assert.deepEqual(
    [c.bytes_in, c.bytes_out, c.out_vs_in, c.outputs, c.csv_bytes],
    [38_500_000, 40_700_000, 1.06, 1, 250_000_000],
  );
  assert.equal(consolidationSummary(consolidationRun({ csvBytes: undefined }))!.csv_bytes, null);
  assert.deepEqual([c.rerun_ms, c.rerun_status, c.rerun_writes], [12, 'up-to-date', 0]);
  assert.equal(consolidationSummary(undefined), null);
  assert.equal(buildSummary(results()).consolidation, null);
});

test('a consolidation peak no higher than building the input is flagged as not the job’s, and a rerun that writes misses its target', () => {
  const r = results({ consolidation: consolidationRun({ maxRssAfterRunMb: 300.2 }) });
  const s = buildSummary(r);
  assert.equal(s.consolidation!.peak_is_the_jobs, false);
  assert.equal(s.consolidation!.job_rss_growth_mb, 50);
  const report = formatReport(s, r);
  for (const text of [
    'S3 round trips excluded',
    '1,000,000 rows in 96 part files (24 hours), EUR/GBP/JPY/KWD/USD',
    '200.0 s wall (5,000 rows/s), 100.0 s CPU (10,000 rows/s)',
    'job = 0.20 × that (CPU)',
    '120 / 300 / 300 MiB',
    'the peak is the build’s, not the job’s',
    "38.5 MB → 40.7 MB (out/in 1.06), 1 output file(s) at target 128 MiB; the day's CSV 250.0 MB",
    'up-to-date in 12 ms, 0 writes',
  ])
    assert.ok(report.includes(text), text);
  assert.equal(s.targets.consolidation_rerun_writes!.met, true);
  assert.equal(
    buildSummary(
      results({ consolidation: consolidationRun({ rerun: { wallMs: 1, cpuMs: 1, status: 'consolidated', writes: 2 } }) }),
    ).targets.consolidation_rerun_writes!.met,
    false,
  );
  assert.ok(!formatReport(buildSummary(results()), results()).includes('consolidation'));
});
