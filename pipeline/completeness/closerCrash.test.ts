import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { FakeTopicProgress, landFile } from '../../fixtures/closerFakes.ts';
import { InMemoryObjectStore, SimulatedCrash } from '../../fixtures/InMemoryObjectStore.ts';
import { readLandedMoneyFile } from '../reconcile/index.ts';
import { HourCloser } from './HourCloser.ts';
import { buildManifest, encodeManifest, type HourFile, MANIFEST_NAME } from './HourManifest.ts';
import { hourEndMs, hoursBetween, lastEndedHour } from './hours.ts';

/**
 * Exactly one marker per hour, with the right content, whatever write the closer dies at: the
 * process is killed at an arbitrary S3 mutation (state object or marker), before it reached S3 or
 * after it was applied with the response lost, then restarted later — like
 * parquet-writer/exactlyOnce.test.ts does for the writer.
 */
const PREFIX = 'landing/chargebacks/';
const STATE = '_state/completeness/g/t/closer.json';
const GRACE = 30_000;
const HOURS = ['2026-01-31/22', '2026-01-31/23', '2026-02-01/00', '2026-02-01/01'];

/** Counts the marker puts that S3 applied, including those whose response a crash lost. */
class CountingStore extends InMemoryObjectStore {
  readonly markerWrites = new Map<string, number>();
  override async putObject(key: string, body: Uint8Array, condition?: { ifMatch?: string; ifNoneMatch?: '*' }): Promise<string> {
    const before = this.objects.get(key);
    try {
      return await super.putObject(key, body, condition);
    } finally {
      if (key.endsWith(MANIFEST_NAME) && this.objects.get(key) !== before)
        this.markerWrites.set(key, (this.markerWrites.get(key) ?? 0) + 1);
    }
  }
}

const filesArb = fc.array(
  fc.record({
    hour: fc.constantFrom(...HOURS),
    rows: fc.array(
      fc.constantFrom(
        { amount: '0.01', currency: 'USD' },
        { amount: '99.99', currency: 'USD' },
        { amount: '125000', currency: 'JPY' },
        { amount: '12.345', currency: 'KWD' },
        { amount: '0.001', currency: 'KWD' },
      ),
      { minLength: 1, maxLength: 4 },
    ),
  }),
  { minLength: 1, maxLength: 8 },
);
const runsArb = fc.array(
  fc.record({
    crashAt: fc.integer({ min: 1, max: 6 }),
    applied: fc.boolean(),
    advanceMs: fc.integer({ min: 0, max: 90 * 60_000 }),
    catchUp: fc.boolean(),
  }),
  { maxLength: 6 },
);

async function expectedManifest(store: InMemoryObjectStore, hour: string): Promise<Uint8Array> {
  const files: HourFile[] = [];
  for (const o of await store.listObjects(`${PREFIX}${hour}/`)) {
    if (!o.key.endsWith('.parquet')) continue;
    const body = (await store.getObject(o.key))!.body;
    files.push({ key: o.key, bytes: body.length, rows: (await readLandedMoneyFile(body, o.key)).changes });
  }
  return encodeManifest(buildManifest(hour, `s3://${store.bucket}/${PREFIX}${hour}/`, files));
}

describe('hour markers are written exactly once across crashes', () => {
  it('leaves one marker per ended hour, equal to the manifest of its files, whatever write the closer dies at', async () => {
    await fc.assert(
      fc.asyncProperty(filesArb, runsArb, async (specs, runs) => {
        // Prepare: files in four hours; the writers are behind until a run says they caught up.
        const store = new CountingStore();
        for (const [i, s] of specs.entries())
          await landFile(store, PREFIX, { hour: s.hour, name: `part-${i}.parquet`, rows: s.rows }, i * 10);
        const progress = new FakeTopicProgress();
        progress.logEnds = new Map([
          [0, 4n],
          [1, 9n],
        ]);
        let now = hourEndMs(HOURS[0]!) + GRACE;
        const closer = () =>
          new HourCloser({
            store,
            progress,
            openUploads: async () => [],
            prefix: PREFIX,
            stateKey: STATE,
            graceMs: GRACE,
            now: () => now,
            emit: () => undefined,
          });
        // Act: crash-and-restart runs, the clock moving on between them ...
        for (const run of runs) {
          if (run.catchUp) progress.catchUp();
          store.crashAtMutation(store.mutations + run.crashAt, run.applied);
          await closer()
            .closeReadyHours()
            .catch((e) => {
              if (!(e instanceof SimulatedCrash)) throw e;
            });
          store.revive();
          now += run.advanceMs;
        }
        // ... then one healthy closer, after the last hour ended, polling until nothing is left.
        now = Math.max(now, hourEndMs(HOURS[3]!) + GRACE);
        progress.catchUp();
        const last = lastEndedHour(now, GRACE);
        for (let pass = 0; pass < 10; pass++) if ((await closer().closeReadyHours()).next > last) break;

        // Assess: every ended hour from the oldest landed one has exactly one marker write, with the right bytes.
        const oldest = [...specs.map((s) => s.hour)].sort()[0]!;
        for (const hour of hoursBetween(oldest, last)) {
          const key = `${PREFIX}${hour}/${MANIFEST_NAME}`;
          assert.equal(store.markerWrites.get(key), 1, `${key} written exactly once`);
          assert.deepEqual((await store.getObject(key))!.body, await expectedManifest(store, hour), `${key} content`);
        }
        assert.equal(store.markerWrites.size, hoursBetween(oldest, last).length, 'no marker for any other hour');
      }),
      { numRuns: 120 },
    );
  });
});
