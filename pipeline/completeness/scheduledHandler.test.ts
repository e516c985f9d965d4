import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeTopicProgress, landFile } from '../../fixtures/closerFakes.ts';
import { InMemoryObjectStore } from '../../fixtures/InMemoryObjectStore.ts';
import type { CloserEvent } from './CloserEvent.ts';
import { CloserConfigError, ProgressUnavailableError } from './errors.ts';
import { HourCloser } from './HourCloser.ts';
import {
  CloserStorageUnavailableError,
  createScheduledCloser,
  giveUpAfter,
  portsFromEnv,
  type ScheduledCloserPorts,
} from './scheduledHandler.ts';

const PREFIX = 'landing/chargebacks/';
const STATE = '_state/completeness/flink-parquet-writer/chargebacks/closer.json';
const GRACE = 30_000;
const H23_END = Date.UTC(2026, 1, 1, 0); // end of 2026-01-31/23

/** Log lines a test reads back, by level. */
function recordingLogger() {
  const lines: Array<{ level: 'info' | 'warn' | 'error'; message: string; extra: Record<string, unknown> }> = [];
  const at =
    (level: 'info' | 'warn' | 'error') =>
    (message: string, ...extra: unknown[]) =>
      lines.push({ level, message, extra: (extra[0] ?? {}) as Record<string, unknown> });
  return { lines, logger: { info: at('info'), warn: at('warn'), error: at('error') } as ScheduledCloserPorts['logger'] };
}

/** Ports over the module's fakes: each `open` is a fresh HourCloser (a new invocation), counting releases. */
function setup(nowMs: number) {
  const store = new InMemoryObjectStore();
  const progress = new FakeTopicProgress();
  progress.logEnds = new Map([
    [0, 5n],
    [1, 3n],
  ]);
  const { lines, logger } = recordingLogger();
  const counts = { opened: 0, released: 0 };
  const ports: ScheduledCloserPorts = {
    logger,
    open: async (emit: (e: CloserEvent) => void) => {
      counts.opened++;
      const closer = new HourCloser({
        store,
        progress,
        openUploads: async () => [],
        prefix: PREFIX,
        stateKey: STATE,
        graceMs: GRACE,
        now: () => nowMs,
        emit,
      });
      return { closer, release: async () => void counts.released++ };
    },
  };
  return { store, progress, lines, counts, pass: createScheduledCloser(ports) };
}

/** One part file in 2026-01-31/23, so a closer without state starts at that hour. */
const landOne = (store: InMemoryObjectStore) =>
  landFile(store, PREFIX, { hour: '2026-01-31/23', name: 'part-a.parquet', rows: [{ amount: '1', currency: 'EUR' }] });

