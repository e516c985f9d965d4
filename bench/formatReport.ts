import {
  STREAM_BATCH_SIZES,
  engineIdentical,
  type BenchResults,
  type BenchSummary,
  type ConsolidationSummary,
  type TargetOutcome,
} from './summary.ts';

/** The human report of a run (stdout, and docs/benchmarks.md with `markdown`). */

/** Thousands separators for the human table. */
export function fmt(v: number | null | undefined, digits = 0): string {
  if (v === null || v === undefined) return '—';
  return v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** Fixed-width table with a header rule, for stderr/stdout and docs (also valid Markdown when `markdown`). */
export function formatTable(header: string[], rows: string[][], markdown = false): string {
  if (markdown) {
    const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
    return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const mark = (t: TargetOutcome): string => (t.met === null ? '(n/a)' : t.met ? 'met' : 'MISSED');

/** The human report: stages side by side with their ceilings, the ratios, the targets, the engines. */
export function formatReport(s: BenchSummary, r: BenchResults, markdown = false): string {
  const sp = (b: number) => s.stream_processor_records_per_s[String(b)] ?? null;
  const stageRows: string[][] = [
    ['Kafka consume ceiling (kafkajs, no processing)', fmt(s.consume_ceiling_records_per_s), ''],
    [`Parquet encode ceiling (${r.encodeCeiling?.engine ?? '?'})`, fmt(s.encode_ceiling_records_per_s), ''],
    ['embedded writer: Kafka → committed Parquet in S3', fmt(s.writer_records_per_s), `${fmt(s.writer_vs_ceiling, 2)} × ceiling`],
    [
      'Flink job (MiniCluster): Kafka → committed Parquet in S3',
      fmt(s.flink_records_per_s),
      `writer = ${fmt(s.writer_vs_flink, 2)} × Flink`,
    ],
    ...STREAM_BATCH_SIZES.map((b) => {
      const run = r.streamProcessor.find((x) => x.batchSize === b);
      const note = run
        ? `handler alone ${fmt(run.withoutKafkaRecordsPerS)}, kafkajs producer alone ${fmt(run.kafkaOnlyRecordsPerS)}, Java producer ${fmt(run.javaProducerRecordsPerS)}`
        : '';
      return [`stream processor, batch ${fmt(b)} (handler → Kafka, acks=all)`, fmt(sp(b)), note];
    }),
  ];
  const parts = [
    formatTable(['stage', 'records/s', 'compared'], stageRows, markdown),
    '',
    formatTable(
      ['end to end (DynamoDB write → row visible in S3)', 'value'],
      [
        ['rollover', `${fmt(s.rollover_ms)} ms`],
        ['p50 / p95 / p99', `${fmt(s.e2e_p50_ms)} / ${fmt(s.e2e_p95_ms)} / ${fmt(s.e2e_p99_ms)} ms`],
        ['samples (lost)', `${fmt(s.e2e_samples)} (${fmt(r.e2e?.lost)})`],
        [
          `writer peak RSS, ${fmt(s.topic_records)}-record backlog`,
          `${fmt(s.writer_peak_rss_mb)} MiB (Flink job's JVM: ${fmt(s.flink_peak_rss_mb)} MiB)`,
        ],
        ...(r.outage
          ? [
              [
                `writer through a ${fmt(r.outage.outageMs / 1000)} s S3 outage, ${fmt(r.outage.records)} records`,
                `peak RSS ${fmt(r.outage.peakRssMb)} MiB (target ≤ 512), lost ${fmt(r.outage.lost)}, duplicated ${fmt(r.outage.duplicated)}, landed ${fmt(r.outage.recoveryMs)} ms after S3 came back`,
              ],
            ]
          : []),
      ],
      markdown,
    ),
    '',
    formatTable(
      ['Parquet engine', 'rows/s', 'bytes/row', 'peak extra MiB', 'pyarrow identical', 'Flink reader identical'],
      r.engines.map((e) => [
        `${e.engine}@${e.version}${e.engine === s.parquet_engine_default ? ' (default)' : ''}`,
        e.error ? 'failed' : fmt(e.rowsPerS),
        fmt(e.bytesPerRow, 1),
        fmt(e.peakExtraMb),
        yesNo(engineIdentical(e)),
        yesNo(e.flinkReaderRowsIdentical),
      ]),
      markdown,
    ),
    '',
    formatTable(
      ['target', 'value', 'wanted', 'outcome'],
      Object.entries(s.targets).map(([k, t]) => [k, fmt(t.value, k.includes('_vs_') ? 2 : 0), t.target, mark(t)]),
      markdown,
    ),
  ];
  if (s.writer_kill_catch_up.length) {
    parts.push(
      '',
      formatTable(
        [
          'writer SIGKILL → restart, session timeout',
          'kills',
          'catch-up median / max ms',
          'assigned median ms',
          'vs baseline (median / max)',
          'storm: starts with partitions',
          'longest partition silence ms',
        ],
        s.writer_kill_catch_up.map((v) => [
          `${fmt(v.session_timeout_ms)} ms (heartbeat ${fmt(v.heartbeat_interval_ms)} ms)`,
          `${fmt(v.kills)}${v.timed_out ? ` (+${v.timed_out} timed out)` : ''}`,
          `${fmt(v.median_catch_up_ms)} / ${fmt(v.max_catch_up_ms)}`,
          fmt(v.median_join_ms),
          `${fmt(v.median_vs_baseline, 2)} / ${fmt(v.max_vs_baseline, 2)}`,
          `${fmt(v.storm_starts_with_partitions)} of ${fmt(v.storm_starts)}`,
          fmt(v.storm_longest_partition_silence_ms),
        ]),
        markdown,
      ),
    );
  }
  if (s.campaign) {
    const c = s.campaign;
    parts.push(
      '',
      formatTable(
        ['fault campaign (API → poller → writer, real processes)', 'value'],
        [
          ['changes in the stream (requests, load errors)', `${fmt(c.changes)} (${fmt(c.requests)}, ${fmt(c.loadErrors)})`],
          [
            `faults (${fmt(c.faultsPlanned)} planned)`,
            Object.entries(c.faults)
              .map(([k, v]) => `${k} ${v}`)
              .join(', '),
          ],
          [
            'lost / duplicated / mismatched / unexpected',
            `${fmt(c.lost)} / ${fmt(c.duplicated)} / ${fmt(c.mismatched)} / ${fmt(c.unexpected)}`,
          ],
          [
            `writer catch-up after a kill (session timeout ${fmt(c.sessionTimeoutMs)} ms)`,
            `median ${fmt(c.writerCatchUpMedianMs)} ms, max ${fmt(c.writerCatchUpMaxMs)} ms over ${fmt(c.writerCatchUpMs.length)} kills${c.writerCatchUpUnfinished ? `, ${c.writerCatchUpUnfinished} not caught up in 120 s` : ''}`,
          ],
          ['duration', `${fmt(c.durationMs / 1000)} s`],
        ],
        markdown,
      ),
    );
  }
  if (s.consolidation) {
    parts.push(
      '',
      formatTable(
        ['consolidation of one day (in-memory store: S3 round trips excluded)', 'value'],
        consolidationRows(s.consolidation),
        markdown,
      ),
    );
  }
  if (r.writerProfile?.length) {
    parts.push(
      '',
      formatTable(
        ['writer CPU profile (BENCH_PROFILE)', 'self %', 'incl. %'],
        r.writerProfile.map((l) => [l.fn, fmt(l.selfPct, 1), fmt(l.totalPct, 1)]),
        markdown,
      ),
    );
  }
  if (r.notes.length) parts.push('', ...r.notes.map((n) => `note: ${n}`));
  if (s.errors.length) parts.push('', ...s.errors.map((e) => `not measured: ${e.stage}: ${e.message}`));
  return parts.join('\n');
}

function yesNo(v: boolean | null | undefined): string {
  return v === null || v === undefined ? '—' : v ? 'yes' : 'no';
}

/** The consolidation stage's rows of the report: [what, value]. */
export function consolidationRows(s: ConsolidationSummary): string[][] {
  return [
    ['day', `${fmt(s.rows)} rows in ${fmt(s.inputs)} part files (${s.hours} hours), ${s.currencies.join('/')}`],
    [
      'consolidateDay',
      `${fmt(s.wall_s, 1)} s wall (${fmt(s.rows_per_s_wall)} rows/s), ${fmt(s.cpu_s, 1)} s CPU (${fmt(s.rows_per_s_cpu)} rows/s)`,
    ],
    [
      'read + decode of the same inputs alone',
      `${fmt(s.read_decode_rows_per_s_wall)} rows/s wall, ${fmt(s.read_decode_rows_per_s_cpu)} rows/s CPU; job = ${fmt(s.vs_read_decode_cpu, 2)} × that (CPU), ${fmt(s.vs_read_decode_wall, 2)} × (wall)`,
    ],
    [
      'maxRSS: start / input built / peak',
      `${fmt(s.max_rss_at_start_mb)} / ${fmt(s.max_rss_after_build_mb)} / ${fmt(s.peak_rss_mb)} MiB (the job added ${fmt(s.job_rss_growth_mb)} MiB, ${fmt(s.job_rss_bytes_per_row)} B/row)${s.peak_is_the_jobs ? '' : '; the peak is the build’s, not the job’s'}`,
    ],
    [
      'bytes in → out',
      `${fmt(s.bytes_in / 1e6, 1)} MB → ${fmt(s.bytes_out / 1e6, 1)} MB (out/in ${fmt(s.out_vs_in, 2)}), ${fmt(s.outputs)} output file(s) at target ${fmt(s.target_bytes / 2 ** 20)} MiB${s.csv_bytes === null ? '' : `; the day's CSV ${fmt(s.csv_bytes / 1e6, 1)} MB`}`,
    ],
    ['rerun over the same inputs', `${s.rerun_status} in ${fmt(s.rerun_ms)} ms, ${fmt(s.rerun_writes)} writes`],
  ];
}
