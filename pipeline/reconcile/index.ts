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

/**
 * Money reconciliation: counts and exact sums per UTC hour of event_time, currency and event type
 * (or per chargeback), from the stream and from an independent read of the committed files.
 *
 * @example
 * const r = await reconcileMoney({ by: 'hour', ddb, streams, s3, tableName: 'chargebacks', bucket });
 * if (!r.ok) console.log(formatMoneyReconciliation(r).join('\n'));
 */
export { reconcileMoney, moneyChangeOf, MoneyGrouping, type MoneyReconciliation } from './reconcileMoney.ts';
export { compareMoneyByHour, utcHourOf, type MoneyChange, type MoneyByHourReport, type MoneyCell } from './moneyByHour.ts';
export { compareMoneyByChargeback, type MoneyByChargebackReport } from './moneyByChargeback.ts';
export { readLandedMoney, readLandedMoneyFile, type LandedMoney, type LandedRowProblem } from './readLandedMoney.ts';
export { formatMoneyReconciliation } from './formatMoneyReconciliation.ts';
export { UnreadableLandedFileError } from './errors.ts';
