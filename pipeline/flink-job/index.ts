import { spawn } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
  type WriteStream,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Launcher of the Flink writer (pipeline/flink-job, Java) as a local MiniCluster process, so that
 * `chargeback-cdc run writer --engine flink` can start, watch and stop it like the embedded writer.
 * The job itself is documented in README.md beside this file.
 */

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** Printed on stdout by the job once it is RUNNING (LocalRun.UP_LINE in the Java code). */
export const FLINK_UP_LINE = 'chargeback-flink-job: up';

export interface FlinkWriterOptions {
  /** Kafka bootstrap servers, e.g. ['127.0.0.1:9092']. */
  brokers: string[];
  /** Landing bucket; part files go to s3://<bucket>/landing/chargebacks/YYYY-MM-DD/HH/. */
  bucket: string;
  /** S3 endpoint for moto/LocalStack (path-style addressing is then used); omit for AWS S3. */
  s3Endpoint?: string;
  /** Checkpoint interval = rollover interval of the Parquet part files. */
  checkpointIntervalMs: number;
  /** Kafka consumer group (default flink-parquet-writer). */
  groupId?: string;
  /** Append the job's stdout and stderr here instead of this process's stdout/stderr. */
  logFile?: string;
  /** Retain checkpoints here and resume from the newest on the next start (exactly once across restarts). */
  stateDir?: string;
  /** Source topic (default chargebacks) and dead-letter topic (default chargebacks-dlq). */
  topic?: string;
  dlqTopic?: string;
  /** How long to wait for the job to report RUNNING (default 180 s). */
  startTimeoutMs?: number;
}

export interface FlinkWriterHandle {
  pid: number;
  /** SIGTERM: the job stops with a savepoint, committing its last part files; SIGKILL after 90 s. */
  stop(): Promise<void>;
  /** Exit code of the JVM (143 after a SIGTERM stop), or null when killed by a signal. */
  exited: Promise<number | null>;
}

/**
 * Path of the deployable shaded JAR (built by build.sh).
 *
 * @example
 * const jar = flinkJarPath(); // …/pipeline/flink-job/target/chargeback-flink-job.jar
 */
export function flinkJarPath(): string {
  return path.join(HERE, 'target', 'chargeback-flink-job.jar');
}

/**
 * Builds the JAR with Maven (offline first) unless it is newer than every source, the pom and the schema.
 *
 * @example
 * await ensureFlinkJarBuilt();
 */
export async function ensureFlinkJarBuilt(): Promise<string> {
  const jar = flinkJarPath();
  if (!isBuildCurrent(jar)) {
    const { code, output } = await runCaptured('bash', [path.join(HERE, 'build.sh')]);
    if (code !== 0) {
      throw new Error(
        `building the Flink job failed (exit ${code}); run pipeline/flink-job/build.sh to see why:\n${output.slice(-4000)}`,
      );
    }
  }
  return jar;
}

/**
 * Starts the Flink job in a local MiniCluster and resolves once it is RUNNING.
 *
 * @example
 * const writer = await startFlinkWriter({ brokers: ['127.0.0.1:9092'], bucket: 'chargeback-cdc-landing',
 *   s3Endpoint: 'http://127.0.0.1:4566', checkpointIntervalMs: 60_000 });
 * // …
 * await writer.stop();
 */
