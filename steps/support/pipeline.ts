import { stackDown, stackUp, startKafka, stackStatus } from '../../localstack/index.ts';
import { applyLocalEnv, resolveDlqQueueUrl } from '../../cli/localEnv.ts';
import { LandingZone } from '../../pipeline/reconcile/index.ts';
import { ComponentProcess } from './ComponentProcess.ts';
import { S3FaultProxy } from '../../fixtures/S3FaultProxy.ts';

/** Rollover used by the acceptance suite: short, so a scenario sees its rows within seconds. */
export const TEST_ROLLOVER = '2s';
export const TEST_ROLLOVER_MS = 2_000;
/** How long a scenario waits for a row to land: rollover + poll interval + generous slack for a busy 2-core CI box. */
export const LANDING_TIMEOUT_MS = 45_000;

export interface RunningPipeline {
  api: ComponentProcess;
  poller: ComponentProcess;
  writer: ComponentProcess;
  /** A second writer in the same consumer group, when a scenario adds one. */
  extraWriter: ComponentProcess | undefined;
  /** The writer reaches S3 through this proxy, so scenarios can take S3 away from it alone. */
  s3Proxy: S3FaultProxy;
  landing: LandingZone;
  apiUrl: string;
  dlqQueueUrl: string;
  startedStack: boolean;
  writerEnv: NodeJS.ProcessEnv;
  /** Set by a scenario that swapped the writer (e.g. for the Flink engine): puts the embedded writer back. */
  restoreWriter?: () => Promise<void>;
}

let pipeline: RunningPipeline | undefined;

/**
 * The real local stack (moto + Apache Kafka, started here if not already up) and the three
 * components as child processes — the same `chargeback-cdc run …` commands an operator uses.
 */
export async function startPipeline(): Promise<RunningPipeline> {
  if (pipeline) return pipeline;
  applyLocalEnv();
  const info = await stackUp({ onProgress: (l: string) => console.error(l) });
  const dlqQueueUrl = await resolveDlqQueueUrl();
  const env = { ...process.env };
  const s3Proxy = new S3FaultProxy(new URL(process.env.AWS_ENDPOINT_URL!));
  await s3Proxy.start();
  // The writer: through the S3 proxy, and with a short consumer session so that after a SIGKILL
  // the group hands its partitions on within seconds instead of the default 30 s.
  const writerEnv = { ...env, AWS_ENDPOINT_URL: s3Proxy.endpoint, KAFKA_SESSION_TIMEOUT_MS: '6000' };
  const api = new ComponentProcess('api', ['api'], /listening/, env);
  const poller = new ComponentProcess('poller', ['poller', '--json'], /"what":"polling"/, env);
  const writer = newWriter('writer', writerEnv);
  await Promise.all([api.start(), poller.start(), writer.start()]);
  pipeline = {
    api,
    poller,
    writer,
    extraWriter: undefined,
    s3Proxy,
    landing: new LandingZone(process.env.LANDING_BUCKET!),
    apiUrl: `http://127.0.0.1:${process.env.API_PORT}`,
    dlqQueueUrl,
    startedStack: !info.reused,
    writerEnv,
  };
  return pipeline;
}

export function newWriter(name: string, env: NodeJS.ProcessEnv): ComponentProcess {
  return new ComponentProcess(name, ['writer', '--rollover', TEST_ROLLOVER, '--json'], /"what":"started"/, env);
}

/**
 * After a scenario that injected faults: S3 reachable again, the broker up, no injected fault in
 * the poller, one writer — so the next scenario starts from a healthy pipeline.
 */
export async function restoreHealthyPipeline(): Promise<void> {
  const p = pipeline;
  if (!p) return;
  await p.s3Proxy.setMode('pass');
  const kafka = (await stackStatus()).services.find((s) => s.service === 'kafka');
  if (kafka && kafka.state !== 'up') await startKafka();
  if (p.restoreWriter) {
    const restore = p.restoreWriter;
    delete p.restoreWriter;
    await restore();
  }
  if (p.extraWriter) {
    await p.extraWriter.stop();
    p.extraWriter = undefined;
  }
  // Back to the real poller after a scenario injected a fault into it; no restart otherwise.
  if (p.poller.injectedFaults) await p.poller.restartWithFault(undefined);
  for (const c of [p.api, p.poller, p.writer]) if (!c.running) await c.start();
}

export async function stopPipeline(): Promise<void> {
  if (!pipeline) return;
  const p = pipeline;
  pipeline = undefined;
  await Promise.all([p.api.stop(), p.poller.stop(), p.writer.stop(), p.extraWriter?.stop()]);
  await p.s3Proxy.close();
  if (p.startedStack && !process.env.KEEP_STACK) await stackDown();
}

export function currentPipeline(): RunningPipeline {
  if (!pipeline)
    throw new Error('the pipeline is not running: a scenario must start with "Given the pipeline is running on the local stack"');
  return pipeline;
}
