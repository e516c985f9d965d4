import { CONSOLIDATION_HOURS, CONSOLIDATION_PARTS_PER_HOUR } from './stages/consolidation.ts';
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
  /** `--only catchup`: SIGKILL + restart per session timeout (the first is the baseline). */
  catchUp: {
    sessionTimeoutsMs: number[];
    killsPerVariant: number;
    stormStarts: number;
    ratePerS: number;
    rolloverMs: number;
  };
  /** `--only campaign`: changes through the API while faults are injected. */
  campaign: { changes: number; faults: number; ratePerS: number; rolloverMs: number };
  /** `consolidation`: the rows of the landed day (BENCH_CONSOLIDATION_ROWS), and how long the worker may take. */
  consolidation: { rows: number; timeoutMs: number };
}

/** A positive whole number from the environment, or the default. */
function envInt(name: string, dflt: number, env: NodeJS.ProcessEnv): number {
  const v = env[name];
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got ${JSON.stringify(v)}`);
  return n;
}

/**
 * The sizes of the stages the environment can set: BENCH_CATCHUP_SESSIONS (comma list of ms,
 * first = baseline), BENCH_CATCHUP_KILLS, BENCH_CATCHUP_STORM (writer starts in the 8–26 s kill
 * storm), BENCH_CAMPAIGN_CHANGES, BENCH_CAMPAIGN_FAULTS, BENCH_CAMPAIGN_RATE (requests/s),
 * BENCH_CONSOLIDATION_ROWS (rows of the landed day, at least 96: one per part file).
 */
function envSizedStages(quick: boolean, env: NodeJS.ProcessEnv): Pick<BenchConfig, 'catchUp' | 'campaign' | 'consolidation'> {
  const sessions = (env.BENCH_CATCHUP_SESSIONS ?? '30000,10000,6000').split(',').map((s) => Number(s.trim()));
  if (sessions.some((s) => !Number.isInteger(s) || s < 6_000))
    throw new Error(`BENCH_CATCHUP_SESSIONS must be a comma list of milliseconds ≥ 6000, got ${env.BENCH_CATCHUP_SESSIONS}`);
  const consolidationRows = envInt('BENCH_CONSOLIDATION_ROWS', quick ? 200_000 : 1_000_000, env);
  const parts = CONSOLIDATION_HOURS * CONSOLIDATION_PARTS_PER_HOUR;
  if (consolidationRows < parts)
    throw new Error(`BENCH_CONSOLIDATION_ROWS must be at least ${parts} (one row per part file), got ${consolidationRows}`);
  return {
    catchUp: {
      sessionTimeoutsMs: sessions,
      killsPerVariant: envInt('BENCH_CATCHUP_KILLS', quick ? 3 : 5, env),
      stormStarts: envInt('BENCH_CATCHUP_STORM', quick ? 4 : 8, env),
      ratePerS: 150,
      rolloverMs: 1_000,
    },
    campaign: {
      changes: envInt('BENCH_CAMPAIGN_CHANGES', quick ? 3_000 : 20_000, env),
      faults: envInt('BENCH_CAMPAIGN_FAULTS', quick ? 6 : 16, env),
      ratePerS: envInt('BENCH_CAMPAIGN_RATE', 40, env),
      rolloverMs: 2_000,
    },
    consolidation: { rows: consolidationRows, timeoutMs: 30 * 60_000 },
  };
}

export function benchConfig(mode: BenchMode, env: NodeJS.ProcessEnv = process.env): BenchConfig {
  if (mode === BenchMode.QUICK) {
    return {
      mode,
      topicRecords: 200_000,
      throughputRolloverMs: 2_000,
      streamRecords: (b) => Math.max(20_000, 3 * b),
      e2e: { rolloverMs: 1_000, ratePerS: 20, durationMs: 20_000, pollMs: 100 },
      writerTimeoutMs: 5 * 60_000,
      ...envSizedStages(true, env),
    };
  }
  return {
    mode,
    topicRecords: 1_000_000,
    throughputRolloverMs: 2_000,
    streamRecords: (b) => Math.max(100_000, 10 * b),
    e2e: { rolloverMs: 1_000, ratePerS: 20, durationMs: 60_000, pollMs: 100 },
    writerTimeoutMs: 20 * 60_000,
    ...envSizedStages(false, env),
  };
}
