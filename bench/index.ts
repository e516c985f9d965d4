/**
 * The benchmarks' one public entry (`chargeback-cdc bench`, `npm run bench`): the stage names the
 * CLI validates `--only` against, and the run itself, loaded only when a benchmark runs so that
 * the CLI's start-up does not pay for the benchmark's modules.
 *
 * @example
 * process.exitCode = await runBench({ quick: true, json: true, only: parseBenchStages('writer,flink') });
 */
import type { RunBenchOptions } from './runBench.ts';

export { BENCH_STAGES, BenchStage, parseBenchStages } from './BenchStage.ts';
export type { RunBenchOptions } from './runBench.ts';

export async function runBench(o: RunBenchOptions): Promise<number> {
  return (await import('./runBench.ts')).runBench(o);
}
