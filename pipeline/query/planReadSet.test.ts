import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { changeRecord } from '../../fixtures/changeRecords.ts';
import { ALL_HOURS, closeHours, DAY, type LandedPart, LANDING, landParts } from '../../fixtures/consolidationDay.ts';
import { InMemoryObjectStore } from '../../fixtures/InMemoryObjectStore.ts';
import { consolidateDay } from '../consolidation/index.ts';
import { writeParquetFile } from '../parquet-writer/index.ts';
import { type ChangeRecord, toParquetRow } from '../schema/index.ts';
import { describeReadSet, planReadSet, type QuerySource, type ReadSet } from './planReadSet.ts';
import { QuerySession } from './QuerySession.ts';

/**
 * The read rule over an in-memory store, with day manifests written by the real consolidation job
 * (`consolidateDay`), and the answer a query over the chosen files gives (DuckDB).
 */
const CONSOLIDATED = 'consolidated/chargebacks/';
const FORCED_DAY = '2026-02-01';
const LANDING_DAY = '2026-02-02';
const layout = { bucket: 'in-memory', landingPrefix: LANDING, consolidatedPrefix: CONSOLIDATED };
const parquet = (records: ChangeRecord[]) => writeParquetFile(records.map(toParquetRow));

/** 2026-01-31 complete (24 hour manifests, 3 rows), 2026-02-01 forced (2 rows), 2026-02-02 never consolidated (1 row). */
async function mixedDays(): Promise<InMemoryObjectStore> {
  const store = new InMemoryObjectStore();
  const parts: LandedPart[] = [
    { hour: '00', name: 'part-0-0000000000-0000000001.parquet', records: [changeRecord(1), changeRecord(2)] },
    { hour: '23', name: 'part-1-0000000000-0000000000.parquet', records: [changeRecord(3, { amount: '0.01' })] },
  ];
  await landParts(store, parts);
  await closeHours(store, parts, ALL_HOURS);
  assert.equal((await consolidateDay({ store, day: DAY })).manifest.complete, true);
  await store.putObject(
    `${LANDING}${FORCED_DAY}/05/part-0-0000000002-0000000003.parquet`,
    parquet([changeRecord(4), changeRecord(5)]),
  );
  assert.equal((await consolidateDay({ store, day: FORCED_DAY, force: true })).manifest.complete, false);
  await store.putObject(`${LANDING}${LANDING_DAY}/10/part-2-0000000000-0000000000.parquet`, parquet([changeRecord(6)]));
  // What a crashed or superseded run leaves in a consolidated folder: real Parquet of the day's rows.
  await store.putObject(`${CONSOLIDATED}${DAY}/part-00000000deadbeef-00000.parquet`, parquet([changeRecord(1), changeRecord(2)]));
  await store.putObject(`${CONSOLIDATED}${DAY}/.part-00000.parquet.inprogress`, parquet([changeRecord(3)]));
  return store;
}

let dir: string;
let fileNo = 0;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'query-plan-test-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Count and exact sum of `chargeback_changes` over the planned files, and of each event id. */
async function answer(store: InMemoryObjectStore, plan: ReadSet) {
  const paths: string[] = [];
  for (const f of plan.files) {
    const path = join(dir, `${fileNo++}.parquet`);
    await writeFile(path, (await store.getObject(f.key))!.body);
    paths.push(path);
  }
  const s = await QuerySession.open(paths);
  try {
    const totals = await s.run(
      'SELECT count(*) AS n, sum(amount) AS total, count(DISTINCT event_id) AS ids FROM chargeback_changes',
    );
    return totals.rows[0];
  } finally {
    s.close();
  }
}

const daysOf = (plan: ReadSet) => plan.days.map((d) => [d.day, d.from, d.note ?? ''].join(' '));
const plan = (store: InMemoryObjectStore, source: QuerySource) => planReadSet(store, layout, source);

