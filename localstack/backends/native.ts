import { LocalPorts } from '../config.ts';
import { stopProcess } from '../DetachedProcess.ts';
import { kafkaHealthy, kafkaPid, startKafkaBroker, stopKafkaBroker } from '../kafka/KafkaBroker.ts';
import { KAFKA_VERSION } from '../kafka/KafkaJars.ts';
import { ensureMotoInstalled, MOTO_VERSION } from '../moto/MotoInstaller.ts';
import { motoHealthy, motoPid, startMoto, stopMoto } from '../moto/MotoServer.ts';
import { USE_EXTERNAL_HINT } from '../portHolder.ts';
import { preflightPorts } from '../preflightPorts.ts';
import { settleAll } from '../settleAll.ts';
import { checkJava, checkPython } from '../toolchain.ts';
import type { BackendContext, ServiceStatus, StackBackend } from './StackBackend.ts';

/**
 * moto server (in a project-managed venv) on 4566 and an Apache Kafka KRaft broker on 9092, both
 * detached child processes with pid files in run/ and logs in logs/. A fresh `up` starts Kafka on an
 * empty data dir (moto is in-memory anyway), so both halves start equally empty.
 */
export const nativeBackend: StackBackend = {
  name: 'native',

  async up(ctx) {
    const { paths, onProgress } = ctx;
    checkPython();
    checkJava();
    const [motoNow, kafkaNow] = await Promise.all([
      runningHealthy(motoPid(paths), () => motoHealthy()),
      runningHealthy(kafkaPid(paths), () => kafkaHealthy(ctx.cfg)),
    ]);
    await preflightPorts([
      { port: LocalPorts.aws, service: 'moto: DynamoDB, Streams, S3, SQS', ours: motoNow.pid, hint: USE_EXTERNAL_HINT },
      { port: LocalPorts.kafka, service: 'Kafka', ours: kafkaNow.pid, hint: USE_EXTERNAL_HINT },
      { port: ctx.cfg.kafkaControllerPort, service: 'Kafka controller', ours: kafkaNow.pid },
    ]);
    const started: Array<() => Promise<void>> = [];
    try {
      await settleAll([
        motoNow.healthy
          ? reuse('moto', motoNow.pid, onProgress)
          : bringUpMoto(ctx, motoNow.pid).then(() => void started.push(() => stopMoto(paths))),
        kafkaNow.healthy
          ? reuse('Kafka', kafkaNow.pid, onProgress)
          : bringUpKafka(ctx, kafkaNow.pid).then(() => void started.push(() => stopKafkaBroker(paths))),
      ] as const);
    } catch (e) {
      // Leave nothing half-up: stop what this call started, keep what it reused, report the cause.
      await settleAll(started.map((stop) => stop()));
      throw e;
    }
    return { services: await this.status(ctx), reused: motoNow.healthy && kafkaNow.healthy };
  },

  async down({ paths, onProgress }) {
    await settleAll([stopMoto(paths), stopKafkaBroker(paths)] as const);
    onProgress('native stack stopped (moto, Kafka)');
  },

  async status(ctx) {
    const { paths, cfg } = ctx;
    const [moto, kafka] = await Promise.all([
      runningHealthy(motoPid(paths), () => motoHealthy()),
      runningHealthy(kafkaPid(paths), () => kafkaHealthy(cfg)),
    ]);
    return [
      service('moto', moto, cfg.awsEndpoint ?? '', LocalPorts.aws, paths.log('moto'), `moto ${MOTO_VERSION}`),
      service(
        'kafka',
        kafka,
        cfg.kafkaBrokers.join(','),
        LocalPorts.kafka,
        paths.log('kafka'),
        `Apache Kafka ${KAFKA_VERSION} KRaft`,
      ),
    ];
  },

  async stopKafka({ paths, onProgress }) {
    await stopKafkaBroker(paths);
    onProgress('Kafka broker stopped (data kept)');
  },

  async startKafka(ctx) {
    const { paths, cfg, onProgress } = ctx;
    const now = await runningHealthy(kafkaPid(paths), () => kafkaHealthy(cfg));
    if (!now.healthy) {
      await preflightPorts([
        { port: LocalPorts.kafka, service: 'Kafka', ours: now.pid },
        { port: cfg.kafkaControllerPort, service: 'Kafka controller', ours: now.pid },
      ]);
      if (now.pid !== undefined) await stopKafkaBroker(paths);
      const t0 = Date.now();
      const pid = await startKafkaBroker(cfg, paths, { fresh: false, onProgress });
      onProgress(`Kafka broker restarted on its data (pid ${pid}, ${seconds(t0)})`);
    }
    const statuses = await this.status(ctx);
    return statuses.find((s) => s.service === 'kafka') as ServiceStatus;
  },
};

/** Installs moto on first use and starts it; a process of ours that stopped answering is replaced. */
async function bringUpMoto({ paths, cfg, onProgress }: BackendContext, stuckPid: number | undefined): Promise<void> {
  if (stuckPid !== undefined) await stopProcess(stuckPid, 5_000);
  await ensureMotoInstalled(paths, onProgress);
  const t0 = Date.now();
  const pid = await startMoto(paths);
  onProgress(`moto ${MOTO_VERSION} up on ${cfg.awsEndpoint} (pid ${pid}, ${seconds(t0)})`);
}

/** Starts the broker on a fresh data dir (fetching its jars on first use). */
async function bringUpKafka({ paths, cfg, onProgress }: BackendContext, stuckPid: number | undefined): Promise<void> {
  if (stuckPid !== undefined) await stopKafkaBroker(paths);
  const t0 = Date.now();
  const pid = await startKafkaBroker(cfg, paths, { fresh: true, onProgress });
  onProgress(`Apache Kafka ${KAFKA_VERSION} (KRaft) up on ${cfg.kafkaBrokers.join(',')} (pid ${pid}, ${seconds(t0)})`);
}

interface Running {
  pid?: number;
  healthy: boolean;
}

/** Our process for a service (from its pid file) and whether it answers. */
async function runningHealthy(pid: Promise<number | undefined>, healthy: () => Promise<boolean>): Promise<Running> {
  const p = await pid;
  return p === undefined ? { healthy: false } : { pid: p, healthy: await healthy() };
}

async function reuse(name: string, pid: number | undefined, onProgress: (line: string) => void): Promise<void> {
  onProgress(`${name} already up (pid ${pid}); reusing it`);
}

function service(name: string, r: Running, endpoint: string, port: number, logFile: string, detail: string): ServiceStatus {
  return {
    service: name,
    state: r.pid === undefined ? 'down' : 'up',
    healthy: r.healthy,
    endpoint,
    port,
    logFile,
    detail,
    ...(r.pid !== undefined ? { pid: r.pid } : {}),
  };
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}
