import { BenchMode } from './summary.ts';

/**
 * What each mode measures. Quick: a few minutes, for CI-like checks (every stage, smaller
 * volumes). Full: the volumes — a 1M-record backlog for the writers and the peak-RSS
 * target, 1M rows for the engines, and longer stream-processor and end-to-end runs.
 */
export interface BenchConfig {
  mode: BenchMode;
  /** Records pre-loaded on the topic both writers land (and the engines encode). */
  topicRecords: number;
  /** Rollover of the embedded writer = checkpoint interval of the Flink job, for the throughput runs. */
  throughputRolloverMs: number;
  /** Stream-processor records per batch size. */
  streamRecords: (batchSize: number) => number;
  e2e: { rolloverMs: number; ratePerS: number; durationMs: number; pollMs: number };
  /** Upper bound for one writer run (both engines get the same). */
  writerTimeoutMs: number;
}

export function benchConfig(mode: BenchMode): BenchConfig {
  if (mode === BenchMode.QUICK) {
    return {
      mode,
      topicRecords: 200_000,
      throughputRolloverMs: 2_000,
      streamRecords: (b) => Math.max(20_000, 3 * b),
      e2e: { rolloverMs: 1_000, ratePerS: 20, durationMs: 20_000, pollMs: 100 },
      writerTimeoutMs: 5 * 60_000,
    };
  }
  return {
    mode,
    topicRecords: 1_000_000,
    throughputRolloverMs: 2_000,
    streamRecords: (b) => Math.max(100_000, 10 * b),
    e2e: { rolloverMs: 1_000, ratePerS: 20, durationMs: 60_000, pollMs: 100 },
    writerTimeoutMs: 20 * 60_000,
  };
}
