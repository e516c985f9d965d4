import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { awsClientConfigFromEnv } from '../aws/index.ts';
import { NAMESPACE } from '../metrics/index.ts';
import { DEFAULT_LANDING_PREFIX, LandingStore, type ObjectStore, s3ClientFor } from '../parquet-writer/index.ts';
import {
  CSV_MODES,
  ConsolidationConfigError,
  CsvMode,
  consolidateDay,
  DAY_MANIFEST_NAME,
  DayIncompleteError,
  DEFAULT_CONSOLIDATED_PREFIX,
  DEFAULT_TARGET_BYTES,
  parseDayManifest,
  StorageUnavailableError,
} from './index.ts';

/**
 * The daily consolidation as a Lambda function invoked by EventBridge Scheduler (infra/constructs/
 * ConsolidationJob.ts): `handler` consolidates a day, `checkHandler` judges at the deadline
 * whether the day is consolidated. Both publish `DayNotConsolidated` (0 or 1) for "yesterday"
 * once its deadline has passed; the alarm of the monitoring stack watches it.
 */

export const CONSOLIDATION_SERVICE = 'chargeback-consolidation';
/** 1 when yesterday's day is not consolidated (no day manifest, or one written while hours were open) at or after its deadline. */
export const DAY_NOT_CONSOLIDATED_METRIC = 'DayNotConsolidated';
/** Hour (UTC) of the day after a day by which it should be consolidated, unless CONSOLIDATION_DEADLINE_HOUR says otherwise. */
export const DEFAULT_DEADLINE_HOUR = 6;
/** About 25 s of backoff in all, as the CLI: the next scheduled run (or Lambda's retry) tries again. */
const MAX_STORAGE_ATTEMPTS = 8;

/**
 * What the schedules send: `scheduledTime` is EventBridge Scheduler's `<aws.scheduler.scheduled-time>`
 * (the time the run was due, not when it started: a retried or throttled invocation still
 * targets the day it was scheduled for). `day` (YYYY-MM-DD) overrides "yesterday of scheduledTime".
 */
export interface ScheduledConsolidationEvent {
  scheduledTime?: string;
  day?: string;
}

export type ScheduledConsolidationResult =
  | {
      status: 'consolidated' | 'up-to-date';
      day: string;
      manifestKey: string;
      rows: number;
      outputs: number;
      deleted: number;
    }
  | { status: 'refused'; day: string; missingHours: string[]; message: string };

export interface DayCheckResult {
  day: string;
  consolidated: boolean;
  /** ISO time by which the day should have been consolidated. */
  deadline: string;
  /** Whether this invocation published DayNotConsolidated (only for yesterday, at or after its deadline). */
  judged: boolean;
}

export interface ScheduledConsolidationConfig {
  landingPrefix: string;
  consolidatedPrefix: string;
  targetBytes: number;
  /** What the day's CSV holds (CONSOLIDATION_CSV, as the CLI reads it). */
  csv: CsvMode;
  deadlineHour: number;
}

/** What the handler needs from Powertools Metrics (a subset, so tests can record what is published). */
export interface DayMetrics {
  addMetric(name: string, unit: typeof MetricUnit.Count, value: number): void;
  addMetadata(key: string, value: string): void;
  publishStoredMetrics(): void;
}

export interface ScheduledConsolidationPorts {
  store: ObjectStore;
  config: ScheduledConsolidationConfig;
  metrics: DayMetrics;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** The clock, for invocations without a scheduledTime (by hand). */
  now?: () => Date;
}

