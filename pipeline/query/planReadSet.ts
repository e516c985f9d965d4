import { DAY_MANIFEST_NAME, parseDayManifest } from '../consolidation/index.ts';
import { isLandedPartKey, type S3ObjectInfo } from '../parquet-writer/index.ts';

/**
 * Which copy of the chargebacks a query reads: `auto` applies the read rule (README.md § "Which
 * copy of a day is read"), `landing` is the raw landing zone, `consolidated` only the days the
 * rule reads from their consolidated copy.
 */
export const QuerySource = { auto: 'auto', landing: 'landing', consolidated: 'consolidated' } as const;
export type QuerySource = (typeof QuerySource)[keyof typeof QuerySource];
export const QUERY_SOURCES = Object.values(QuerySource);

/** The two prefixes of one bucket that hold chargebacks: the writers' landing zone and the consolidation's copy. */
export interface ZoneLayout {
  readonly bucket: string;
  /** `landing/chargebacks/`: `YYYY-MM-DD/HH/part-….parquet` below it. */
  readonly landingPrefix: string;
  /** `consolidated/chargebacks/`: `YYYY-MM-DD/_manifest.json` and the files it lists below it. */
  readonly consolidatedPrefix: string;
}

/** What the planner reads: a listing and single objects (LandingStore, the S3 adapter of `queryChargebacks`, or the in-memory store of the tests). */
export interface ReadStore {
  listObjects(prefix: string): Promise<S3ObjectInfo[]>;
  getObject(key: string): Promise<{ body: Uint8Array } | undefined>;
}

export interface ReadFile {
  readonly key: string;
  readonly size: number;
}

export interface DayRead {
  /** The first folder below the prefix: `YYYY-MM-DD` in the writers' layout. */
  readonly day: string;
  readonly from: 'landing' | 'consolidated';
  readonly files: readonly ReadFile[];
  /** Set when the day has a consolidated manifest that the rule does not trust, so it is read from the landing zone. */
  readonly note?: 'consolidation-incomplete' | 'manifest-unreadable';
}

export interface ReadSet {
  /** Every file to read, each day's files together, days in order. */
  readonly files: readonly ReadFile[];
  readonly days: readonly DayRead[];
}

const DAY_FOLDER = /^\d{4}-\d{2}-\d{2}$/;
/** Manifest reads in flight at once: a year of days is 365 small GETs. */
const MANIFEST_CONCURRENCY = 8;

/**
 * The files a query reads, by the read rule: a day is consolidated iff
 * `<consolidatedPrefix><day>/_manifest.json` exists and says `"complete": true`; its rows are then
 * exactly the manifest's `outputs` (orphans of crashed runs and superseded files in the folder are
 * never read), and none of its landing files. Every other day is its committed landing part files
 * (`isLandedPartKey`). One listing of each prefix, then one GET per day that has a consolidated
 * manifest (not per landing day), so a day whose landing files are gone is still read.
 *
 * @example
 * const plan = await planReadSet(store, { bucket, landingPrefix: 'landing/chargebacks/', consolidatedPrefix: 'consolidated/chargebacks/' }, 'auto');
 * for (const d of plan.days) console.log(d.day, d.from, d.files.length);
 */
export async function planReadSet(store: ReadStore, layout: ZoneLayout, source: QuerySource): Promise<ReadSet> {
  const landing = new Map<string, ReadFile[]>();
  for (const o of await store.listObjects(layout.landingPrefix)) {
    if (!isLandedPartKey(o.key, layout.landingPrefix)) continue;
    const day = o.key.slice(layout.landingPrefix.length).split('/', 1)[0]!;
    landing.set(day, [...(landing.get(day) ?? []), { key: o.key, size: o.size }]);
  }
  const manifests = source === QuerySource.landing ? new Map() : await consolidatedDays(store, layout.consolidatedPrefix);

  const days: DayRead[] = [];
  for (const day of [...new Set([...landing.keys(), ...manifests.keys()])].sort()) {
    const m = manifests.get(day);
    if (m?.kind === 'complete') days.push({ day, from: 'consolidated', files: m.files });
    else if (source !== QuerySource.consolidated && landing.has(day)) {
      const files = landing.get(day)!;
      days.push(m ? { day, from: 'landing', files, note: m.kind } : { day, from: 'landing', files });
    }
  }
  return { days, files: days.flatMap((d) => d.files) };
}

type ManifestVerdict = { kind: 'complete'; files: ReadFile[] } | { kind: 'consolidation-incomplete' | 'manifest-unreadable' };

async function consolidatedDays(store: ReadStore, prefix: string): Promise<Map<string, ManifestVerdict>> {
  const days = (await store.listObjects(prefix))
    .map((o) => o.key.slice(prefix.length).split('/'))
    .filter((s) => s.length === 2 && s[1] === DAY_MANIFEST_NAME && DAY_FOLDER.test(s[0]!))
    .map((s) => s[0]!);
  const out = new Map<string, ManifestVerdict>();
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < days.length; i = next++) {
      const day = days[i]!;
      const obj = await store.getObject(`${prefix}${day}/${DAY_MANIFEST_NAME}`);
      // Listed, then gone: the folder was removed meanwhile; the landing zone still has the day.
      if (!obj) continue;
      const m = parseDayManifest(obj.body);
      // A manifest of another version, or of another day, is not one this reader may trust.
      if (!m || m.day !== day) out.set(day, { kind: 'manifest-unreadable' });
      else if (m.complete !== true) out.set(day, { kind: 'consolidation-incomplete' });
      else out.set(day, { kind: 'complete', files: m.outputs.map((f) => ({ key: f.key, size: f.bytes })) });
    }
  };
  await Promise.all(Array.from({ length: Math.min(MANIFEST_CONCURRENCY, days.length) }, worker));
  return out;
}

/** One line for stderr: how many days come from which copy, the consolidated ones and the untrusted manifests named. */
export function describeReadSet(plan: ReadSet, where: string): string {
  const consolidated = plan.days.filter((d) => d.from === 'consolidated').map((d) => d.day);
  const landing = plan.days.filter((d) => d.from === 'landing');
  const untrusted = landing
    .filter((d) => d.note)
    .map((d) => `${d.day} (${d.note === 'consolidation-incomplete' ? 'forced, incomplete' : 'manifest unreadable'})`);
  const list = (days: string[]) =>
    days.length === 0 ? '' : days.length <= 5 ? ` (${days.join(', ')})` : ` (${days[0]} … ${days.at(-1)})`;
  return (
    `reading ${plan.days.length} day(s) of ${where}: ${consolidated.length} from the consolidated copy${list(consolidated)}, ` +
    `${landing.length} from the landing zone` +
    (untrusted.length ? `; consolidated copy not used for ${untrusted.join(', ')}` : '')
  );
}
