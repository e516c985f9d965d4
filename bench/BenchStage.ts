/**
 * The stages `bench --only` can select; by default every one runs except the fault stages
 * (catchup, campaign: a quarter of an hour each of kills and outages), which run when named. A module of its own so the
 * CLI can validate `--only` without loading the benchmark. `engines` also gives the encode ceiling.
 * `consolidation` is the only stage that needs no local stack: alone, it runs without starting one.
 */
export const BenchStage = {
  CONSUME: 'consume',
  WRITER: 'writer',
  FLINK: 'flink',
  ENGINES: 'engines',
  STREAM: 'stream',
  E2E: 'e2e',
  /** The embedded writer through a 60 s S3 outage: peak RSS and nothing lost. */
  OUTAGE: 'outage',
  /** Catch-up after a writer SIGKILL per consumer session timeout, and the 8–26 s kill storm. */
  CATCHUP: 'catchup',
  /** Load through the real local pipeline while faults are injected, then reconcile. */
  CAMPAIGN: 'campaign',
  /** The daily consolidation job over a landed day of N rows (in-memory store), beside reading its inputs alone. */
  CONSOLIDATION: 'consolidation',
} as const;
export type BenchStage = (typeof BenchStage)[keyof typeof BenchStage];
export const BENCH_STAGES: readonly BenchStage[] = Object.values(BenchStage);
/** What a run without `--only` measures. */
export const DEFAULT_BENCH_STAGES: readonly BenchStage[] = BENCH_STAGES.filter(
  (s) => s !== BenchStage.CATCHUP && s !== BenchStage.CAMPAIGN,
);

/** The stages that run against the local stack (all but consolidation). */
export const STACK_STAGES: readonly BenchStage[] = BENCH_STAGES.filter((s) => s !== BenchStage.CONSOLIDATION);

/** Parses `--only`'s comma list, naming what is wrong. */
export function parseBenchStages(v: string): BenchStage[] {
  const names = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !(BENCH_STAGES as readonly string[]).includes(n));
  if (unknown.length || names.length === 0) {
    throw new Error(
      `--only takes a comma list of ${BENCH_STAGES.join(', ')}; ${unknown.length ? `unknown: ${unknown.join(', ')}` : 'got nothing'}`,
    );
  }
  return names as BenchStage[];
}
