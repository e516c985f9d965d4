import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse, isSafeNumber } from 'lossless-json';
import { formatResult } from './formatResult.ts';
import type { QueryResult } from './QuerySession.ts';

const result: QueryResult = {
  columns: [
    { name: 'chargeback_id', type: 'VARCHAR' },
    { name: 'amount', type: 'DECIMAL(18,4)' },
    { name: 'n', type: 'BIGINT' },
    { name: 'previous_status', type: 'VARCHAR' },
    { name: 'reason', type: 'VARCHAR' },
  ],
  rows: [
    ['cb_1', '99.9900', 12345678901234567890n, null, 'Product not received'],
    ['cb_22', '5.0000', 3n, 'RECEIVED', 'said "no", then\nleft, early'],
  ],
};
const empty: QueryResult = { columns: result.columns, rows: [] };

describe('formatResult', () => {
  it('table: aligned columns, numbers right-aligned, NULL shown, one line per row, row count', () => {
    assert.equal(
      formatResult(result, 'table'),
      [
        'chargeback_id | amount  | n                    | previous_status | reason',
        '--------------+---------+----------------------+-----------------+-----------------------------',
        'cb_1          | 99.9900 | 12345678901234567890 | NULL            | Product not received',
        'cb_22         |  5.0000 |                    3 | RECEIVED        | said "no", then\\nleft, early',
        '(2 rows)',
        '',
      ].join('\n'),
    );
  });

  it('table: a result with no rows is the header and (0 rows)', () => {
    assert.match(
      formatResult(empty, 'table'),
      /^chargeback_id \| amount \| n \| previous_status \| reason\n[-+]+\n\(0 rows\)\n$/,
    );
  });

  it('json: one array; amounts as exact strings, big integers with every digit, NULL as null', () => {
    const text = formatResult(result, 'json');
    assert.equal(text.split('\n').length, 2, 'one line and the final newline');
    const parsed = parse(text, undefined, (v) => (isSafeNumber(v) ? Number(v) : BigInt(v))) as Record<string, unknown>[];
    assert.deepEqual(parsed, [
      {
        chargeback_id: 'cb_1',
        amount: '99.9900',
        n: 12345678901234567890n,
        previous_status: null,
        reason: 'Product not received',
      },
      { chargeback_id: 'cb_22', amount: '5.0000', n: 3, previous_status: 'RECEIVED', reason: 'said "no", then\nleft, early' },
    ]);
    assert.equal(formatResult(empty, 'json'), '[]\n');
  });

  it('csv: RFC 4180 — header, CRLF, quoting of commas, quotes and line breaks, NULL empty', () => {
    assert.equal(
      formatResult(result, 'csv'),
      'chargeback_id,amount,n,previous_status,reason\r\n' +
        'cb_1,99.9900,12345678901234567890,,Product not received\r\n' +
        'cb_22,5.0000,3,RECEIVED,"said ""no"", then\nleft, early"\r\n',
    );
    assert.equal(formatResult(empty, 'csv'), 'chargeback_id,amount,n,previous_status,reason\r\n');
  });

  it('json: a DOUBLE that is NaN or infinite is written as a string, so the output stays JSON', () => {
    const r: QueryResult = { columns: [{ name: 'x', type: 'DOUBLE' }], rows: [[Number.NaN], [Number.POSITIVE_INFINITY]] };
    assert.deepEqual(JSON.parse(formatResult(r, 'json')), [{ x: 'NaN' }, { x: 'Infinity' }]);
  });
});
