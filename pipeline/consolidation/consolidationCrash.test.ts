import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ALL_HOURS, closeHours, DAY, type LandedPart, landParts } from '../../fixtures/consolidationDay.ts';
import { changeRecord } from '../../fixtures/changeRecords.ts';
import { InMemoryObjectStore, SimulatedCrash } from '../../fixtures/InMemoryObjectStore.ts';
import { readParquetFile } from '../parquet-writer/index.ts';
import { athenaSymlinkKey } from './athenaSymlink.ts';
import { consolidateDay } from './consolidateDay.ts';
import { csvTotals } from './DayCsv.ts';
import { DAY_MANIFEST_NAME, type DayManifest, parseDayManifest } from './DayManifest.ts';

/**
 * Readers see the previous day or the new one, never a mix, whatever write the job dies at: the
 * process is killed at an arbitrary S3 mutation (an output, the manifest, a clean-up delete),
 * before it reached S3 or after it was applied with the response lost, and rerun — like
 * parquet-writer/exactlyOnce.test.ts does for the writer and completeness/closerCrash.test.ts for
 * the hour closer. The day moves through two states: forced while hour 23 is open, then complete
 * (with hour 23's files), then complete at another target size (other outputs, the symlink
 * repointed), so a crash can also hit a run that replaces a committed manifest and symlink.
 * Readers are of two kinds: those following the manifest (Parquet outputs and the CSV), and
 * Athena following the symlink of a complete day, which must only ever name files that exist.
 */
const OUT = `consolidated/chargebacks/${DAY}/`;
const MANIFEST = `${OUT}${DAY_MANIFEST_NAME}`;
const SYMLINK = athenaSymlinkKey('consolidated/chargebacks/', DAY);

interface Visible {
  manifest: Uint8Array | undefined;
  symlink: Uint8Array | undefined;
}

function copyOf(store: InMemoryObjectStore): InMemoryObjectStore {
  const c = new InMemoryObjectStore();
  for (const [k, v] of store.objects) c.objects.set(k, { ...v });
  return c;
}

/**
 * What readers see: the manifest's bytes, after checking that every file it lists is there, whole,
 * with the rows it says (the CSV with the totals it says, equal to the Parquet outputs'), and the
 * symlink's bytes, after checking that every file it names exists.
 */
async function visibleDay(store: InMemoryObjectStore): Promise<Visible> {
  const symlink = store.objects.get(SYMLINK)?.body;
  if (symlink) {
    const bucketPrefix = `s3://${store.bucket}/`;
    for (const uri of new TextDecoder().decode(symlink).split('\n').slice(0, -1)) {
      assert.ok(uri.startsWith(bucketPrefix), `${uri} is an s3:// URI of the bucket`);
      assert.ok(store.objects.has(uri.slice(bucketPrefix.length)), `${uri} named by the symlink exists`);
    }
  }
  const stored = store.objects.get(MANIFEST);
  if (!stored) return { manifest: undefined, symlink };
  const m = parseDayManifest(stored.body) as DayManifest;
  let rows = 0;
  for (const o of m.outputs) {
    const body = store.objects.get(o.key)?.body;
    assert.ok(body, `${o.key} listed by the manifest exists`);
    assert.equal(body.length, o.bytes, `${o.key} has the bytes the manifest lists`);
    const n = (await readParquetFile(body)).rows.length;
    assert.equal(n, o.rows, `${o.key} has the rows the manifest lists`);
    rows += n;
  }
  assert.equal(rows, m.rows);
  const csv = store.objects.get(m.csv.key)?.body;
  assert.ok(csv, `${m.csv.key} listed by the manifest exists`);
  assert.equal(csv.length, m.csv.bytes);
  const t = csvTotals(csv);
  assert.deepEqual([t.rows, t.currencies.toJSON()], [m.rows, m.currencies], 'the CSV holds the Parquet outputs’ rows and sums');
  return { manifest: stored.body, symlink };
}

const partsArb = fc.array(
  fc.record({
    hour: fc.constantFrom('00', '11', '23'),
    rows: fc.array(
      fc.record({
        cb: fc.constantFrom('cb-1', 'cb-2', 'cb-10'),
        seq: fc.bigInt({ min: 0n, max: 10n ** 30n }),
        money: fc.constantFrom({ amount: '0.01', currency: 'USD' }, { amount: '125000', currency: 'JPY' }),
      }),
      { minLength: 1, maxLength: 12 },
    ),
  }),
  { minLength: 1, maxLength: 5 },
);
const crashesArb = fc.array(fc.record({ at: fc.integer({ min: 1, max: 16 }), applied: fc.boolean() }), { maxLength: 4 });

