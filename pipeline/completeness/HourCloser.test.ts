import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeTopicProgress, landFile } from '../../fixtures/closerFakes.ts';
import { InMemoryObjectStore } from '../../fixtures/InMemoryObjectStore.ts';
import type { CloserEvent } from './CloserEvent.ts';
import { CloserStateStore } from './CloserState.ts';
import { HourCloser } from './HourCloser.ts';
import type { HourManifest } from './HourManifest.ts';

const PREFIX = 'landing/chargebacks/';
const STATE = '_state/completeness/g/t/closer.json';
const GRACE = 30_000;
const H23_END = Date.UTC(2026, 1, 1, 0); // end of 2026-01-31/23

function setup(nowMs: number) {
  const store = new InMemoryObjectStore();
  const progress = new FakeTopicProgress();
  progress.logEnds = new Map([
    [0, 5n],
    [1, 3n],
    [2, 0n],
  ]);
  const clock = { now: nowMs };
  const events: CloserEvent[] = [];
  let uploads: string[] = [];
  const closer = () =>
    new HourCloser({
      store,
      progress,
      openUploads: async () => uploads,
      prefix: PREFIX,
      stateKey: STATE,
      graceMs: GRACE,
      now: () => clock.now,
      emit: (e) => events.push(e),
    });
  return { store, progress, clock, events, closer, setUploads: (u: string[]) => (uploads = u) };
}

async function manifestOf(store: InMemoryObjectStore, hour: string): Promise<HourManifest | undefined> {
  const o = await store.getObject(`${PREFIX}${hour}/_manifest.json`);
  return o && (JSON.parse(new TextDecoder().decode(o.body)) as HourManifest);
}

