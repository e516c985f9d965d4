import { stackDown, stackUp } from '../../localstack/index.ts';
import { applyLocalEnv, resolveDlqQueueUrl } from '../../cli/localEnv.ts';
import { ComponentProcess } from './ComponentProcess.ts';
import { LandingZone } from '../../pipeline/reconcile/index.ts';

/** Rollover used by the acceptance suite: short, so a scenario sees its rows within seconds. */
export const TEST_ROLLOVER = '2s';
export const TEST_ROLLOVER_MS = 2_000;
/** How long a scenario waits for a row to land: rollover + poll interval + generous slack for a busy 2-core CI box. */
export const LANDING_TIMEOUT_MS = 45_000;

export interface RunningPipeline {
  api: ComponentProcess;
  poller: ComponentProcess;
  writer: ComponentProcess;
  landing: LandingZone;
  apiUrl: string;
  dlqQueueUrl: string;
  startedStack: boolean;
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
  const api = new ComponentProcess('api', ['api'], /listening/, env);
  const poller = new ComponentProcess('poller', ['poller', '--json'], /"what":"polling"/, env);
  const writer = new ComponentProcess('writer', ['writer', '--rollover', TEST_ROLLOVER, '--json'], /"what":"started"/, env);
  await Promise.all([api.start(), poller.start(), writer.start()]);
  pipeline = {
    api,
    poller,
    writer,
    landing: new LandingZone(process.env.LANDING_BUCKET!),
    apiUrl: `http://127.0.0.1:${process.env.API_PORT}`,
    dlqQueueUrl,
    startedStack: !info.reused,
  };
  return pipeline;
}

export async function stopPipeline(): Promise<void> {
  if (!pipeline) return;
  const p = pipeline;
  pipeline = undefined;
  await Promise.all([p.api.stop(), p.poller.stop(), p.writer.stop()]);
  if (p.startedStack && !process.env.KEEP_STACK) await stackDown();
}

export function currentPipeline(): RunningPipeline {
  if (!pipeline) throw new Error('the pipeline is not running: a scenario must start with "Given the pipeline is running on the local stack"');
  return pipeline;
}
