/**
 * The one schema of chargeback-cdc (DESIGN §2): vocabularies, validators, the change record
 * and its Parquet row, all derived from `chargeback-change.avsc`.
 *
 * @example
 * const r = decodeChangeRecord(message.value);
 * if (!r.ok) deadLetter(message, formatFieldErrors(r.errors));
 * else rows.push(toParquetRow(r.value));
 */
export * from './vocabulary.ts';
export * from './FieldError.ts';
export * from './money.ts';
export * from './timestamps.ts';
export * from './chargeback.ts';
export type { ChangeRecord } from './changeRecord.ts';
export { validateChangeRecord } from './validateChangeRecord.ts';
export { encodeChangeRecord, decodeChangeRecord } from './changeRecordCodec.ts';
export * from './parquetRow.ts';
export * from './avroSchema.ts';
export * from './errors.ts';
export { compileFieldMapper, type FieldMapping } from './compileFieldMapper.ts';
export * from './glueColumns.ts';
export * from './chargebackChangesTable.ts';
