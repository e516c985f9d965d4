import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatReport } from './formatReport.ts';
import {
  BenchMode,
  buildSummary,
  chooseEngine,
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
