import { type HourManifest, MANIFEST_NAME } from '../completeness/index.ts';
import { isLandedPartKey, type ObjectStore } from '../parquet-writer/index.ts';
import { CurrencyTotals } from './CurrencyTotals.ts';
import { DayIncompleteError } from './errors.ts';

export const HOURS_OF_DAY = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0'));

/** One input part file: its size, and the row count its hour manifest promises (undefined for a forced hour). */
export interface DayInput {
  key: string;
  bytes: number;
  expectedRows: number | undefined;
}

export interface DayInputs {
  /** Sorted by key: the order rows are read in, hence the tie order of the sort. */
  files: DayInput[];
  missingHours: string[];
  /** Sum of the hour manifests' per-currency totals (forced hours not included: the rows read stand for them). */
  promised: CurrencyTotals;
}

/**
 * The day's committed part files, from its 24 hour manifests. Refuses (DayIncompleteError, naming
 * the hours) when any is missing, unless `force`: then a missing hour's committed part files are
 * listed directly, by the rule every landing reader applies (`isLandedPartKey`).
 */
export async function resolveDayInputs(
  store: ObjectStore,
  landingPrefix: string,
  day: string,
  force: boolean,
): Promise<DayInputs> {
  const files: DayInput[] = [];
  const missingHours: string[] = [];
  const promised = new CurrencyTotals();
  for (const hh of HOURS_OF_DAY) {
    const hourPrefix = `${landingPrefix}${day}/${hh}/`;
    const marker = await store.getObject(`${hourPrefix}${MANIFEST_NAME}`);
    if (!marker) {
      missingHours.push(hh);
      continue;
    }
    const m = JSON.parse(new TextDecoder().decode(marker.body)) as HourManifest;
    for (const f of m.files) files.push({ key: f.key, bytes: f.bytes, expectedRows: f.rows });
    promised.addPrinted(m.currencies);
  }
  if (missingHours.length > 0 && !force) throw new DayIncompleteError(day, missingHours);
  for (const hh of missingHours) {
    for (const o of await store.listObjects(`${landingPrefix}${day}/${hh}/`))
      if (isLandedPartKey(o.key, landingPrefix)) files.push({ key: o.key, bytes: o.size, expectedRows: undefined });
  }
  files.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { files, missingHours, promised };
}
