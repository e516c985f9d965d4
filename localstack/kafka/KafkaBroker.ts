import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import type { StackConfig } from '../config.ts';
import { isAlive, livePid, spawnDetached, stopProcess } from '../DetachedProcess.ts';
import { ServiceStartError } from '../errors.ts';
import { runLogged } from '../runLogged.ts';
import type { StackPaths } from '../StackPaths.ts';
import { checkJava } from '../toolchain.ts';
import { logTail, tcpAccepts, waitUntil } from '../waitUntil.ts';
import { ensureKafkaJars, KAFKA_VERSION } from './KafkaJars.ts';
import { readKafkaStorage } from './KafkaStorage.ts';
import { KAFKA_CLUSTER_ID, KAFKA_JVM_OPTS, renderLog4j2Properties, renderServerProperties } from './serverProperties.ts';
import { stackKafka, withAdmin } from './stackKafka.ts';

const HOST = '127.0.0.1';
const START_TIMEOUT_MS = 60_000;
/** A combined broker+controller shuts down in ~2 s; give it room before SIGKILL. */
const STOP_GRACE_MS = 20_000;

function propertiesFile(paths: StackPaths): string {
  return join(paths.run, 'server.properties');
}

/** Our broker's pid: its command line names our server.properties, so another JVM never matches. */
export function kafkaPid(paths: StackPaths): Promise<number | undefined> {
  return livePid(paths.pidFile('kafka'), propertiesFile(paths));
}

/** The broker answers metadata requests (kafkajs admin describeCluster). */
export async function kafkaHealthy(cfg: StackConfig): Promise<boolean> {
  const [host, port] = splitHostPort(cfg.kafkaBrokers[0] ?? '');
  if (cfg.kafkaAuth === 'plaintext' && !(await tcpAccepts(host, port))) return false;
  try {
    await withAdmin(stackKafka(cfg), (admin) => admin.describeCluster());
    return true;
  } catch {
    // Any failure to describe the cluster is the answer "not healthy"; callers report it as such.
    return false;
  }
}

export interface StartKafkaOptions {
  /**
   * Wipe and re-format the data dir (`stack reset`, `stack up --fresh`). False starts the broker on
   * the data it has (topics, records, committed offsets), formatting only a dir that never was.
   */
  fresh: boolean;
  onProgress: (line: string) => void;
}

export interface StartedBroker {
  pid: number;
  /** Storage was formatted by this start (new or wiped dir); false: the broker recovered its existing log. */
  formatted: boolean;
}

/**
 * Starts the KRaft broker detached: fetches jars on first use, formats storage only when the data
 * dir is new (or `fresh` wiped it), writes server.properties, then waits until clients can really
 * use it (see warmUp).
 */
export async function startKafkaBroker(cfg: StackConfig, paths: StackPaths, opts: StartKafkaOptions): Promise<StartedBroker> {
  const java = checkJava();
  const classpath = await ensureKafkaJars(paths, opts.onProgress);
  const logFile = paths.log('kafka');
  const props = propertiesFile(paths);
  const log4j = join(paths.run, 'kafka-log4j2.properties');
  if (opts.fresh) {
    await rm(paths.kafkaData, { recursive: true, force: true });
    await mkdir(paths.logs, { recursive: true });
    await writeFile(logFile, '');
  }
  await mkdir(paths.run, { recursive: true });
  await writeFile(
    props,
    renderServerProperties({
      host: HOST,
      brokerPort: portOf(cfg),
      controllerPort: cfg.kafkaControllerPort,
      dataDir: paths.kafkaData,
      partitions: cfg.topicPartitions,
    }),
  );
  await writeFile(log4j, renderLog4j2Properties());
  const storage = await readKafkaStorage(paths.kafkaData);
  if (storage.formatted && storage.clusterId !== KAFKA_CLUSTER_ID) {
    // The broker would refuse to start on it; say why here rather than as a timeout with a log tail.
    throw new ServiceStartError(
      `${paths.kafkaData} was formatted for Kafka cluster ${storage.clusterId ?? '(none)'}, not ours (${KAFKA_CLUSTER_ID}); run \`chargeback-cdc stack reset\` to re-format it (its records are dropped)`,
    );
  }
  if (!storage.formatted) {
    await runLogged(
      java,
      ['-cp', classpath, 'kafka.tools.StorageTool', 'format', '-t', KAFKA_CLUSTER_ID, '-c', props],
      logFile,
      (tail) => new ServiceStartError(`formatting Kafka storage in ${paths.kafkaData} failed; see ${logFile}: ${tail}`),
    );
  }
  const pid = await spawnDetached({
    command: java,
    args: [...KAFKA_JVM_OPTS, `-Dlog4j2.configurationFile=${log4j}`, '-cp', classpath, 'kafka.Kafka', props],
    logFile,
    pidFile: paths.pidFile('kafka'),
    appendLog: true,
  });
  const kafka = stackKafka(cfg);
  const ready = await waitUntil(async () => ((await kafkaHealthy(cfg)) && (await warmUp(kafka)) ? true : undefined), {
    timeoutMs: START_TIMEOUT_MS,
    intervalMs: 250,
    abortIf: () => (isAlive(pid) ? undefined : 'the broker process exited'),
  });
  if (!ready.ok) {
    await stopProcess(pid, 2_000);
    throw new ServiceStartError(
      `Apache Kafka ${KAFKA_VERSION} did not start on ${cfg.kafkaBrokers[0]}: ${ready.reason}; see ${logFile}:\n${await logTail(logFile)}`,
    );
  }
  return { pid, formatted: !storage.formatted };
}

/**
 * The group and transaction coordinators load their internal topics on first use; until then
 * kafkajs consumers crash-and-restart and idempotent producers fail InitProducerId with
 * "coordinator is loading". Touching both here means "up" means usable by the pipeline.
 */
async function warmUp(kafka: Kafka): Promise<boolean> {
  await withAdmin(kafka, (admin) => admin.describeGroups(['chargeback-cdc-warmup']));
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect(); // an idempotent producer asks for its producer id while connecting
  await producer.disconnect();
  return true;
}

export async function stopKafkaBroker(paths: StackPaths): Promise<void> {
  const pid = await kafkaPid(paths);
  if (pid !== undefined) await stopProcess(pid, STOP_GRACE_MS);
  await rm(paths.pidFile('kafka'), { force: true });
}

function portOf(cfg: StackConfig): number {
  return splitHostPort(cfg.kafkaBrokers[0] ?? '')[1];
}

export function splitHostPort(hostPort: string): [string, number] {
  const i = hostPort.lastIndexOf(':');
  return [hostPort.slice(0, i), Number(hostPort.slice(i + 1))];
}
