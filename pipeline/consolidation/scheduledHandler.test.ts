import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALL_HOURS, closeHours, DAY, type LandedPart, landParts } from '../../fixtures/consolidationDay.ts';
import { changeRecord } from '../../fixtures/changeRecords.ts';
import { InMemoryObjectStore } from '../../fixtures/InMemoryObjectStore.ts';
import { consolidateDay } from './consolidateDay.ts';
import { ConsolidationConfigError } from './errors.ts';
import {
  createScheduledConsolidation,
  type DayMetrics,
  dayBefore,
  deadlineOf,
  scheduledConsolidationConfigFromEnv,
} from './scheduledHandler.ts';

// DAY is 2026-01-31: its scheduled runs fall on 2026-02-01, its deadline is 06:00 that day.
const BEFORE_DEADLINE = '2026-02-01T01:15:00Z';
const AFTER_DEADLINE = '2026-02-01T07:15:00Z';
const AT_DEADLINE = '2026-02-01T06:00:00Z';
const PARTS: LandedPart[] = [
  { hour: '05', name: 'a.parquet', records: [0, 1].map((i) => changeRecord(i)) },
  { hour: '23', name: 'b.parquet', records: [2].map((i) => changeRecord(i)) },
];

/** What a run published: one entry per publishStoredMetrics, with the metrics and metadata of that EMF document. */
function recordingMetrics() {
  const published: { metrics: Record<string, number>; metadata: Record<string, string> }[] = [];
  let metrics: Record<string, number> = {};
  let metadata: Record<string, string> = {};
  const m: DayMetrics = {
    addMetric: (name, _unit, value) => {
      metrics[name] = value;
    },
    addMetadata: (k, v) => {
      metadata[k] = v;
    },
    publishStoredMetrics: () => {
      if (Object.keys(metrics).length) published.push({ metrics, metadata });
      metrics = {};
      metadata = {};
    },
  };
  return { m, published };
}

const quietLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

async function setUp(closed: readonly string[]) {
  const store = new InMemoryObjectStore();
  await landParts(store, PARTS);
  await closeHours(store, PARTS, closed);
  const { m, published } = recordingMetrics();
  const job = createScheduledConsolidation({
    store,
    metrics: m,
    logger: quietLogger,
    config: scheduledConsolidationConfigFromEnv({}),
    now: () => new Date('2026-03-10T12:00:00Z'),
  });
  return { store, job, published };
}

describe('scheduled consolidation (EventBridge Scheduler → Lambda)', () => {
  it('consolidates yesterday of the scheduled time, and a second run is up to date', async () => {
    // Prepare
    const { job, store } = await setUp(ALL_HOURS);
    // Act
    const first = await job.consolidate({ scheduledTime: BEFORE_DEADLINE });
    const mutations = store.mutations;
    const second = await job.consolidate({ scheduledTime: '2026-02-01T02:15:00Z' });
    // Assess
    assert.equal(first.status, 'consolidated');
    assert.equal(first.day, DAY);
    assert.deepEqual(first.status === 'consolidated' && [first.rows, first.manifestKey], [
      3,
      `consolidated/chargebacks/${DAY}/_manifest.json`,
    ]);
    assert.equal(second.status, 'up-to-date');
    assert.equal(store.mutations, mutations, 'an up-to-date run writes nothing');
  });

  it('answers "refused, hours open: …" for a day with open hours instead of failing, so Lambda does not retry it', async () => {
    const { job, store } = await setUp(ALL_HOURS.filter((h) => h !== '05' && h !== '23'));
    const r = await job.consolidate({ scheduledTime: BEFORE_DEADLINE });
    assert.deepEqual(r, { status: 'refused', day: DAY, missingHours: ['05', '23'], message: 'refused, hours open: 05, 23' });
    assert.equal(await store.getObject(`consolidated/chargebacks/${DAY}/_manifest.json`), undefined);
  });

  it('takes an explicit day from the event over yesterday', async () => {
    const { job } = await setUp(ALL_HOURS);
    const r = await job.consolidate({ day: DAY, scheduledTime: '2026-06-01T01:15:00Z' });
    assert.equal(r.status, 'consolidated');
    assert.equal(r.day, DAY);
  });

  it('uses the clock when the event has no scheduled time (an invocation by hand)', async () => {
    const { job } = await setUp(ALL_HOURS);
    const r = await job.consolidate({});
    assert.deepEqual([r.status, r.day], ['refused', '2026-03-09']);
  });

  it('names every bad field of an event at once', async () => {
    const { job } = await setUp(ALL_HOURS);
    await assert.rejects(
      job.consolidate({ scheduledTime: 'yesterday', day: '2026-13-01' }),
      (e: Error) =>
        e instanceof ConsolidationConfigError &&
        /scheduledTime must be an ISO 8601 time/.test(e.message) &&
        /day must be a UTC day YYYY-MM-DD/.test(e.message),
    );
  });

  it('says nothing to the alarm before the deadline, whatever the outcome', async () => {
    const { job, published } = await setUp([]);
    await job.consolidate({ scheduledTime: BEFORE_DEADLINE });
    assert.deepEqual(published, []);
  });

  it('publishes DayNotConsolidated=1 for a refused run after the deadline, and 0 once a later run consolidates', async () => {
    const { job, store, published } = await setUp(ALL_HOURS.filter((h) => h !== '23'));
    await job.consolidate({ scheduledTime: AFTER_DEADLINE });
    await closeHours(store, PARTS, ['23']);
    await job.consolidate({ scheduledTime: '2026-02-01T08:15:00Z' });
    assert.deepEqual(published, [
      { metrics: { DayNotConsolidated: 1 }, metadata: { day: DAY } },
      { metrics: { DayNotConsolidated: 0 }, metadata: { day: DAY } },
    ]);
  });

  it('does not judge an older day run after its deadline (the alarm is about yesterday only)', async () => {
    const { job, published } = await setUp([]);
    await job.consolidate({ day: '2026-01-20', scheduledTime: AFTER_DEADLINE });
    assert.deepEqual(published, []);
  });

  it('publishes nothing for a run that failed (the check at the deadline still judges the day)', async () => {
    const { job, store, published } = await setUp(ALL_HOURS);
    store.getObject = async () => {
      throw new Error('S3 is down');
    };
    await assert.rejects(job.consolidate({ scheduledTime: AFTER_DEADLINE }), /S3 is down/);
    assert.deepEqual(published, []);
  });
});

