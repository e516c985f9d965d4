import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parquetMetadata } from 'hyparquet';
import { ALL_HOURS, closeHours, DAY, type LandedPart, landParts, partKey } from '../../fixtures/consolidationDay.ts';
import { changeRecord } from '../../fixtures/changeRecords.ts';
import { InMemoryObjectStore } from '../../fixtures/InMemoryObjectStore.ts';
import { readParquetFile } from '../parquet-writer/index.ts';
import { canonicalAmount, type ChangeRecord, toUnscaled } from '../schema/index.ts';
import { athenaSymlinkKey } from './athenaSymlink.ts';
import { consolidateDay } from './consolidateDay.ts';
import { parseCsv } from './csvCodec.ts';
import { CSV_COLUMNS, CsvMode } from './DayCsv.ts';
import { compareSequenceNumbers } from './consolidationOrder.ts';
import { DAY_MANIFEST_NAME, parseDayManifest } from './DayManifest.ts';
import { ConcurrentConsolidationError, ConsolidationMismatchError, DayIncompleteError } from './errors.ts';

const OUT = `consolidated/chargebacks/${DAY}/`;

const recordArb = fc.record({
  cb: fc.constantFrom('cb-9', 'cb-10', 'cb-a', 'cb-Z', 'cb-ä', 'cb-😀'),
  seq: fc.bigInt({ min: 0n, max: 10n ** 40n }),
  money: fc.constantFrom(
    { amount: '0.01', currency: 'USD' },
    { amount: '99999999999999.9999', currency: 'USD' },
    { amount: '125000', currency: 'JPY' },
    { amount: '12.345', currency: 'KWD' },
  ),
  reason: fc.constantFrom('plain', 'a, "quoted"\nreason', 'emoji 😀'),
});
const dayArb = fc.array(
  fc.record({ hour: fc.constantFrom('00', '07', '23'), records: fc.array(recordArb, { minLength: 1, maxLength: 30 }) }),
  { minLength: 1, maxLength: 6 },
);

type DaySpec = typeof dayArb extends fc.Arbitrary<infer T> ? T : never;

function toParts(spec: DaySpec): LandedPart[] {
  let i = 0;
  return spec.map((p, n) => ({
    hour: p.hour,
    name: `part-${n}.parquet`,
    records: p.records.map((r) =>
      changeRecord(i++, { chargeback_id: r.cb, sequence_number: String(r.seq), ...r.money, reason: r.reason }),
    ),
  }));
}

async function outputRows(store: InMemoryObjectStore): Promise<ChangeRecord[]> {
  const m = parseDayManifest((await store.getObject(`${OUT}${DAY_MANIFEST_NAME}`))!.body)!;
  const rows: ChangeRecord[] = [];
  for (const o of m.outputs) rows.push(...(await readParquetFile((await store.getObject(o.key))!.body)).rows);
  return rows;
}

const byEventId = (a: ChangeRecord, b: ChangeRecord) => (a.event_id < b.event_id ? -1 : 1);