describe('HourCloser', () => {
  it('writes no marker before the hour has ended plus the grace', async () => {
    const t = setup(H23_END + GRACE - 1);
    await landFile(t.store, PREFIX, {
      hour: '2026-01-31/23',
      name: 'part-0-0000000000-0000000004.parquet',
      rows: [{ amount: '1', currency: 'USD' }],
    });
    t.progress.catchUp();
    const r = await t.closer().closeReadyHours();
    assert.deepEqual(r, { closed: [], next: '2026-01-31/23', waitingFor: 'hour-end' });
    assert.equal(await manifestOf(t.store, '2026-01-31/23'), undefined);
    assert.equal(t.progress.calls.logEnd, 0, 'no snapshot is taken for an hour that has not ended');
  });

  it('writes no marker while a partition is behind its log end at the snapshot, then one when it catches up', async () => {
    const t = setup(H23_END + GRACE);
    await landFile(t.store, PREFIX, {
      hour: '2026-01-31/23',
      name: 'part-0-0000000000-0000000004.parquet',
      rows: [
        { amount: '99.99', currency: 'USD' },
        { amount: '0.01', currency: 'USD' },
        { amount: '125000', currency: 'JPY' },
      ],
    });
    t.progress.committedOffsets = new Map([
      [0, 5n],
      [1, 2n],
    ]);
    const first = await t.closer().closeReadyHours();
    assert.equal(first.waitingFor, 'progress');
    assert.equal(await manifestOf(t.store, '2026-01-31/23'), undefined, 'partition 1 is behind: no marker');
    const waiting = t.events.find((e) => e.type === 'waiting-for-progress');
    assert.deepEqual(waiting && waiting.type === 'waiting-for-progress' && waiting.behind, [
      { partition: 1, committed: '2', logEnd: '3' },
    ]);

    // Later records (offsets at or past the snapshot) do not hold the hour back: only the snapshot counts.
    t.progress.logEnds.set(1, 50n);
    t.progress.committedOffsets.set(1, 3n);
    t.clock.now += 10_000;
    const second = await t.closer().closeReadyHours(); // a new instance: the snapshot comes from the state object
    assert.deepEqual(second.closed, ['2026-01-31/23']);
    const m = await manifestOf(t.store, '2026-01-31/23');
    assert.equal(m?.rows, 3);
    assert.deepEqual(m?.currencies, { JPY: { rows: 1, amount: '125000.0000' }, USD: { rows: 2, amount: '100.0000' } });
    assert.deepEqual(
      m?.files.map((f) => f.key),
      [`${PREFIX}2026-01-31/23/part-0-0000000000-0000000004.parquet`],
    );
    assert.equal(t.events.filter((e) => e.type === 'snapshot-taken').length, 1, 'the restarted closer reused the snapshot');
  });

  it('closes every ended hour from the oldest landed one, empty hours included, and not the hour still running', async () => {
    const t = setup(H23_END + 2 * 3_600_000 + GRACE + 5); // 2026-02-01/01 ended + grace; 02 is running
    await landFile(t.store, PREFIX, {
      hour: '2026-01-31/23',
      name: 'part-a.parquet',
      rows: [{ amount: '1.5', currency: 'EUR' }],
    });
    await landFile(t.store, PREFIX, {
      hour: '2026-02-01/01',
      name: 'part-b.parquet',
      rows: [{ amount: '2.25', currency: 'EUR' }],
    });
    await landFile(t.store, PREFIX, { hour: '2026-02-01/02', name: 'part-c.parquet', rows: [{ amount: '3', currency: 'EUR' }] });
    t.progress.catchUp();
    const r = await t.closer().closeReadyHours();
    assert.deepEqual(r.closed, ['2026-01-31/23', '2026-02-01/00', '2026-02-01/01']);
    assert.deepEqual(r.next, '2026-02-01/02');
    assert.equal((await manifestOf(t.store, '2026-02-01/00'))?.rows, 0, 'an empty hour is complete too');
    assert.equal((await manifestOf(t.store, '2026-02-01/01'))?.currencies.EUR?.amount, '2.2500');
    assert.equal(await manifestOf(t.store, '2026-02-01/02'), undefined, 'the running hour stays open');
    assert.deepEqual(
      t.events.filter((e) => e.type === 'marker-written').map((e) => (e.type === 'marker-written' ? e.uri : '')),
      ['2026-01-31/23', '2026-02-01/00', '2026-02-01/01'].map((h) => `s3://in-memory/${PREFIX}${h}/_manifest.json`),
    );
  });

  it('without state, starts after the newest marker instead of re-reading closed hours', async () => {
    const t = setup(H23_END + 3_600_000 + GRACE);
    await landFile(t.store, PREFIX, { hour: '2026-01-31/22', name: 'part-a.parquet', rows: [{ amount: '1', currency: 'USD' }] });
    await t.store.putObject(`${PREFIX}2026-01-31/23/_manifest.json`, new TextEncoder().encode('{}'));
    t.progress.catchUp();
    const r = await t.closer().closeReadyHours();
    assert.deepEqual(r.closed, ['2026-02-01/00']);
    assert.equal(await manifestOf(t.store, '2026-01-31/22'), undefined);
  });

  it('waits while a multipart upload (a Flink part not yet committed) is open in the hour', async () => {
    const t = setup(H23_END + GRACE);
    await landFile(t.store, PREFIX, { hour: '2026-01-31/23', name: 'part-a.parquet', rows: [{ amount: '1', currency: 'USD' }] });
    t.progress.catchUp();
    t.setUploads([`${PREFIX}2026-01-31/23/part-uuid-7.parquet`]);
    assert.equal((await t.closer().closeReadyHours()).waitingFor, 'uploads');
    assert.equal(await manifestOf(t.store, '2026-01-31/23'), undefined);
    t.setUploads([]);
    assert.deepEqual((await t.closer().closeReadyHours()).closed, ['2026-01-31/23']);
  });

  it('takes a new snapshot when the log went back (topic re-created), instead of waiting forever', async () => {
    const t = setup(H23_END + GRACE);
    await landFile(t.store, PREFIX, { hour: '2026-01-31/23', name: 'part-a.parquet', rows: [{ amount: '1', currency: 'USD' }] });
    t.progress.committedOffsets = new Map([[0, 1n]]);
    await t.closer().closeReadyHours();
    t.progress.logEnds = new Map([[0, 1n]]);
    const r = await t.closer().closeReadyHours();
    assert.deepEqual(r.closed, ['2026-01-31/23']);
    assert.deepEqual(
      t.events.filter((e) => e.type === 'snapshot-taken').map((e) => e.type === 'snapshot-taken' && e.reason),
      ['first', 'log-went-back'],
    );
  });

  it('never rewrites a marker: one already there with other content is reported and left alone', async () => {
    // Prepare: the state says 22 is the last closed hour, but 23 already has a marker with other content.
    const t = setup(H23_END + GRACE);
    await landFile(t.store, PREFIX, { hour: '2026-01-31/23', name: 'part-a.parquet', rows: [{ amount: '1', currency: 'USD' }] });
    await new CloserStateStore(t.store, STATE).save({ closedThrough: '2026-01-31/22', snapshot: undefined });
    const other = new TextEncoder().encode('{"hour":"2026-01-31/23","rows":0}\n');
    await t.store.putObject(`${PREFIX}2026-01-31/23/_manifest.json`, other);
    t.progress.catchUp();
    // Act
    const r = await t.closer().closeReadyHours();
    // Assess
    assert.deepEqual(r.closed, ['2026-01-31/23']);
    assert.deepEqual((await t.store.getObject(`${PREFIX}2026-01-31/23/_manifest.json`))!.body, other);
    assert.deepEqual(
      t.events.filter((e) => e.type.startsWith('marker-')).map((e) => e.type),
      ['marker-differs'],
    );
  });

  it('refuses to close an hour whose file it cannot read, naming the file', async () => {
    const t = setup(H23_END + GRACE);
    await t.store.putObject(`${PREFIX}2026-01-31/23/part-bad.parquet`, new TextEncoder().encode('not parquet'));
    t.progress.catchUp();
    await assert.rejects(t.closer().closeReadyHours(), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'HC_UNREADABLE_HOUR');
      assert.match(e.message, /part-bad\.parquet: not a Parquet file/);
      return true;
    });
    assert.equal(await manifestOf(t.store, '2026-01-31/23'), undefined);
  });
});
