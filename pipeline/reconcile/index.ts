/**
 * Reconciliation: every DynamoDB change (from the table's stream) against every landed row.
 *
 * @example
 * const history = await readStreamHistory(ddb, streams, 'chargebacks', 'us-east-1');
 * const report = reconcile(history.changes, landedRows);
 */
export { reconcile, type ReconcileReport, type LandedRow } from './reconcile.ts';
export { readStreamHistory, type StreamHistory } from './readStreamHistory.ts';
export { LandingZone } from './LandingZone.ts';