describe('consolidateDay', () => {
  it('writes the landing rows sorted by chargeback_id then sequence number, split by target size, with equal count and sum per currency', async () => {
    await fc.assert(
      fc.asyncProperty(dayArb, fc.constantFrom(1, 3_000, 1 << 20), async (spec, targetBytes) => {
        // Prepare
        const store = new InMemoryObjectStore();
        const parts = toParts(spec);
        await landParts(store, parts);
        await closeHours(store, parts, ALL_HOURS);
        // Act
        const r = await consolidateDay({ store, day: DAY, targetBytes });
        // Assess: same rows (as a multiset), in order, same totals as the hour manifests
        const landed = parts.flatMap((p) => p.records).map((x) => ({ ...x, amount: canonicalAmount(x.amount) }));
        const rows = await outputRows(store);
        assert.deepEqual([...rows].sort(byEventId), [...landed].sort(byEventId));
        for (let i = 1; i < rows.length; i++) {
          const [a, b] = [rows[i - 1]!, rows[i]!];
          assert.ok(
            a.chargeback_id < b.chargeback_id ||
              (a.chargeback_id === b.chargeback_id && compareSequenceNumbers(a.sequence_number, b.sequence_number) <= 0),
            `row ${i} out of order`,
          );
        }
        assert.equal(r.manifest.rows, landed.length);
        assert.equal(
          r.manifest.outputs.reduce((n, o) => n + o.rows, 0),
          landed.length,
        );
        if (targetBytes === 1) assert.equal(r.manifest.outputs.length, landed.length, 'a tiny target gives a file per row');
        if (targetBytes === 1 << 20) assert.equal(r.manifest.outputs.length, 1);
        const expected: Record<string, { rows: number; amount: string }> = {};
        for (const c of [...new Set(landed.map((x) => x.currency))].sort()) {
          const mine = landed.filter((x) => x.currency === c);
          const sum = mine.reduce((s, x) => s + toUnscaled(x.amount), 0n);
          expected[c] = { rows: mine.length, amount: `${sum / 10_000n}.${String(sum % 10_000n).padStart(4, '0')}` };
        }
        assert.deepEqual(r.manifest.currencies, expected);
        assert.deepEqual(
          r.manifest.inputs.map((f) => f.key),
          parts.map(partKey).sort(),
        );
      }),
      { numRuns: 40 },
    );
  });

  it('sums amounts exactly: 3 × 99999999999999.9999 USD is 299999999999999.9997', async () => {
    const store = new InMemoryObjectStore();
    const parts: LandedPart[] = [
      { hour: '05', name: 'p.parquet', records: [0, 1, 2].map((i) => changeRecord(i, { amount: '99999999999999.9999' })) },
    ];
    await landParts(store, parts);
    await closeHours(store, parts, ALL_HOURS);
    const r = await consolidateDay({ store, day: DAY });
    assert.deepEqual(r.manifest.currencies, { USD: { rows: 3, amount: '299999999999999.9997' } });
  });

  it('keeps the landing schema and writes SNAPPY', async () => {
    const store = new InMemoryObjectStore();
    const parts: LandedPart[] = [{ hour: '01', name: 'p.parquet', records: [changeRecord(1), changeRecord(2)] }];
    await landParts(store, parts);
    await closeHours(store, parts, ALL_HOURS);
    const r = await consolidateDay({ store, day: DAY });
    const out = (await store.getObject(r.manifest.outputs[0]!.key))!.body;
    const landed = (await store.getObject(partKey(parts[0]!)))!.body;
    assert.deepEqual((await readParquetFile(out)).schema, (await readParquetFile(landed)).schema);
    const meta = parquetMetadata(out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength) as ArrayBuffer);
    for (const rg of meta.row_groups) for (const c of rg.columns) assert.equal(c.meta_data?.codec, 'SNAPPY');
  });

  it('refuses a day whose hours are not all closed, naming the missing hours, unless forced', async () => {
    const store = new InMemoryObjectStore();
    const parts: LandedPart[] = [
      { hour: '02', name: 'a.parquet', records: [changeRecord(1)] },
      { hour: '17', name: 'b.parquet', records: [changeRecord(2, { currency: 'JPY', amount: '500' })] },
    ];
    await landParts(store, parts);
    await closeHours(
      store,
      parts,
      ALL_HOURS.filter((h) => h !== '02' && h !== '17'),
    );
    const before = store.mutations;
    await assert.rejects(consolidateDay({ store, day: DAY }), (e: unknown) => {
      assert.ok(e instanceof DayIncompleteError);
      assert.deepEqual(e.missingHours, ['02', '17']);
      assert.match(e.message, /no _manifest\.json for hour\(s\) 02, 17.*--force/);
      return true;
    });
    assert.equal(store.mutations, before, 'nothing written by the refusal');
    const r = await consolidateDay({ store, day: DAY, force: true });
    assert.equal(r.manifest.complete, false);
    assert.deepEqual(r.manifest.missingHours, ['02', '17']);
    assert.equal(r.manifest.rows, 2);
    assert.deepEqual(
      r.manifest.inputs.map((f) => f.rows),
      [1, 1],
    );
  });

  it('marks a forced day complete once its open hours close, even when they got no files', async () => {
    const store = new InMemoryObjectStore();
    const parts: LandedPart[] = [{ hour: '03', name: 'a.parquet', records: [changeRecord(1)] }];
    await landParts(store, parts);
    await closeHours(store, parts, ALL_HOURS.slice(0, 23));
    const forced = await consolidateDay({ store, day: DAY, force: true });
    await closeHours(store, parts, ['23']);
    const complete = await consolidateDay({ store, day: DAY });
    assert.deepEqual([forced.manifest.complete, complete.status, complete.manifest.complete], [false, 'consolidated', true]);
    assert.deepEqual(complete.manifest.outputs, forced.manifest.outputs, 'the same files, rewritten with the same bytes');
  });

  it('changes nothing on a rerun', async () => {
    const store = new InMemoryObjectStore();
    const parts: LandedPart[] = [{ hour: '03', name: 'a.parquet', records: [changeRecord(1), changeRecord(2)] }];
    await landParts(store, parts);
    await closeHours(store, parts, ALL_HOURS);
    const first = await consolidateDay({ store, day: DAY, targetBytes: 1 });
    const before = store.mutations;
    const second = await consolidateDay({ store, day: DAY, targetBytes: 1 });
    assert.equal(second.status, 'up-to-date');
    assert.equal(store.mutations, before, 'no write at all');
    assert.deepEqual(second.manifest, first.manifest);
  });

  it('does not overwrite a manifest another run committed meanwhile (the commit is conditional)', async () => {
    // Prepare: a forced day, then hour 23 closes; another run commits just before this one does.
    const store = new InMemoryObjectStore();
    const late: LandedPart = { hour: '23', name: 'late.parquet', records: [changeRecord(2)] };
    const parts: LandedPart[] = [{ hour: '03', name: 'a.parquet', records: [changeRecord(1)] }, late];
    await landParts(store, parts.slice(0, 1));
    await closeHours(store, parts, ALL_HOURS.slice(0, 23));
    await consolidateDay({ store, day: DAY, force: true });
    await landParts(store, [late]);
    await closeHours(store, parts, ['23']);
    const theirs = new TextEncoder().encode('{"another":"run"}\n');
    const racing = Object.assign(Object.create(store) as InMemoryObjectStore, {
      putObject: async (key: string, body: Uint8Array, condition?: { ifMatch?: string; ifNoneMatch?: '*' }) => {
        if (key.endsWith(DAY_MANIFEST_NAME)) await store.putObject(key, theirs);
        return store.putObject(key, body, condition);
      },
    });
    // Act + Assess
    await assert.rejects(consolidateDay({ store: racing, day: DAY }), ConcurrentConsolidationError);
    assert.deepEqual((await store.getObject(`${OUT}${DAY_MANIFEST_NAME}`))!.body, theirs);
  });

  it('writes no manifest when an input does not match its hour manifest', async () => {
    const store = new InMemoryObjectStore();
    const parts: LandedPart[] = [{ hour: '03', name: 'a.parquet', records: [changeRecord(1)] }];
    await landParts(store, parts);
    await closeHours(store, parts, ALL_HOURS);
    await landParts(store, [{ ...parts[0]!, records: [changeRecord(1), changeRecord(2)] }]); // rewritten behind the closer's back
    await assert.rejects(consolidateDay({ store, day: DAY }), ConsolidationMismatchError);
    assert.equal(await store.exists(`${OUT}${DAY_MANIFEST_NAME}`), false);
  });

  it('consolidates an empty complete day into a manifest with no outputs', async () => {
    const store = new InMemoryObjectStore();
    await closeHours(store, [], ALL_HOURS);
    const r = await consolidateDay({ store, day: DAY });
    assert.deepEqual([r.manifest.rows, r.manifest.outputs, r.manifest.complete], [0, [], true]);
  });

  it('writes one CSV of the day whose rows are the Parquet rows in the same order, listed in the manifest with its totals', async () => {
    await fc.assert(
      fc.asyncProperty(dayArb, async (spec) => {
        const store = new InMemoryObjectStore();
        const parts = toParts(spec);
        await landParts(store, parts);
        await closeHours(store, parts, ALL_HOURS);
        const r = await consolidateDay({ store, day: DAY, targetBytes: 3_000 });
        const csv = r.manifest.csv;
        assert.match(csv.key, new RegExp(`^${OUT}chargebacks-${DAY}-${r.manifest.run}\\.csv$`));
        const body = (await store.getObject(csv.key))!.body;
        assert.equal(body.length, csv.bytes);
        const [header, ...records] = parseCsv(new TextDecoder().decode(body));
        assert.deepEqual(header, CSV_COLUMNS);
        const rows = await outputRows(store);
        assert.equal(records.length, rows.length);
        assert.equal(csv.rows, rows.length);
        const col = (name: string) => header!.indexOf(name);
        records.forEach((rec, i) => {
          const row = rows[i]!;
          assert.equal(rec[col('event_id')], row.event_id, `row ${i} in the Parquet order`);
          assert.equal(canonicalAmount(rec[col('amount')]!), row.amount);
          assert.equal(rec[col('reason')], row.reason);
          assert.equal(rec[col('event_time')], row.event_time);
        });
        assert.deepEqual(csv.currencies, r.manifest.currencies);
      }),
      { numRuns: 25 },
    );
  });

  it("points Athena at a complete day's outputs (one s3:// URI per line), and at nothing for a forced day", async () => {
    const store = new InMemoryObjectStore();
    const late: LandedPart = { hour: '23', name: 'late.parquet', records: [changeRecord(3)] };
    const parts: LandedPart[] = [{ hour: '03', name: 'a.parquet', records: [changeRecord(1), changeRecord(2)] }, late];
    await landParts(store, parts);
    await closeHours(store, parts, ALL_HOURS);
    const key = athenaSymlinkKey('consolidated/chargebacks/', DAY);
    assert.equal(key, `consolidated/chargebacks/_athena/day=${DAY}/symlink.txt`);
    const complete = await consolidateDay({ store, day: DAY, targetBytes: 1 });
    assert.deepEqual(complete.athenaSymlink, { key, action: 'written' });
    const expected = complete.manifest.outputs.map((o) => `s3://${store.bucket}/${o.key}\n`).join('');
    assert.equal(complete.manifest.outputs.length, 3);
    assert.equal(new TextDecoder().decode((await store.getObject(key))!.body), expected);

    // A forced run (here: hour 23's marker gone) has no pointer: that day is read from the landing zone.
    await store.deleteObject(`landing/chargebacks/${DAY}/23/${DAY_MANIFEST_NAME}`);
    const forced = await consolidateDay({ store, day: DAY, targetBytes: 1, force: true });
    assert.deepEqual([forced.manifest.complete, forced.athenaSymlink.action], [false, 'deleted']);
    assert.equal(await store.exists(key), false);
  });

  it('a rerun that finds the manifest up to date repairs a missing or stale symlink, then writes nothing more', async () => {
    const store = new InMemoryObjectStore();
    const parts: LandedPart[] = [{ hour: '03', name: 'a.parquet', records: [changeRecord(1), changeRecord(2)] }];
    await landParts(store, parts);
    await closeHours(store, parts, ALL_HOURS);
    const first = await consolidateDay({ store, day: DAY });
    const key = first.athenaSymlink.key;
    const good = (await store.getObject(key))!.body;
    for (const damage of [() => store.deleteObject(key), () => store.putObject(key, new TextEncoder().encode('s3://old\n'))]) {
      await damage();
      const again = await consolidateDay({ store, day: DAY });
      assert.deepEqual([again.status, again.athenaSymlink.action], ['up-to-date', 'written']);
      assert.deepEqual((await store.getObject(key))!.body, good);
      const before = store.mutations;
      assert.equal((await consolidateDay({ store, day: DAY })).athenaSymlink.action, 'unchanged');
      assert.equal(store.mutations, before);
    }
  });

  it('a state CSV holds the last change of each chargeback, without removed ones, beside the same Parquet files', async () => {
    const store = new InMemoryObjectStore();
    const records = [
      changeRecord(1, { chargeback_id: 'a', sequence_number: '10', amount: '5' }),
      changeRecord(2, { chargeback_id: 'a', sequence_number: '9', amount: '7' }),
      changeRecord(3, { chargeback_id: 'b', sequence_number: '1' }),
      changeRecord(4, { chargeback_id: 'b', sequence_number: '2', event_type: 'REMOVE' }),
    ];
    const parts: LandedPart[] = [{ hour: '03', name: 'a.parquet', records }];
    await landParts(store, parts);
    await closeHours(store, parts, ALL_HOURS);
    const changes = await consolidateDay({ store, day: DAY });
    const state = await consolidateDay({ store, day: DAY, csv: CsvMode.STATE });
    assert.equal(state.status, 'consolidated');
    assert.deepEqual(state.manifest.outputs, changes.manifest.outputs);
    assert.deepEqual([state.manifest.csv.mode, state.manifest.csv.rows], ['state', 1]);
    assert.deepEqual(state.manifest.csv.currencies, { USD: { rows: 1, amount: '5.0000' } });
    assert.deepEqual(state.deleted, [changes.manifest.csv.key]);
  });

  it('refuses a day that is not YYYY-MM-DD', async () => {
    await assert.rejects(consolidateDay({ store: new InMemoryObjectStore(), day: '2026-02-30' }), /YYYY-MM-DD, got "2026-02-30"/);
  });
});