const DAY_RE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** Config from the environment, as `chargeback-cdc consolidate` reads it (target size here in bytes only). */
export function scheduledConsolidationConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ScheduledConsolidationConfig {
  const problems: string[] = [];
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (!raw) return fallback;
    const n = Number(raw);
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
      return fallback;
    }
    return n;
  };
  const csvRaw = env.CONSOLIDATION_CSV || CsvMode.CHANGES;
  const csv = (CSV_MODES as readonly string[]).includes(csvRaw) ? (csvRaw as CsvMode) : CsvMode.CHANGES;
  if (csv !== csvRaw) problems.push(`CONSOLIDATION_CSV must be one of ${CSV_MODES.join(', ')}, got ${JSON.stringify(csvRaw)}`);
  const config = {
    landingPrefix: env.LANDING_PREFIX || DEFAULT_LANDING_PREFIX,
    consolidatedPrefix: env.CONSOLIDATED_PREFIX || DEFAULT_CONSOLIDATED_PREFIX,
    targetBytes: int('CONSOLIDATION_TARGET_BYTES', DEFAULT_TARGET_BYTES, 1, Number.MAX_SAFE_INTEGER),
    csv,
    deadlineHour: int('CONSOLIDATION_DEADLINE_HOUR', DEFAULT_DEADLINE_HOUR, 0, 23),
  };
  if (problems.length) throw new ConsolidationConfigError(problems.join('; '));
  return config;
}

/** The UTC day before `t`, YYYY-MM-DD. */
export function dayBefore(t: Date): string {
  return new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate() - 1)).toISOString().slice(0, 10);
}

/** When `day` should be consolidated by: `deadlineHour`:00 UTC of the next day. */
export function deadlineOf(day: string, deadlineHour: number): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1, deadlineHour));
}

/** The day an invocation is about, and the time it judges by (scheduledTime, else the clock). */
export function targetOf(event: ScheduledConsolidationEvent, now: () => Date): { day: string; at: Date; explicit: boolean } {
  const problems: string[] = [];
  let at = now();
  if (event.scheduledTime !== undefined) {
    const t = new Date(event.scheduledTime);
    if (Number.isNaN(t.getTime()))
      problems.push(`scheduledTime must be an ISO 8601 time, got ${JSON.stringify(event.scheduledTime)}`);
    else at = t;
  }
  if (event.day !== undefined && !(typeof event.day === 'string' && DAY_RE.test(event.day)))
    problems.push(`day must be a UTC day YYYY-MM-DD, got ${JSON.stringify(event.day)}`);
  if (problems.length) throw new ConsolidationConfigError(`invalid consolidation event: ${problems.join('; ')}`);
  return { day: event.day ?? dayBefore(at), at, explicit: event.day !== undefined };
}

/**
 * The alarm is about one day only, yesterday: an invocation judges it (publishes DayNotConsolidated)
 * when its day is the day before its time and that time is at or after the deadline. A run for an
 * older day, or any run before the deadline (the hours of yesterday may still be closing), says nothing.
 */
function judges(day: string, at: Date, deadlineHour: number): boolean {
  return day === dayBefore(at) && at.getTime() >= deadlineOf(day, deadlineHour).getTime();
}

/**
 * The two scheduled entry points over the given ports.
 *
 * @example
 * const job = createScheduledConsolidation({ store, config, metrics, logger });
 * await job.consolidate({ scheduledTime: '2026-02-01T01:15:00Z' }); // day 2026-01-31
 */