describe('the deadline check', () => {
  it('judges yesterday not consolidated at the deadline when there is no day manifest', async () => {
    const { job, published } = await setUp(ALL_HOURS);
    const r = await job.check({ scheduledTime: AT_DEADLINE });
    assert.deepEqual(r, { day: DAY, consolidated: false, deadline: AT_DEADLINE.replace('Z', '.000Z'), judged: true });
    assert.deepEqual(published, [{ metrics: { DayNotConsolidated: 1 }, metadata: { day: DAY } }]);
  });

  it('judges a consolidated day consolidated', async () => {
    const { job, published } = await setUp(ALL_HOURS);
    await job.consolidate({ scheduledTime: BEFORE_DEADLINE });
    const r = await job.check({ scheduledTime: AT_DEADLINE });
    assert.equal(r.consolidated, true);
    assert.deepEqual(published, [{ metrics: { DayNotConsolidated: 0 }, metadata: { day: DAY } }]);
  });

  it('judges a day forced while hours were open not consolidated', async () => {
    const { job, store, published } = await setUp(ALL_HOURS.filter((h) => h !== '05'));
    await consolidateDay({ store, day: DAY, force: true });
    const r = await job.check({ scheduledTime: AT_DEADLINE });
    assert.equal(r.consolidated, false);
    assert.deepEqual(published, [{ metrics: { DayNotConsolidated: 1 }, metadata: { day: DAY } }]);
  });

  it('does not judge when invoked before the deadline', async () => {
    const { job, published } = await setUp(ALL_HOURS);
    const r = await job.check({ scheduledTime: '2026-02-01T05:59:59Z' });
    assert.deepEqual([r.consolidated, r.judged], [false, false]);
    assert.deepEqual(published, []);
  });
});

describe('days and deadlines', () => {
  it('yesterday crosses month and year ends and leap days', () => {
    assert.equal(dayBefore(new Date('2026-03-01T00:15:00Z')), '2026-02-28');
    assert.equal(dayBefore(new Date('2028-03-01T00:15:00Z')), '2028-02-29');
    assert.equal(dayBefore(new Date('2027-01-01T23:59:59Z')), '2026-12-31');
  });

  it('the deadline is the given hour of the next UTC day', () => {
    assert.equal(deadlineOf('2026-12-31', 6).toISOString(), '2027-01-01T06:00:00.000Z');
    assert.equal(deadlineOf('2026-02-28', 0).toISOString(), '2026-03-01T00:00:00.000Z');
  });

  it('reads its config from the environment and names every bad variable', () => {
    assert.deepEqual(
      scheduledConsolidationConfigFromEnv({
        CONSOLIDATED_PREFIX: 'c/',
        CONSOLIDATION_TARGET_BYTES: '1000',
        CONSOLIDATION_DEADLINE_HOUR: '9',
        CONSOLIDATION_CSV: 'state',
      }),
      { landingPrefix: 'landing/chargebacks/', consolidatedPrefix: 'c/', targetBytes: 1000, csv: 'state', deadlineHour: 9 },
    );
    assert.throws(
      () =>
        scheduledConsolidationConfigFromEnv({
          CONSOLIDATION_TARGET_BYTES: '128MiB',
          CONSOLIDATION_DEADLINE_HOUR: '24',
          CONSOLIDATION_CSV: 'rows',
        }),
      /CONSOLIDATION_CSV must be one of changes, state, got "rows"; CONSOLIDATION_TARGET_BYTES must be a whole number.*; CONSOLIDATION_DEADLINE_HOUR must be a whole number from 0 to 23, got "24"/,
    );
  });
});
