/**
 * The rehearsal's proof that the @aws scenarios wrote where they were told: what the default
 * table and bucket of the local stack, and the non-default ones the run was given, held before
 * the suite, compared with what they hold after it. A step (or component) that fell back to a
 * default name would leave its chargebacks in the default table or its part files in the default
 * bucket, and the run's chargebacks would be missing from the given ones.
 */

/** Chargeback ids in the tables and object keys in the buckets, at one moment. */
export interface IsolationSnapshot {
  defaultTable: string[];
  givenTable: string[];
  defaultBucket: string[];
  givenBucket: string[];
}

export interface IsolationReport {
  /** Chargebacks the run wrote to the given table (new since the snapshot before). */
  written: string[];
  /** Of those, the ones found in a landed row of the given bucket. */
  landed: string[];
  newDefaultItems: string[];
  newDefaultObjects: string[];
  /** Every way the run did not stay on the given table and bucket; empty when it did. */
  problems: string[];
}

/**
 * Compares the two snapshots; `landedIds` are the chargeback ids of the rows landed in the given
 * bucket after the suite. Lists every problem at once.
 */
export function isolationReport(
  names: { defaultTable: string; givenTable: string; defaultBucket: string; givenBucket: string },
  before: IsolationSnapshot,
  after: IsolationSnapshot,
  landedIds: Iterable<string>,
): IsolationReport {
  const added = (was: string[], is: string[]) => {
    const old = new Set(was);
    return is.filter((x) => !old.has(x)).sort();
  };
  const written = added(before.givenTable, after.givenTable);
  const landedSet = new Set(landedIds);
  const landed = written.filter((id) => landedSet.has(id));
  const newDefaultItems = added(before.defaultTable, after.defaultTable);
  const newDefaultObjects = added(before.defaultBucket, after.defaultBucket);
  const writtenToDefault = written.length ? after.defaultTable.filter((id) => written.includes(id)) : [];
  const problems: string[] = [];
  if (written.length === 0) problems.push(`table ${names.givenTable}: the run wrote no chargeback to the table it was given`);
  const notLanded = written.filter((id) => !landedSet.has(id));
  if (written.length > 0 && notLanded.length > 0)
    problems.push(`bucket ${names.givenBucket}: no landed row for ${notLanded.join(', ')} (in ${names.givenTable})`);
  if (newDefaultItems.length > 0)
    problems.push(
      `table ${names.defaultTable}: ${newDefaultItems.length} item(s) written during the run (${newDefaultItems.join(', ')})`,
    );
  else if (writtenToDefault.length > 0)
    problems.push(`table ${names.defaultTable}: holds the run's chargebacks ${writtenToDefault.join(', ')}`);
  if (newDefaultObjects.length > 0)
    problems.push(
      `bucket ${names.defaultBucket}: ${newDefaultObjects.length} object(s) put during the run (${newDefaultObjects.slice(0, 5).join(', ')}${newDefaultObjects.length > 5 ? ', …' : ''})`,
    );
  return { written, landed, newDefaultItems, newDefaultObjects, problems };
}
