/**
 * The stages `bench --only` can select; by default every one runs. A module of its own so the
 * CLI can validate `--only` without loading the benchmark. `engines` also gives the encode ceiling.
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
} as const;
export type BenchStage = (typeof BenchStage)[keyof typeof BenchStage];
export const BENCH_STAGES: readonly BenchStage[] = Object.values(BenchStage);

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