describe('scheduled hour closer (Lambda)', () => {
  it('closes the ended hour in one pass, returns what it closed and what the next hour waits for, and logs both', async () => {
    const t = setup(H23_END + GRACE);
    await landFile(t.store, PREFIX, {
      hour: '2026-01-31/23',
      name: 'part-0-0000000000-0000000004.parquet',
      rows: [
        { amount: '99.99', currency: 'USD' },
        { amount: '0.01', currency: 'USD' },
      ],
    });
    t.progress.catchUp();

    const r = await t.pass({ scheduledTime: '2026-02-01T00:00:30Z' });

    assert.deepEqual(r, {
      closed: ['2026-01-31/23'],
      next: '2026-02-01/00',
      waitingFor: 'hour-end',
      written: ['2026-01-31/23'],
      alreadyClosed: [],
      differing: [],
      scheduledTime: '2026-02-01T00:00:30Z',
    });
    assert.ok(await t.store.getObject(`${PREFIX}2026-01-31/23/_manifest.json`), 'the marker is in the landing zone');
    assert.ok(
      t.lines.some(
        (l) => l.level === 'info' && /hour 2026-01-31\/23 complete: wrote .*2 row\(s\); USD: 2 row\(s\), sum 100/.test(l.message),
      ),
    );
    assert.equal(t.lines.at(-1)?.message, 'closed 2026-01-31/23; next 2026-02-01/00 waits for the hour to end (+ grace)');
    assert.deepEqual(t.counts, { opened: 1, released: 1 });
  });

  it('says what it waits for while the writer group is behind, and closes nothing', async () => {
    const t = setup(H23_END + GRACE);
    await landOne(t.store);
    t.progress.committedOffsets = new Map([
      [0, 5n],
      [1, 2n],
    ]);

    const r = await t.pass({});

    assert.equal(r.waitingFor, 'progress');
    assert.deepEqual(r.closed, []);
    assert.equal(r.scheduledTime, null);
    assert.ok(t.lines.some((l) => l.message.endsWith('wait for the writer group: partition 1 committed 2 of 3')));
    assert.equal(t.lines.at(-1)?.message, 'closed no hour; next 2026-01-31/23 waits for the writers to commit past the snapshot');
  });

  it('a later pass (a new invocation) continues from the state object and writes no marker twice', async () => {
    const t = setup(H23_END + GRACE);
    await landOne(t.store);
    t.progress.catchUp();
    const first = await t.pass({});
    const second = await t.pass({});
    assert.deepEqual(first.closed, ['2026-01-31/23']);
    assert.deepEqual(second.closed, []);
    assert.deepEqual(second.written, []);
    assert.equal(second.next, '2026-02-01/00');
    assert.deepEqual(t.counts, { opened: 2, released: 2 });
  });

  it('throws when the pass fails (so Lambda retries, then dead-letters), logs the error code, and still releases its clients', async () => {
    const t = setup(H23_END + GRACE);
    await landOne(t.store);
    t.progress.logEnd = async () => {
      throw new ProgressUnavailableError('reading the log end offsets of topic chargebacks from Kafka: broker gone');
    };
    await assert.rejects(t.pass({}), ProgressUnavailableError);
    const error = t.lines.find((l) => l.level === 'error');
    assert.match(error?.message ?? '', /^closing hours failed \(HC_PROGRESS_UNAVAILABLE\): reading the log end offsets/);
    assert.deepEqual(t.counts, { opened: 1, released: 1 });
  });

  it('gives S3 a bounded number of attempts, then fails the pass with HC_STORAGE_UNAVAILABLE', () => {
    const { lines, logger } = recordingLogger();
    const onRetry = giveUpAfter(3, logger);
    const error = new Error('SlowDown');
    onRetry({ operation: 'GetObject k', attempt: 1, delayMs: 100, error });
    onRetry({ operation: 'GetObject k', attempt: 2, delayMs: 200, error });
    assert.throws(
      () => onRetry({ operation: 'GetObject k', attempt: 3, delayMs: 400, error }),
      (e: Error) => e instanceof CloserStorageUnavailableError && e.message === 'SlowDown (gave up after 3 attempts)',
    );
    assert.deepEqual(
      lines.map((l) => l.level),
      ['warn', 'warn'],
    );
  });

  it('reads the closer config from the environment without connecting, and names a bad variable', () => {
    const env = {
      KAFKA_BROKERS: 'b-1.example:9098,b-2.example:9098',
      KAFKA_AUTH: 'msk-iam',
      AWS_REGION: 'eu-west-1',
      LANDING_BUCKET: 'landing-bucket',
      LANDING_PREFIX: PREFIX,
      WRITER_GROUP_ID: 'flink-parquet-writer',
      KAFKA_TOPIC: 'chargebacks',
      CLOSER_GRACE_MS: '45000',
      CLOSER_STATE_KEY: STATE,
    };
    const { config } = portsFromEnv(env);
    assert.deepEqual(
      {
        brokers: config.brokers,
        kafkaAuth: config.kafkaAuth,
        region: config.region,
        bucket: config.bucket,
        groupId: config.groupId,
        graceMs: config.graceMs,
        stateKey: config.stateKey,
      },
      {
        brokers: ['b-1.example:9098', 'b-2.example:9098'],
        kafkaAuth: 'msk-iam',
        region: 'eu-west-1',
        bucket: 'landing-bucket',
        groupId: 'flink-parquet-writer',
        graceMs: 45_000,
        stateKey: STATE,
      },
    );
    assert.throws(
      () => portsFromEnv({ ...env, CLOSER_GRACE_MS: 'soon' }),
      (e: Error) => e instanceof CloserConfigError && e.message.includes('CLOSER_GRACE_MS'),
    );
    assert.throws(
      () => portsFromEnv({ ...env, BUCKET_BY: 'event-time' }),
      (e: Error) => e instanceof CloserConfigError && e.message.includes('bucketBy'),
    );
  });
});
