import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import { BenchStack } from './BenchStack.ts';
import { BenchStage, DEFAULT_BENCH_STAGES, STACK_STAGES } from './BenchStage.ts';
import { benchConfig } from './BenchConfig.ts';
import { REPO_ROOT } from './childProcess.ts';
import { compareEngines } from './engines/compareEngines.ts';
import { DEFAULT_ENGINE } from './engines/ParquetEngine.ts';
import { throughputBars, throughputSvg } from './plot.ts';
import { preloadTopic } from './preloadTopic.ts';
import { summariseProfile } from './profileSummary.ts';
import { phase, progress } from './progress.ts';
import { measureConsumeCeiling } from './stages/consumeCeiling.ts';
import { measureEndToEnd } from './stages/endToEnd.ts';
import { measureStreamProcessor, probeDefaultTopic } from './stages/streamProcessor.ts';
import { measureEmbeddedWriter, measureFlinkJob } from './stages/writerThroughput.ts';
import { measureWriterOutage } from './stages/writerOutage.ts';
import { measureWriterKillCatchUp } from './stages/writerKillCatchUp.ts';
import { runFaultCampaign } from './stages/faultCampaign.ts';
import { measureConsolidation } from './stages/consolidation.ts';
import { formatReport } from './formatReport.ts';
import { BenchMode, buildSummary, type BenchResults } from './summary.ts';

export interface RunBenchOptions {
  quick: boolean;
  json: boolean;
  /** Run only these stages (ratios whose other side was not measured are left out of the summary). */
  only?: readonly BenchStage[];
}

/**
 * `npm run bench` / `chargeback-cdc bench [--quick] [--json]`: every stage measured against its
 * ceiling, and the embedded writer against the real Flink job, side by side in ONE run on the
 * local stack (started if it is not up). Progress goes to stderr; stdout gets the human report
 * and, with --json, one JSON summary object as its last line. Results are written to
 * bench/results/<timestamp>.json with a throughput plot (<timestamp>.svg) beside it.
 *
 * Environment: BENCH_PROFILE=1 writes a CPU profile of the writer and summarises it;
 * BENCH_KEEP=1 keeps the run's topics, buckets, table and queue.
 *
 * Exit status: 0 when every stage was measured (targets missed are reported, not failures:
 * this box is shared and noisy), 1 when a stage could not be measured.
 */
