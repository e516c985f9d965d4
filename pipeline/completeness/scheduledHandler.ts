import { Logger } from '@aws-lambda-powertools/logger';
import { createKafka } from '../kafka/index.ts';
import { LandingStore, s3ClientFor } from '../parquet-writer/index.ts';
import type { RetryInfo } from '../parquet-writer/retryForever.ts';
import { closerConfigFromEnv, type ResolvedCloserConfig, resolveCloserConfig } from './CloserConfig.ts';
import { type CloserEvent, describeCloserEvent } from './CloserEvent.ts';
import { CompletenessError, ProgressUnavailableError } from './errors.ts';
import { HourCloser, type PassResult } from './HourCloser.ts';
import type { HourId } from './hours.ts';
import { s3OpenUploads } from './openUploads.ts';
import { kafkaTopicProgress } from './TopicProgress.ts';

/**
 * The hour closer as a Lambda function invoked by EventBridge Scheduler every few minutes
 * (infra/constructs/HourCloser.ts): each invocation is one pass — what `chargeback-cdc close-hours`
 * does — then returns. The config is the closer's own (CloserConfig, from the same environment as
 * `run closer`); in AWS WRITER_GROUP_ID is the Flink job's group, the writer whose commits count.
 */

export const HOUR_CLOSER_SERVICE = 'chargeback-hour-closer';
/** About 25 s of backoff in all, as the consolidation: the next scheduled pass (or Lambda's retry) tries again. */
export const MAX_STORAGE_ATTEMPTS = 8;

/** S3 kept failing with errors that are usually transient; this pass gives up and the next one retries. */
export class CloserStorageUnavailableError extends CompletenessError {
  static override readonly code = 'HC_STORAGE_UNAVAILABLE';
  override readonly canRetry = true;
}

/** What the schedule sends: Scheduler's `<aws.scheduler.scheduled-time>`, only logged (the hours are judged by the clock). */
export interface ScheduledCloserEvent {
  scheduledTime?: string;
}

export interface ScheduledCloserResult extends PassResult {
  /** Hours whose marker this pass put. */
  written: HourId[];
  /** Hours whose marker was already there with the same bytes (a pass that crashed after its put). */
  alreadyClosed: HourId[];
  /** Hours whose marker was already there with other bytes (left alone; run chargeback-cdc reconcile). */
  differing: HourId[];
  scheduledTime: string | null;
}

/** What one pass holds open: the closer over connected clients, and how to let them go. */
export interface CloserSession {
  closer: Pick<HourCloser, 'closeReadyHours'>;
  release(): Promise<void>;
}

export interface ScheduledCloserPorts {
  /** Connects what a pass needs, with the closer's events sent to `emit`. */
  open(emit: (e: CloserEvent) => void): Promise<CloserSession>;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
}

/** Why `next` is not closed, in the words `close-hours` prints. */
const WAITING_FOR: Record<PassResult['waitingFor'], string> = {
  'hour-end': 'the hour to end (+ grace)',
  progress: 'the writers to commit past the snapshot',
  uploads: 'open multipart uploads',
};

/**
 * One pass per call over the given ports. Errors are logged and thrown: Lambda retries the
 * asynchronous invocation, then hands the event to the dead-letter queue; the next scheduled pass
 * starts from the state object either way.
 *
 * @example
 * const pass = createScheduledCloser({ open, logger });
 * const r = await pass({ scheduledTime: '2026-02-01T00:05:00Z' }); // { closed: ['2026-01-31/23'], next: '2026-02-01/00', … }
 */