export function createScheduledConsolidation(ports: ScheduledConsolidationPorts) {
  const { store, config, metrics, logger } = ports;
  const now = ports.now ?? (() => new Date());

  function publish(day: string, at: Date, consolidated: boolean | undefined): boolean {
    const judged = consolidated !== undefined && judges(day, at, config.deadlineHour);
    if (judged) {
      metrics.addMetadata('day', day);
      metrics.addMetric(DAY_NOT_CONSOLIDATED_METRIC, MetricUnit.Count, consolidated ? 0 : 1);
    }
    metrics.publishStoredMetrics();
    return judged;
  }

  return {
    /**
     * Consolidates the target day. Hours still open are an answer, not a failure: the result says
     * "refused" with the hours, and the next hourly run tries again (a thrown error would make
     * Lambda retry a run that cannot succeed yet). Any other error is thrown: Lambda retries the
     * invocation, then hands the event to the dead-letter queue.
     */
    async consolidate(event: ScheduledConsolidationEvent = {}): Promise<ScheduledConsolidationResult> {
      const { day, at } = targetOf(event, now);
      // undefined: the run failed, so it cannot tell; the check at the deadline still will.
      let consolidated: boolean | undefined;
      try {
        const r = await consolidateDay({
          store,
          day,
          targetBytes: config.targetBytes,
          csv: config.csv,
          landingPrefix: config.landingPrefix,
          consolidatedPrefix: config.consolidatedPrefix,
        });
        consolidated = r.manifest.complete;
        const result = {
          status: r.status,
          day,
          manifestKey: r.manifestKey,
          rows: r.manifest.rows,
          outputs: r.manifest.outputs.length,
          deleted: r.deleted.length,
        };
        logger.info(`day ${day} ${r.status}`, { ...result, csv: r.manifest.csv.key, currencies: r.manifest.currencies });
        return result;
      } catch (e) {
        if (!(e instanceof DayIncompleteError)) {
          logger.error(`consolidation of day ${day} failed`, { day, error: e as Error });
          throw e;
        }
        consolidated = false;
        const message = `refused, hours open: ${e.missingHours.join(', ')}`;
        logger.warn(`day ${day} ${message}`, { day, missingHours: e.missingHours });
        return { status: 'refused', day, missingHours: [...e.missingHours], message };
      } finally {
        publish(day, at, consolidated);
      }
    },

    /**
     * Reads the day's manifest only (no rows): consolidated means a manifest written with all 24
     * hours complete. Runs at the deadline on its own small function, so it answers even when a
     * consolidation run is still busy or keeps failing.
     */
    async check(event: ScheduledConsolidationEvent = {}): Promise<DayCheckResult> {
      const { day, at } = targetOf(event, now);
      const deadline = deadlineOf(day, config.deadlineHour).toISOString();
      const key = `${config.consolidatedPrefix}${day}/${DAY_MANIFEST_NAME}`;
      const got = await store.getObject(key);
      const manifest = got && parseDayManifest(got.body);
      const consolidated = manifest?.complete === true;
      const judged = publish(day, at, consolidated);
      const detail = { day, deadline, manifestKey: key, judged };
      if (consolidated) logger.info(`day ${day} is consolidated`, detail);
      else
        logger.warn(
          `day ${day} is not consolidated (${manifest ? 'its manifest was written while hours were open' : 'no day manifest'}); deadline ${deadline}`,
          detail,
        );
      return { day, consolidated, deadline, judged };
    },
  };
}

/** The real ports: the landing bucket of LANDING_BUCKET (required), Powertools Logger and Metrics (EMF). */
export function portsFromEnv(env: NodeJS.ProcessEnv = process.env): ScheduledConsolidationPorts {
  const bucket = env.LANDING_BUCKET;
  if (!bucket) throw new ConsolidationConfigError('LANDING_BUCKET is not set: the consolidation needs the landing bucket name');
  const logger = new Logger({ serviceName: CONSOLIDATION_SERVICE });
  const store = new LandingStore(s3ClientFor(awsClientConfigFromEnv(env)), {
    bucket,
    // The store retries transient errors forever (right for the writer); a scheduled run gives up
    // after a while and leaves it to Lambda's retry and the next hourly run.
    onRetry: (i) => {
      if (i.attempt >= MAX_STORAGE_ATTEMPTS)
        throw new StorageUnavailableError(`${i.error.message} (gave up after ${i.attempt} attempts)`, { cause: i.error });
      logger.warn(`${i.operation} failed (attempt ${i.attempt}), retrying in ${i.delayMs} ms`, { error: i.error.message });
    },
  });
  const metrics = new Metrics({ namespace: NAMESPACE, serviceName: CONSOLIDATION_SERVICE });
  return { store, config: scheduledConsolidationConfigFromEnv(env), metrics, logger };
}

let job: ReturnType<typeof createScheduledConsolidation> | undefined;

/** Lambda entry point of the consolidation function (the hourly schedule). */
export async function handler(event: ScheduledConsolidationEvent): Promise<ScheduledConsolidationResult> {
  job ??= createScheduledConsolidation(portsFromEnv());
  return job.consolidate(event);
}

/** Lambda entry point of the check function (the schedule at the deadline hour). */
export async function checkHandler(event: ScheduledConsolidationEvent): Promise<DayCheckResult> {
  job ??= createScheduledConsolidation(portsFromEnv());
  return job.check(event);
}
