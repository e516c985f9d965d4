import { createKafka } from '../kafka/index.ts';
import { LandingStore, s3ClientFor } from '../parquet-writer/index.ts';
import { CdcError } from '../errors/index.ts';
import { type CloserConfig, resolveCloserConfig } from './CloserConfig.ts';
import type { CloserEvent } from './CloserEvent.ts';
import { HourCloser, type PassResult } from './HourCloser.ts';
import { s3OpenUploads } from './openUploads.ts';
import { kafkaTopicProgress } from './TopicProgress.ts';

export interface RunningHourCloser {
  /** One pass now (what `close-hours` runs), outside the poll loop. */
  closeReadyHours(): Promise<PassResult>;
  /** Stops polling (a pass in flight finishes its current S3 call first), then disconnects. */
  stop(): Promise<void>;
  /** Settles when stopped; rejects when a pass failed in a way the next poll cannot fix. */
  done: Promise<void>;
}

/**
 * Connects to Kafka and S3 and, unless `poll` is false, runs a pass every `pollMs`. Retryable
 * failures (Kafka or S3 away) and an hour with an unreadable file are reported as `pass-failed`
 * and tried again on the next poll; anything else (a corrupt state object, a programming error)
 * ends the closer.
 */
export async function startHourCloser(config: CloserConfig = {}, opts: { poll?: boolean } = {}): Promise<RunningHourCloser> {
  const c = resolveCloserConfig(config);
  const emit = (e: CloserEvent) => c.onEvent?.(e);
  const abort = new AbortController();
  const s3 = s3ClientFor(c.s3);
  const store = new LandingStore(s3, { bucket: c.bucket, signal: abort.signal });
  const admin = createKafka({ clientId: 'hour-closer', brokers: c.brokers, auth: c.kafkaAuth, region: c.region }).admin();
  await admin.connect();
  const closer = new HourCloser({
    store,
    progress: kafkaTopicProgress(admin, c.topic, c.groupId),
    openUploads: s3OpenUploads(s3, c.bucket),
    prefix: c.prefix,
    stateKey: c.stateKey,
    graceMs: c.graceMs,
    now: c.now,
    emit,
  });

  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  let settle!: { resolve: () => void; reject: (e: unknown) => void };
  const done = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  let stopped = false;
  const release = async () => {
    clearTimeout(timer);
    abort.abort();
    await admin.disconnect().catch(() => undefined);
    s3.destroy();
  };
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    clearTimeout(timer);
    abort.abort();
    await inFlight;
    await release();
    settle.resolve();
  };
  const fail = (e: unknown) => {
    if (stopped) return;
    const err = e instanceof CdcError ? e : undefined;
    const retry = err?.canRetry === true || err?.code === 'HC_UNREADABLE_HOUR';
    emit({ type: 'pass-failed', error: (e as Error).message, code: err?.code ?? 'UNEXPECTED', canRetry: retry });
    if (retry) return;
    stopped = true;
    settle.reject(e);
    void release();
  };
  const tick = () => {
    inFlight = closer.closeReadyHours().then(() => undefined, fail);
    void inFlight.then(() => {
      if (!stopped) timer = setTimeout(tick, c.pollMs);
    });
  };
  if (opts.poll !== false) tick();
  return { closeReadyHours: () => closer.closeReadyHours(), stop, done };
}