describe('a crash mid-run leaves readers a consistent day', () => {
  it('shows the previous manifest or the new one after a crash at any write, converges on rerun, and a further rerun writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        partsArb,
        crashesArb,
        crashesArb,
        crashesArb,
        fc.constantFrom(1, 2_500, 1 << 20),
        async (specs, forcedCrashes, completeCrashes, resizedCrashes, firstTarget) => {
          // Prepare: a day whose hour 23 is still open.
          let i = 0;
          const parts: LandedPart[] = specs.map((s, n) => ({
            hour: s.hour,
            name: `part-${n}.parquet`,
            records: s.rows.map((r) => changeRecord(i++, { chargeback_id: r.cb, sequence_number: String(r.seq), ...r.money })),
          }));
          const store = new InMemoryObjectStore();
          await landParts(
            store,
            parts.filter((p) => p.hour !== '23'),
          );
          await closeHours(
            store,
            parts,
            ALL_HOURS.filter((h) => h !== '23'),
          );

          let visible: Visible = { manifest: undefined, symlink: undefined }; // what readers saw after the last successful run
          for (const [phase, crashes] of [
            ['forced', forcedCrashes],
            ['complete', completeCrashes],
            ['resized', resizedCrashes],
          ] as const) {
            const targetBytes = phase === 'resized' ? (firstTarget === 1 ? 1 << 20 : 1) : firstTarget;
            if (phase === 'complete') {
              await landParts(
                store,
                parts.filter((p) => p.hour === '23'),
              );
              await closeHours(store, parts, ['23']);
            }
            const run = () => consolidateDay({ store, day: DAY, targetBytes, force: phase === 'forced' });
            // The manifest this phase must end with: a healthy run on a copy.
            const expected = await visibleDay(await consolidateOn(copyOf(store), phase === 'forced', targetBytes));
            assert.equal(expected.symlink === undefined, phase === 'forced', 'a symlink exactly for a complete day');

            // Act: runs killed at some write, each followed by what a reader sees.
            for (const c of crashes) {
              store.crashAtMutation(store.mutations + c.at, c.applied);
              await run().catch((e) => {
                if (!(e instanceof SimulatedCrash)) throw e;
              });
              store.revive();
              const now = await visibleDay(store);
              const ok = sameBytes(now.manifest, visible.manifest) || sameBytes(now.manifest, expected.manifest);
              assert.ok(ok, `${phase}: after a crash readers see the previous day or the new one`);
              const linkOk = sameBytes(now.symlink, visible.symlink) || sameBytes(now.symlink, expected.symlink);
              assert.ok(linkOk, `${phase}: after a crash Athena sees the previous symlink or the new one`);
            }
            // ... then a healthy rerun.
            await run();
            visible = await visibleDay(store);

            // Assess: exactly the expected manifest; the folder holds what it lists and nothing else; a rerun writes nothing.
            assert.ok(
              sameBytes(visible.manifest, expected.manifest),
              `${phase}: the final manifest is the one a crash-free run writes`,
            );
            assert.ok(
              sameBytes(visible.symlink, expected.symlink),
              `${phase}: the final symlink is the one a crash-free run writes`,
            );
            const m = parseDayManifest(visible.manifest!)!;
            const listed = [...m.outputs.map((o) => o.key), m.csv.key, MANIFEST].sort();
            assert.deepEqual(
              (await store.listObjects(OUT)).map((o) => o.key),
              listed,
            );
            const before = store.mutations;
            const again = await run();
            assert.equal(again.status, 'up-to-date');
            assert.equal(store.mutations, before, `${phase}: a rerun writes nothing`);
          }
        },
      ),
      { numRuns: 50 },
    );
  });
});

async function consolidateOn(store: InMemoryObjectStore, force: boolean, targetBytes: number): Promise<InMemoryObjectStore> {
  await consolidateDay({ store, day: DAY, targetBytes, force });
  return store;
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return Buffer.from(a).equals(Buffer.from(b));
}