export async function startFlinkWriter(opts: FlinkWriterOptions): Promise<FlinkWriterHandle> {
  await ensureFlinkJarBuilt();
  const configDir = mkdtempSync(path.join(tmpdir(), 'chargeback-flink-'));
  const configFile = writePropertyGroups(opts, configDir);
  const child = spawn('bash', [path.join(HERE, 'run-local.sh'), '--config', configFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: withoutRunLocalOverrides(process.env),
  });
  if (child.pid === undefined) throw new Error('could not start pipeline/flink-job/run-local.sh');
  const pid = child.pid;

  let log: WriteStream | undefined;
  if (opts.logFile) log = createWriteStream(opts.logFile, { flags: 'a' });
  child.stderr.on('data', (chunk: Buffer) => (log ? log.write(chunk) : process.stderr.write(chunk)));

  const exited = new Promise<number | null>((resolve) => {
    child.on('error', (e) => {
      (log ?? process.stderr).write(`chargeback-flink-job launcher: ${e.message}\n`);
    });
    child.on('exit', (code) => {
      log?.end();
      rmSync(configDir, { recursive: true, force: true });
      resolve(code);
    });
  });

  const up = new Promise<void>((resolve, reject) => {
    let pending = '';
    let isUp = false;
    const timeoutMs = opts.startTimeoutMs ?? 180_000;
    const timer = setTimeout(() => {
      if (isUp) return;
      child.kill('SIGKILL');
      reject(
        new Error(`the Flink job did not report RUNNING within ${timeoutMs} ms${opts.logFile ? `; see ${opts.logFile}` : ''}`),
      );
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      if (log) log.write(chunk);
      else process.stdout.write(chunk);
      if (isUp) return;
      pending += chunk.toString('utf8');
      if (pending.split('\n').some((line) => line.startsWith(FLINK_UP_LINE))) {
        isUp = true;
        clearTimeout(timer);
        resolve();
      }
      pending = pending.slice(-4096);
    });
    void exited.then((code) => {
      if (isUp) return;
      clearTimeout(timer);
      reject(
        new Error(`the Flink job exited (code ${code}) before it was RUNNING${opts.logFile ? `; see ${opts.logFile}` : ''}`),
      );
    });
  });
  await up;

  return {
    pid,
    exited,
    async stop(): Promise<void> {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 90_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/**
 * run-local.sh lets these variables override the config file; the options given here are
 * explicit, so the caller's environment (e.g. LANDING_BUCKET of the local stack) must not win.
 */
const RUN_LOCAL_OVERRIDES = [
  'KAFKA_BROKERS',
  'LANDING_BUCKET',
  'S3_ENDPOINT',
  'CHECKPOINT_INTERVAL_MS',
  'GROUP_ID',
  'FLINK_STATE_DIR',
];

function withoutRunLocalOverrides(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !RUN_LOCAL_OVERRIDES.includes(k)));
}

/** The job's property groups (the Managed Flink format), written to a private temp file for --config. */
function writePropertyGroups(opts: FlinkWriterOptions, dir: string): string {
  const map: Record<string, string> = {
    'bootstrap.servers': opts.brokers.join(','),
    bucket: opts.bucket,
    'checkpoint.interval.ms': String(opts.checkpointIntervalMs),
    auth: 'plaintext',
  };
  if (opts.groupId) map['group.id'] = opts.groupId;
  if (opts.topic) map.topic = opts.topic;
  if (opts.dlqTopic) map['dlq.topic'] = opts.dlqTopic;
  if (opts.stateDir) map['local.state.dir'] = opts.stateDir;
  if (opts.s3Endpoint) {
    map['s3.endpoint'] = opts.s3Endpoint;
    map['s3.path.style'] = 'true';
  }
  const file = path.join(dir, 'application-properties.json');
  writeFileSync(file, JSON.stringify([{ PropertyGroupId: 'ChargebackCdc', PropertyMap: map }], null, 2), { mode: 0o600 });
  return file;
}

function isBuildCurrent(jar: string): boolean {
  const needed = [jar, path.join(HERE, 'target', 'provided-classpath.txt')];
  if (!needed.every((p) => existsSync(p))) return false;
  const built = statSync(jar).mtimeMs;
  const sources = [
    path.join(HERE, 'pom.xml'),
    path.join(HERE, '..', 'schema', 'chargeback-change.avsc'),
    ...filesUnder(path.join(HERE, 'src', 'main')),
  ];
  return sources.every((f) => statSync(f).mtimeMs <= built);
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)],
  );
}

function runCaptured(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
  });
}
