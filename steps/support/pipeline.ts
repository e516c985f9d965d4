import { stackDown, stackUp, startKafka, stackStatus } from '../../localstack/index.ts';
import { applyLocalEnv, resolveDlqQueueUrl } from '../../cli/localEnv.ts';
import { LandingZone } from '../../pipeline/reconcile/index.ts';
import { ComponentProcess } from './ComponentProcess.ts';
import { S3FaultProxy } from '../../fixtures/S3FaultProxy.ts';
import { landingTimeoutMs, readTarget, TargetConfigError, TargetSpawnError, type Target } from './target.ts';

/** Rollover used by the acceptance suite: short, so a scenario sees its rows within seconds. */
export const TEST_ROLLOVER = '2s';
export const TEST_ROLLOVER_MS = 2_000;
/** How long a scenario waits for a row to land: rollover + poll interval + generous slack for a busy 2-core CI box (longer against a deployed stack). */
export const LANDING_TIMEOUT_MS = landingTimeoutMs();

/** Where a scenario sends its requests and looks for its rows: what every @aws step may use. */
export interface PipelineTarget {
  apiUrl: string;
  landing: LandingZone;
  /** Set when the suite runs against CDC_TARGET (deployed or an already running local stack): nothing here is ours. */
  target: Target | undefined;
}

export interface RunningPipeline extends PipelineTarget {
  api: ComponentProcess;
  poller: ComponentProcess;
  writer: ComponentProcess;
  /** A second writer in the same consumer group, when a scenario adds one. */
  extraWriter: ComponentProcess | undefined;
  /** The writer reaches S3 through this proxy, so scenarios can take S3 away from it alone. */
  s3Proxy: S3FaultProxy;
  dlqQueueUrl: string;
  startedStack: boolean;
  writerEnv: NodeJS.ProcessEnv;
  /** Set by a scenario that swapped the writer (e.g. for the Flink engine): puts the embedded writer back. */
  restoreWriter?: () => Promise<void>;
}

let pipeline: RunningPipeline | undefined;
/** The target of a CDC_TARGET run; `pipeline` stays undefined then. */
let targeted: PipelineTarget | undefined;

/**
 * The real local stack (moto + Apache Kafka, started here if not already up) and the three
 * components as child processes — the same `chargeback-cdc run …` commands an operator uses.
 * With CDC_TARGET set, none of that: the suite checks the target it was given answers.
 */
export async function startPipeline(): Promise<PipelineTarget> {
  if (pipeline) return pipeline;
  if (targeted) return targeted;
  const target = readTarget();
  if (target) {
    targeted = await checkTarget(target);
    return targeted;
  }
  applyLocalEnv();
  const info = await stackUp({ onProgress: (l: string) => console.error(l) });
  const dlqQueueUrl = await resolveDlqQueueUrl();
  const env = { ...process.env };
  const s3Proxy = new S3FaultProxy(new URL(process.env.AWS_ENDPOINT_URL!));
  await s3Proxy.start();
  // The writer: through the S3 proxy, and with a short consumer session so that after a SIGKILL
  // the group hands its partitions on within seconds instead of the default 30 s.
  const writerEnv = { ...env, AWS_ENDPOINT_URL: s3Proxy.endpoint, KAFKA_SESSION_TIMEOUT_MS: '6000' };
  const api = component('api', ['api'], /listening/, env);
  const poller = component('poller', ['poller', '--json'], /"what":"polling"/, env);
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
    target: undefined,
    dlqQueueUrl,
    startedStack: !info.reused,
    writerEnv,
  };
  return pipeline;
}

export function newWriter(name: string, env: NodeJS.ProcessEnv): ComponentProcess {
  return component(name, ['writer', '--rollover', TEST_ROLLOVER, '--json'], /"what":"started"/, env);
}

/** Every component the suite runs is made here, so a CDC_TARGET run provably starts none. */
function component(name: string, args: string[], ready: RegExp, env: NodeJS.ProcessEnv): ComponentProcess {
  if (process.env.CDC_TARGET)
    throw new TargetSpawnError(
      `CDC_TARGET=${process.env.CDC_TARGET}: the suite starts no component (asked for ${name}); only @aws scenarios run against a target`,
    );
  return new ComponentProcess(name, args, ready, env);
}

/**
 * A target is used as given: its API must answer (any HTTP status: GET / has no route) before
 * a scenario runs, so an unreachable URL fails once, naming the URL, instead of in every step.
 */
async function checkTarget(target: Target): Promise<PipelineTarget> {
  try {
    await fetch(`${target.apiUrl}/`, { signal: AbortSignal.timeout(10_000) });
  } catch (e) {
    throw new TargetConfigError(
      `CDC_TARGET=${target.mode}: the API at ${target.apiUrl} does not answer (${(e as Error).message})`,
      {
        cause: e,
      },
    );
  }
  console.error(
    `acceptance target ${target.mode}: API ${target.apiUrl}, bucket ${target.bucket}, table ${target.table}, Kafka ${target.kafkaBrokers} (${target.kafkaAuth}), AWS ${target.awsEndpoint ?? 'default endpoints'}; starting nothing`,
  );
  return { apiUrl: target.apiUrl, landing: new LandingZone(target.bucket), target };
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
  targeted = undefined;
  if (!pipeline) return;
  const p = pipeline;
  pipeline = undefined;
  await Promise.all([p.api.stop(), p.poller.stop(), p.writer.stop(), p.extraWriter?.stop()]);
  await p.s3Proxy.close();
  if (p.startedStack && !process.env.KEEP_STACK) await stackDown();
}

/** The API and landing zone scenarios use, whether the suite started them or was pointed at them. */
export function currentTarget(): PipelineTarget {
  return targeted ?? currentPipeline();
}

/** The locally started stack and components, for steps that kill, restart or fault them. */
export function currentPipeline(): RunningPipeline {
  if (targeted)
    throw new TargetSpawnError(
      `CDC_TARGET=${targeted.target!.mode}: this step drives local components, which a target run does not have; tag @aws only scenarios whose steps use currentTarget()`,
    );
  if (!pipeline)
    throw new Error('the pipeline is not running: a scenario must start with "Given the pipeline is running on the local stack"');
  return pipeline;
}