describe('planReadSet (the read rule)', () => {
  it('reads a complete day from exactly its manifest outputs, a forced day and an unconsolidated day from the landing zone', async () => {
    const store = await mixedDays();
    const p = await plan(store, 'auto');
    assert.deepEqual(daysOf(p), [
      `${DAY} consolidated `,
      `${FORCED_DAY} landing consolidation-incomplete`,
      `${LANDING_DAY} landing `,
    ]);
    const manifest = JSON.parse(new TextDecoder().decode((await store.getObject(`${CONSOLIDATED}${DAY}/_manifest.json`))!.body));
    assert.deepEqual(
      p.days[0]!.files.map((f) => f.key),
      manifest.outputs.map((o: { key: string }) => o.key),
    );
    assert.ok(
      p.files.every((f) => !f.key.includes('deadbeef') && !f.key.includes('inprogress')),
      'orphans are not read',
    );
    assert.ok(!p.files.some((f) => f.key.startsWith(`${LANDING}${DAY}/`)), 'no landing file of the consolidated day');
    // Six changes, each once: 3 of the consolidated day, 2 of the forced one, 1 landed
    // (2.01 + 3.02 + 0.01 + 5.04 + 6.05 + 7.06); the orphan would add 2 rows and 5.03.
    assert.deepEqual(await answer(store, p), [6n, '23.1900', 6n]);
    assert.deepEqual(await answer(store, await plan(store, 'landing')), [6n, '23.1900', 6n], 'what the raw landing zone gives');
    assert.match(
      describeReadSet(p, 's3://in-memory/'),
      /^reading 3 day\(s\) of s3:\/\/in-memory\/: 1 from the consolidated copy \(2026-01-31\), 2 from the landing zone; consolidated copy not used for 2026-02-01 \(forced, incomplete\)$/,
    );
  });

  it('--source landing is the raw landing zone; --source consolidated only the complete days', async () => {
    const store = await mixedDays();
    const landing = await plan(store, 'landing');
    assert.deepEqual(daysOf(landing), [`${DAY} landing `, `${FORCED_DAY} landing `, `${LANDING_DAY} landing `]);
    assert.ok(landing.files.every((f) => f.key.startsWith(LANDING)));
    assert.equal(landing.files.length, 4);
    const consolidated = await plan(store, 'consolidated');
    assert.deepEqual(daysOf(consolidated), [`${DAY} consolidated `]);
    assert.deepEqual((await answer(store, consolidated))!.slice(0, 1), [3n]);
  });

  it('a consolidated day whose landing files are gone is still read, from its copy', async () => {
    const store = await mixedDays();
    for (const o of await store.listObjects(`${LANDING}${DAY}/`)) await store.deleteObject(o.key);
    const p = await plan(store, 'auto');
    assert.deepEqual(daysOf(p)[0], `${DAY} consolidated `);
    assert.deepEqual((await answer(store, p))!.slice(0, 1), [6n]);
  });

  it('a manifest this version cannot read, or one naming another day, is not trusted: the landing zone is read', async () => {
    const store = await mixedDays();
    await store.putObject(`${CONSOLIDATED}${LANDING_DAY}/_manifest.json`, new TextEncoder().encode('{"manifestVersion": 99}'));
    const copy = (await store.getObject(`${CONSOLIDATED}${DAY}/_manifest.json`))!.body;
    await store.putObject(`${CONSOLIDATED}${FORCED_DAY}/_manifest.json`, copy);
    const p = await plan(store, 'auto');
    assert.deepEqual(daysOf(p), [
      `${DAY} consolidated `,
      `${FORCED_DAY} landing manifest-unreadable`,
      `${LANDING_DAY} landing manifest-unreadable`,
    ]);
    assert.deepEqual((await answer(store, p))!.slice(0, 1), [6n]);
  });

  it('skips the Athena symlink folder and anything that is not a day manifest in the consolidated prefix', async () => {
    const store = await mixedDays();
    await store.putObject(
      `${CONSOLIDATED}_athena/day=${LANDING_DAY}/symlink.txt`,
      new TextEncoder().encode('s3://x/y.parquet\n'),
    );
    await store.putObject(`${CONSOLIDATED}${LANDING_DAY}/nested/_manifest.json`, new TextEncoder().encode('{}'));
    const p = await plan(store, 'auto');
    assert.deepEqual(daysOf(p).at(-1), `${LANDING_DAY} landing `);
  });

  it('an empty zone plans nothing', async () => {
    const p = await plan(new InMemoryObjectStore(), 'auto');
    assert.deepEqual(p, { days: [], files: [] });
  });
});
