import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { awsClientConfigFromEnv } from '../../pipeline/aws/index.ts';
import { Topics } from '../../pipeline/kafka/index.ts';
import { LandingZone } from '../../pipeline/reconcile/index.ts';
import { FLINK_UP_LINE } from '../../pipeline/flink-job/index.ts';
import { ComponentProcess } from './ComponentProcess.ts';
import { currentPipeline, TEST_ROLLOVER_MS } from './pipeline.ts';

export const Engine = { EMBEDDED: 'embedded', FLINK: 'flink' } as const;
export type Engine = (typeof Engine)[keyof typeof Engine];

/** Which writer a scenario's faults hit, and where its progress is visible from outside. */
export interface WriterUnderTest {
  engine: Engine;
  /** The consumer group whose committed offsets follow the writer's commits (both engines commit after the files). */
  groupId: string;
  /** The bucket it lands into. */
  bucket: string;
  /** The Flink job's retained checkpoints (FLINK_STATE_DIR); undefined for the embedded writer. */
  stateDir: string | undefined;
}

let underTest: WriterUnderTest | undefined;

/** The writer the current scenario runs: the pipeline's embedded writer unless a step swapped in the Flink job. */
export function writerUnderTest(): WriterUnderTest {
  return (
    underTest ?? {
      engine: Engine.EMBEDDED,
      groupId: process.env.WRITER_GROUP_ID || Topics.WRITER_GROUP,
      bucket: currentPipeline().landing.bucket,
      stateDir: undefined,
    }
  );
}

/** How long a Flink MiniCluster may take to report RUNNING on a busy 2-core machine. */
export const FLINK_START_TIMEOUT_MS = 180_000;
const FIRST_CHECKPOINT_TIMEOUT_MS = 120_000;
/** The CheckpointCoordinator's line (logged at INFO by pipeline/flink-job/local/log4j2.properties). */
const COMPLETED_CHECKPOINT = /Completed checkpoint \d+ for job/;

/**
 * Replaces the pipeline's embedded writer by the Flink job, run as an operator runs it locally
 * (pipeline/flink-job/run-local.sh, which execs the MiniCluster's JVM, so a SIGKILL hits the JVM itself):
 * through the same S3 fault proxy, with 2 s checkpoints (= the suite's rollover), checkpoints retained in
 * a state directory of its own (a restart resumes from the newest), and a bucket and a consumer group of
 * its own. Its own group starts from the earliest offset, so its bucket must end up holding the whole
 * stream exactly once, which reconcile checks as it does for the embedded writer's bucket. (Handing one
 * group from one engine to the other is features/engine_handover.feature's subject, through
 * `chargeback-cdc handover`: pipeline/parquet-writer/README.md, Switching engines.)
 * After the scenario the embedded writer comes back.
 */
export async function useFlinkWriter(): Promise<WriterUnderTest> {
  const p = currentPipeline();
  const run = crypto.randomUUID().slice(0, 8);
  const wanted: WriterUnderTest = {
    engine: Engine.FLINK,
    groupId: `flink-faults-${run}`,
    bucket: `landing-flink-${run}`,
    stateDir: mkdtempSync(join(tmpdir(), 'flink-faults-state-')),
  };
  await new S3Client(awsClientConfigFromEnv()).send(new CreateBucketCommand({ Bucket: wanted.bucket }));
  const env: NodeJS.ProcessEnv = {
    ...p.writerEnv,
    KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
    LANDING_BUCKET: wanted.bucket,
    S3_ENDPOINT: p.s3Proxy.endpoint,
    CHECKPOINT_INTERVAL_MS: String(TEST_ROLLOVER_MS),
    GROUP_ID: wanted.groupId,
    FLINK_STATE_DIR: wanted.stateDir,
  };
  const flink = new ComponentProcess('writer-flink', [], new RegExp(`^${FLINK_UP_LINE}`, 'm'), env, {
    command: 'bash',
    args: ['pipeline/flink-job/run-local.sh'],
  });
  const embedded = p.writer;
  const embeddedLanding = p.landing;
  await embedded.stop();
  try {
    await flink.start(FLINK_START_TIMEOUT_MS);
  } catch (e) {
    await embedded.start();
    throw e;
  }
  // A kill before the job's first completed checkpoint would restart it from empty, which proves nothing
  // about restoring: the scenario's faults start once there is a checkpoint to restore from.
  const deadline = Date.now() + FIRST_CHECKPOINT_TIMEOUT_MS;
  while (!COMPLETED_CHECKPOINT.test(flink.recentOutput()) && flink.running && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 250));
  if (!COMPLETED_CHECKPOINT.test(flink.recentOutput())) {
    await flink.stop();
    await embedded.start();
    throw new Error(
      `the Flink job completed no checkpoint within ${FIRST_CHECKPOINT_TIMEOUT_MS} ms of starting; its output:\n${flink.recentOutput()}`,
    );
  }
  p.writer = flink;
  p.landing = new LandingZone(wanted.bucket);
  underTest = wanted;
  p.restoreWriter = async () => {
    underTest = undefined;
    await flink.stop();
    rmSync(wanted.stateDir!, { recursive: true, force: true });
    p.writer = embedded;
    p.landing = embeddedLanding;
    await embedded.start();
  };
  return wanted;
}
