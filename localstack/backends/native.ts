import { rm } from 'node:fs/promises';
import { LocalPorts } from '../config.ts';
import { stopProcess } from '../DetachedProcess.ts';
import { StackStateMismatchError } from '../errors.ts';
import { kafkaHealthy, kafkaPid, startKafkaBroker, stopKafkaBroker } from '../kafka/KafkaBroker.ts';
import { KAFKA_VERSION } from '../kafka/KafkaJars.ts';
import { describeTopicsWithRecords, readKafkaStorage } from '../kafka/KafkaStorage.ts';
import { stackKafka, withAdmin } from '../kafka/stackKafka.ts';
import { describeEndOffsets } from '../kafka/topics.ts';
import { ensureMotoInstalled, MOTO_VERSION } from '../moto/MotoInstaller.ts';
import { motoHealthy, motoPid, resetMoto, startMoto, stopMoto } from '../moto/MotoServer.ts';
import { USE_EXTERNAL_HINT } from '../portHolder.ts';
import { preflightPorts } from '../preflightPorts.ts';
import { settleAll } from '../settleAll.ts';
import { checkJava, checkPython } from '../toolchain.ts';
import type { BackendContext, ServiceStatus, StackBackend } from './StackBackend.ts';

/**
 * moto server (in a project-managed venv) on 4566 and an Apache Kafka KRaft broker on 9092, both
 * detached child processes with pid files in run/ and logs in logs/.
 *
 * The two halves hold state that only makes sense together: the topic's records and the writer
 * group's offsets live in Kafka's log dir (on disk), while the table, its stream and the landing
 * zone with the writer's committed progress live in moto (in memory only). So:
 * - a broker that died while moto lives is started again on its log dir (never re-formatted);
 * - moto that must start empty beside a log dir holding records is refused (StackStateMismatchError);
 * - `stack down` stops both, so it discards the log dir with moto's state and says so;
 * - `fresh` (`stack reset`, `stack up --fresh`) empties both on purpose and says what it dropped.
 */
export const nativeBackend: StackBackend = {
  name: 'native',

  async up(ctx, opts = {}) {
    const { paths, onProgress } = ctx;
    const fresh = opts.fresh === true;
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
    const storage = await readKafkaStorage(paths.kafkaData);
    if (fresh) {
      onProgress(
        `stack reset: re-formatting Kafka storage in ${paths.kafkaData} (${storage.topicsWithRecords.length > 0 ? `dropping ${describeTopicsWithRecords(storage)}` : 'it holds no records'}) and starting moto empty`,
      );
    } else if (!motoNow.healthy && storage.topicsWithRecords.length > 0) {
      throw new StackStateMismatchError(
        `moto is ${motoNow.pid === undefined ? 'not running' : `not answering (pid ${motoNow.pid})`}, and it keeps DynamoDB, the stream, SQS and S3 (the landing zone and the writer's committed progress) in memory only, so it would start empty; but Kafka's log dir ${paths.kafkaData} still holds records of ${describeTopicsWithRecords(storage)}. Starting the two out of step would leave the topic ahead of the table and the landing zone, so nothing was started. Run \`chargeback-cdc stack reset\` to start both empty (those records are dropped).`,
      );
    }
    const started: Array<() => Promise<void>> = [];
    try {
      await settleAll([
        motoNow.healthy
          ? fresh
            ? clearMoto(ctx)
            : reuse('moto', motoNow.pid, onProgress)
          : bringUpMoto(ctx, motoNow.pid).then(() => void started.push(() => stopMoto(paths))),
        kafkaNow.healthy && !fresh
          ? reuse('Kafka', kafkaNow.pid, onProgress)
          : bringUpKafka(ctx, kafkaNow.pid, fresh).then(() => void started.push(() => stopKafkaBroker(paths))),
      ] as const);
    } catch (e) {
      // Leave nothing half-up: stop what this call started, keep what it reused, report the cause.
      await settleAll(started.map((stop) => stop()));
      throw e;
    }
    return { services: await this.status(ctx), reused: motoNow.healthy && kafkaNow.healthy && !fresh };
  },

  async down({ paths, onProgress }) {
    await settleAll([stopMoto(paths), stopKafkaBroker(paths)] as const);
    // moto's state just went; a log dir kept without it would be refused by the next `up`.
    const storage = await readKafkaStorage(paths.kafkaData);
    await rm(paths.kafkaData, { recursive: true, force: true });
    onProgress(
      `native stack stopped (moto, Kafka); Kafka's data${storage.topicsWithRecords.length > 0 ? ` (${describeTopicsWithRecords(storage)})` : ''} discarded with moto's in-memory state, so the next \`stack up\` starts both empty`,
    );
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
    const { paths, cfg } = ctx;
    const now = await runningHealthy(kafkaPid(paths), () => kafkaHealthy(cfg));
    if (!now.healthy) {
      await preflightPorts([
        { port: LocalPorts.kafka, service: 'Kafka', ours: now.pid },
        { port: cfg.kafkaControllerPort, service: 'Kafka controller', ours: now.pid },
      ]);
      await bringUpKafka(ctx, now.pid, false);
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

/** `fresh` on a moto that is up: one reset call empties every backend, as a restart would. */
async function clearMoto({ cfg, onProgress }: BackendContext): Promise<void> {
  await resetMoto(cfg.awsEndpoint);
  onProgress(`moto state cleared on ${cfg.awsEndpoint}`);
}

/**
 * Starts the broker (replacing a process of ours that stopped answering): on its existing log
 * dir, or on a wiped one when `fresh`; a dir that was never formatted is formatted either way.
 */
async function bringUpKafka(ctx: BackendContext, stuckPid: number | undefined, fresh: boolean): Promise<void> {
  const { paths, cfg, onProgress } = ctx;
  if (stuckPid !== undefined) await stopKafkaBroker(paths);
  const t0 = Date.now();
  const { pid, formatted } = await startKafkaBroker(cfg, paths, { fresh, onProgress });
  const where = `${cfg.kafkaBrokers.join(',')} (pid ${pid}, ${seconds(t0)})`;
  if (formatted) {
    onProgress(`Apache Kafka ${KAFKA_VERSION} (KRaft) up on ${where}, storage formatted in ${paths.kafkaData}`);
  } else {
    const offsets = await withAdmin(stackKafka(cfg), (admin) => describeEndOffsets(admin, [cfg.names.topic, cfg.names.dlqTopic]));
    onProgress(`Kafka broker restarted on its existing data in ${paths.kafkaData} (end offsets: ${offsets}) on ${where}`);
  }
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