export async function runBench(o: RunBenchOptions): Promise<number> {
  const mode = o.quick ? BenchMode.QUICK : BenchMode.FULL;
  const cfg = benchConfig(mode);
  const stamp = new Date()
    .toISOString()
    .replace(/[:]/g, '-')
    .replace(/\.\d+Z$/, 'Z');
  const resultsDir = join(REPO_ROOT, 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'bench-run-'));
  // Libraries under test log to stdout (Powertools, kafkajs); stdout is kept for the report alone.
  const stdoutWrite = process.stdout.write.bind(process.stdout);
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  const startedAt = new Date();
  const results: BenchResults = {
    mode,
    runId: '',
    startedAt: startedAt.toISOString(),
    durationMs: 0,
    machine: { cpus: cpus().length, memGiB: Math.round(totalmem() / 2 ** 30), node: process.version, loadAvg1m: loadavg()[0]! },
    topicRecords: cfg.topicRecords,
    rolloverMs: cfg.throughputRolloverMs,
    streamProcessor: [],
    engines: [],
    defaultEngine: DEFAULT_ENGINE,
    notes: [],
    errors: [],
    git: gitInfo(),
  };
  const wanted = (s: BenchStage) => (o.only ?? DEFAULT_BENCH_STAGES).includes(s);
  const stage = async <T>(name: string, fn: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await phase(name, fn);
    } catch (e) {
      results.errors.push({ stage: name, message: (e as Error).message.split('\n')[0]!.slice(0, 500) });
      return undefined;
    }
  };

  progress(
    `chargeback-cdc bench, ${mode} mode: ${cfg.topicRecords.toLocaleString('en-US')}-record topic, results in ${relative(REPO_ROOT, resultsDir)}/${stamp}.json`,
  );
  let stack: BenchStack | undefined;
  // Alone, the consolidation stage starts no stack.
  if (STACK_STAGES.some(wanted)) {
    try {
      stack = await phase('local stack', () => BenchStack.open());
      const s = stack;
      results.runId = s.runId;
      const topic = await s.createTopic('changes');
      const dlqTopic = await s.createTopic('changes-dlq');
      const workload = { total: cfg.topicRecords, runId: s.runId };
      const needsTopic = wanted(BenchStage.CONSUME) || wanted(BenchStage.WRITER) || wanted(BenchStage.FLINK);
      const loaded = !needsTopic
        ? undefined
        : await phase(`pre-loading ${cfg.topicRecords.toLocaleString('en-US')} change records`, () =>
            preloadTopic(s.kafka, topic, workload),
          );
      if (loaded) progress(`  ${Math.round(loaded.bytes / 2 ** 20)} MiB in ${(loaded.ms / 1000).toFixed(1)} s`);

      if (wanted(BenchStage.CONSUME))
        results.consumeCeiling = await stage('Kafka consume ceiling', () =>
          measureConsumeCeiling(s, topic, cfg.topicRecords, cfg.writerTimeoutMs),
        );
      const profileDir = process.env.BENCH_PROFILE ? join(resultsDir, `${stamp}-writer-profile`) : undefined;
      const writerOpts = {
        topic,
        dlqTopic,
        records: cfg.topicRecords,
        rolloverMs: cfg.throughputRolloverMs,
        timeoutMs: cfg.writerTimeoutMs,
      };
      if (wanted(BenchStage.WRITER))
        results.writer = await stage('embedded writer', () =>
          measureEmbeddedWriter(s, { ...writerOpts, ...(profileDir ? { cpuProfileDir: profileDir } : {}) }),
        );
      if (profileDir) results.writerProfile = summariseLargestProfile(profileDir);
      if (wanted(BenchStage.FLINK))
        results.flink = await stage('Flink job', () =>
          measureFlinkJob(s, {
            ...writerOpts,
            logFile: join(resultsDir, `${stamp}-flink.log`),
            stateDir: mkdtempSync(join(work, 'flink-state-')),
          }),
        );

      const engines = !wanted(BenchStage.ENGINES)
        ? undefined
        : await stage('Parquet engines', () =>
            compareEngines({ rows: cfg.topicRecords, runId: s.runId, dir: join(work, 'engines') }),
          );
      if (engines) {
        results.engines = engines.runs;
        results.chosenEngine = engines.chosen;
        if (engines.chosen !== DEFAULT_ENGINE) {
          results.notes.push(
            `the numbers choose ${engines.chosen ?? 'no engine'} but DEFAULT_ENGINE is ${DEFAULT_ENGINE}: see docs/benchmarks.md before changing it`,
          );
        }
        const def = engines.runs.find((e) => e.engine === DEFAULT_ENGINE);
        if (def?.rowsPerS)
          results.encodeCeiling = {
            records: def.rows,
            ms: (def.rows * 1000) / def.rowsPerS,
            recordsPerS: def.rowsPerS,
            engine: `${def.engine}@${def.version}`,
          };
      }

      if (wanted(BenchStage.STREAM)) {
        results.streamProcessor =
          (await stage('stream processor', () => measureStreamProcessor(s, { recordsPerBatchSize: cfg.streamRecords }))) ?? [];
        progress(
          "stream processor, batch 10,000 on a topic with the broker's default max.message.bytes (a refusal logged by kafkajs below is what this checks)",
        );
        const probe = await stage('stream processor, batch 10,000 on a default-settings topic', () =>
          probeDefaultTopic(s, 10_000),
        );
        if (probe && !probe.ok) {
          results.notes.push(
            `a batch of 10,000 cannot be published to a topic with the broker's default max.message.bytes (1 MiB; the local stack creates its topics with 8 MiB like MSK Serverless): ${probe.error}; batch 10,000 was measured on a topic allowing 8 MiB like MSK Serverless`,
          );
        }
      }
      if (wanted(BenchStage.E2E))
        results.e2e = await stage('end to end (DynamoDB write → row visible in S3)', () => measureEndToEnd(s, cfg.e2e));
      if (wanted(BenchStage.OUTAGE))
        results.outage = await stage('embedded writer through a 60 s S3 outage', () =>
          measureWriterOutage(s, {
            records: 50_000,
            outageMs: 60_000,
            rolloverMs: cfg.throughputRolloverMs,
            timeoutMs: cfg.writerTimeoutMs,
          }),
        );
      if (wanted(BenchStage.CATCHUP))
        results.catchUp = await stage('writer SIGKILL catch-up per session timeout', () =>
          measureWriterKillCatchUp(s, { ...cfg.catchUp, timeoutMs: 180_000 }),
        );
      if (wanted(BenchStage.CAMPAIGN))
        results.campaign = await stage('fault campaign through the local pipeline', () => runFaultCampaign(s, cfg.campaign));
    } catch (e) {
      results.errors.push({ stage: 'setup', message: (e as Error).message });
    } finally {
      await stack?.close();
    }
  }
  rmSync(work, { recursive: true, force: true });
  // After the stack is closed: the job needs none, and a stack this run started is stopped by then.
  if (wanted(BenchStage.CONSOLIDATION)) {
    results.runId ||= randomUUID().slice(0, 8);
    results.consolidation = await stage(`consolidation of a ${cfg.consolidation.rows.toLocaleString('en-US')}-row day`, () =>
      measureConsolidation({ ...cfg.consolidation, runId: results.runId }),
    );
  }
  results.durationMs = Date.now() - startedAt.getTime();

  const summary = buildSummary(results);
  const resultsFile = join(resultsDir, `${stamp}.json`);
  const plotFile = join(resultsDir, `${stamp}.svg`);
  summary.results_file = relative(REPO_ROOT, resultsFile);
  summary.plot_file = relative(REPO_ROOT, plotFile);
  try {
    writeFileSync(resultsFile, `${JSON.stringify({ summary, results }, null, 2)}\n`);
    writeFileSync(
      plotFile,
      throughputSvg(
        throughputBars(summary, results),
        `chargeback-cdc bench (${mode}, ${results.startedAt.slice(0, 16)}Z, ${results.machine.cpus} cores)`,
      ),
    );
  } finally {
    process.stdout.write = stdoutWrite;
  }
  process.stdout.write(`${formatReport(summary, results)}\n\nresults: ${summary.results_file}\nplot:    ${summary.plot_file}\n`);
  if (o.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  return results.errors.length ? 1 : 0;
}

function summariseLargestProfile(dir: string): BenchResults['writerProfile'] {
  try {
    const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
    const largest = files.map((f) => join(dir, f)).sort((a, b) => statSync(b).size - statSync(a).size)[0];
    return largest ? summariseProfile(JSON.parse(readFileSync(largest, 'utf8')), 15) : undefined;
  } catch {
    return undefined;
  }
}

function gitInfo(): BenchResults['git'] {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: REPO_ROOT }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: REPO_ROOT }).toString().trim().length > 0;
    return { commit, dirty };
  } catch {
    return undefined;
  }
}
