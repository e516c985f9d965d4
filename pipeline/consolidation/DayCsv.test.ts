import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { changeRecord } from '../../fixtures/changeRecords.ts';
import { CHANGE_RECORD_FIELDS, toParquetRow } from '../schema/index.ts';
import { parseCsv } from './csvCodec.ts';
import { CSV_COLUMNS, CsvMode, checkCsvMode, csvRowsOf, csvTotals, dayCsvKey, encodeDayCsv } from './DayCsv.ts';

const decode = (b: Uint8Array) => new TextDecoder().decode(b);

describe('the day CSV', () => {
  it("has the schema's column names as its header, in schema order", () => {
    assert.deepEqual(CSV_COLUMNS, CHANGE_RECORD_FIELDS);
    const text = decode(encodeDayCsv([]));
    assert.equal(text, `${CHANGE_RECORD_FIELDS.join(',')}\r\n`);
  });

  it('writes amounts at the schema scale without a float, timestamps as UTC ISO 8601, null as an empty field, no BOM', () => {
    const row = toParquetRow(
      changeRecord(1, {
        amount: '99999999999999.9999',
        currency: 'USD',
        event_time: '2026-01-31T23:59:59.999Z',
        previous_status: null,
        reason: 'a, "quoted"\r\nreason 😀',
      }),
    );
    const bytes = encodeDayCsv([row, toParquetRow(changeRecord(2, { amount: '125000', currency: 'JPY' }))]);
    assert.notEqual(bytes[0], 0xef, 'no UTF-8 BOM');
    const [header, first, second] = parseCsv(decode(bytes));
    const cell = (r: string[] | undefined, name: string) => r![header!.indexOf(name)];
    assert.equal(cell(first, 'amount'), '99999999999999.9999');
    assert.equal(cell(second, 'amount'), '125000.0000');
    assert.equal(cell(first, 'event_time'), '2026-01-31T23:59:59.999Z');
    assert.equal(cell(first, 'previous_status'), '');
    assert.equal(cell(first, 'reason'), 'a, "quoted"\r\nreason 😀');
    assert.equal(cell(first, 'schema_version'), '1');
    assert.deepEqual(csvTotals(bytes).currencies.toJSON(), {
      JPY: { rows: 1, amount: '125000.0000' },
      USD: { rows: 1, amount: '99999999999999.9999' },
    });
  });

  it('state mode keeps the last change of each chargeback and drops removed ones', () => {
    const rows = [
      changeRecord(1, { chargeback_id: 'a', sequence_number: '1', status: 'RECEIVED' }),
      changeRecord(2, { chargeback_id: 'a', sequence_number: '2', event_type: 'MODIFY', status: 'WON' }),
      changeRecord(3, { chargeback_id: 'b', sequence_number: '3' }),
      changeRecord(4, { chargeback_id: 'b', sequence_number: '4', event_type: 'REMOVE' }),
      changeRecord(5, { chargeback_id: 'c', sequence_number: '5' }),
    ].map(toParquetRow);
    assert.deepEqual(
      csvRowsOf(rows, CsvMode.STATE).map((r) => r.event_id),
      [rows[1]!.event_id, rows[4]!.event_id],
    );
    assert.equal(csvRowsOf(rows, CsvMode.CHANGES), rows);
  });

  it('names the file after the day and the run, and refuses an unknown mode', () => {
    const p = 'consolidated/chargebacks/2026-01-31/';
    assert.equal(dayCsvKey(p, '2026-01-31', 'abc', CsvMode.CHANGES), `${p}chargebacks-2026-01-31-abc.csv`);
    assert.equal(dayCsvKey(p, '2026-01-31', 'abc', CsvMode.STATE), `${p}chargebacks-state-2026-01-31-abc.csv`);
    assert.throws(() => checkCsvMode('rows'), /csv mode must be one of changes, state, got "rows"/);
  });
});
