/**
 * Reconciliation: every DynamoDB change (from the table's stream) against every landed row.
 *
 * @example
 * const history = await readStreamHistory(ddb, streams, 'chargebacks');
 * const report = reconcile(history.changes, landedRows);
 *
 * @example
 * // What must land for one raw stream record, independently of the stream processor:
 * const { records } = await readStreamRecords(ddb, streams, 'chargebacks');
 * const expected = expectedChange(records[0]);
 */
export { reconcile, type ReconcileReport, type LandedRow } from './reconcile.ts';
export { readStreamHistory, streamHistoryOf, type StreamHistory } from './readStreamHistory.ts';
export { readStreamRecords, type StreamRecords } from './readStreamRecords.ts';
export { expectedChange } from './expectedChange.ts';
export { LandingZone } from './LandingZone.ts';