export function createScheduledCloser(ports: ScheduledCloserPorts) {
  const { logger } = ports;
  return async function closePass(event: ScheduledCloserEvent = {}): Promise<ScheduledCloserResult> {
    const markers = { written: [] as HourId[], alreadyClosed: [] as HourId[], differing: [] as HourId[] };
    const emit = (e: CloserEvent) => {
      if (e.type === 'marker-written') markers.written.push(e.hour);
      else if (e.type === 'marker-exists') markers.alreadyClosed.push(e.hour);
      else if (e.type === 'marker-differs') markers.differing.push(e.hour);
      const level = e.type === 'marker-differs' ? 'warn' : 'info';
      logger[level](describeCloserEvent(e), { closerEvent: e });
    };
    const scheduledTime = typeof event.scheduledTime === 'string' ? event.scheduledTime : null;
    let session: CloserSession | undefined;
    try {
      session = await ports.open(emit);
      const pass = await session.closer.closeReadyHours();
      const result: ScheduledCloserResult = { ...pass, ...markers, scheduledTime };
      logger.info(
        `${pass.closed.length ? `closed ${pass.closed.join(', ')}` : 'closed no hour'}; next ${pass.next} waits for ${WAITING_FOR[pass.waitingFor]}`,
        { ...result },
      );
      return result;
    } catch (e) {
      const err = e as Error & { code?: string; canRetry?: boolean };
      logger.error(`closing hours failed (${err.code ?? 'UNEXPECTED'}): ${err.message}`, {
        error: err,
        scheduledTime,
        closedBeforeFailure: markers,
      });
      throw e;
    } finally {
      await session?.release();
    }
  };
}

/**
 * The landing store's retry loop retries transient S3 errors forever (right for a long-running
 * writer); a pass gives up after `maxAttempts` and leaves it to the next one.
 */
export function giveUpAfter(maxAttempts: number, logger: Pick<Logger, 'warn'>): (info: RetryInfo) => void {
  return (i) => {
    if (i.attempt >= maxAttempts)
      throw new CloserStorageUnavailableError(`${i.error.message} (gave up after ${i.attempt} attempts)`, { cause: i.error });
    logger.warn(`${i.operation} failed (attempt ${i.attempt}), retrying in ${i.delayMs} ms`, { error: i.error.message });
  };
}

/**
 * The real ports: the closer's config from the environment (closerConfigFromEnv, validated by
 * resolveCloserConfig — a bad variable fails every invocation with the variable named), the
 * landing bucket through LandingStore, the writer group's progress from Kafka's admin API
 * (MSK IAM auth in AWS). Kafka is connected per pass and disconnected after it: a frozen Lambda
 * environment keeps no broker connection whose IAM session may have expired in between.
 */
export function portsFromEnv(env: NodeJS.ProcessEnv = process.env): ScheduledCloserPorts & { config: ResolvedCloserConfig } {
  const config = resolveCloserConfig(closerConfigFromEnv(env));
  const logger = new Logger({ serviceName: HOUR_CLOSER_SERVICE });
  const open = async (emit: (e: CloserEvent) => void): Promise<CloserSession> => {
    const s3 = s3ClientFor(config.s3);
    const store = new LandingStore(s3, { bucket: config.bucket, onRetry: giveUpAfter(MAX_STORAGE_ATTEMPTS, logger) });
    const admin = createKafka({
      clientId: 'hour-closer',
      brokers: config.brokers,
      auth: config.kafkaAuth,
      region: config.region,
    }).admin();
    try {
      await admin.connect();
    } catch (e) {
      s3.destroy();
      throw new ProgressUnavailableError(`connecting to Kafka (${config.brokers.join(',')}): ${(e as Error).message}`, {
        cause: e,
      });
    }
    const closer = new HourCloser({
      store,
      progress: kafkaTopicProgress(admin, config.topic, config.groupId),
      openUploads: s3OpenUploads(s3, config.bucket),
      prefix: config.prefix,
      stateKey: config.stateKey,
      graceMs: config.graceMs,
      now: config.now,
      emit,
    });
    return {
      closer,
      release: async () => {
        await admin.disconnect().catch(() => undefined);
        s3.destroy();
      },
    };
  };
  return { config, logger, open };
}

let closePass: ReturnType<typeof createScheduledCloser> | undefined;

/** Lambda entry point of the hour closer (the schedule every few minutes). */
export async function handler(event: ScheduledCloserEvent): Promise<ScheduledCloserResult> {
  closePass ??= createScheduledCloser(portsFromEnv());
  return closePass(event ?? {});
}
