import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { changeRecordArb } from '../../fixtures/arbitraries.ts';
import { writeParquetFile } from '../parquet-writer/index.ts';
import { CHANGE_RECORD_FIELDS, canonicalAmount, toParquetRow, validateChangeRecord, type ChangeRecord } from '../schema/index.ts';
import { QuerySession } from './QuerySession.ts';
import { DuckDBInstance } from '@duckdb/node-api';
import {
  CHANGE_COLUMNS,
  CHARGEBACK_CHANGES_ALL_SQL,
  CHARGEBACK_CHANGES_ALL_VIEW_SQL,
  CHARGEBACKS_CURRENT_SQL,
  CHARGEBACKS_CURRENT_VIEW_SQL,
  CONSOLIDATED_CHANGES_TABLE,
  readParquetSql,
  VIEW_NAMES,
} from './views.ts';
import { CHANGE_RECORD_GLUE_COLUMNS, CHARGEBACK_CHANGES_TABLE } from '../schema/index.ts';

/**
 * The views on a local DuckDB over Parquet files written by the embedded writer's own encoder
 * (`writeParquetFile`), so what is tested is what the landing zone holds.
 */
/**
 * Only records the schema accepts ever land. The shared arbitrary builds text from UTF-16 code
 * units, so it can hold a lone surrogate, which has no UTF-8 form and which the schema refuses.
 */
const LONE_SURROGATE = /\p{Cs}/u;
const landableArb = changeRecordArb.filter(
  (r) => validateChangeRecord(r).ok && !Object.values(r).some((v) => typeof v === 'string' && LONE_SURROGATE.test(v)),
);

let dir: string;
let fileNo = 0;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'query-views-test-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes each group of records as one part file; returns the paths. */
async function partFiles(...groups: ChangeRecord[][]): Promise<string[]> {
  const paths: string[] = [];
  for (const g of groups) {
    const path = join(dir, `part-${fileNo++}.parquet`);
    await writeFile(path, writeParquetFile(g.map(toParquetRow)));
    paths.push(path);
  }
  return paths;
}

async function withSession<T>(paths: string[], fn: (s: QuerySession) => Promise<T>): Promise<T> {
  const session = await QuerySession.open(paths);
  try {
    return await fn(session);
  } finally {
    session.close();
  }
}

/** A view's rows as change records (amounts canonical), sorted by event_id for comparison. */
async function rowsOf(session: QuerySession, view: string): Promise<ChangeRecord[]> {
  const { columns, rows } = await session.run(`SELECT * FROM ${view}`);
  return rows
    .map((row) => {
      const o = Object.fromEntries(columns.map((c, i) => [c.name, row[i]])) as Record<string, unknown>;
      return { ...o, amount: canonicalAmount(String(o.amount)) } as unknown as ChangeRecord;
    })
    .sort(byEventId);
}

const byEventId = (a: ChangeRecord, b: ChangeRecord) => (a.event_id < b.event_id ? -1 : a.event_id > b.event_id ? 1 : 0);
const landed = (r: ChangeRecord): ChangeRecord => ({ ...r, amount: canonicalAmount(r.amount) });

function change(
  id: string,
  seq: string,
  event_type: ChangeRecord['event_type'],
  overrides: Partial<ChangeRecord> = {},
): ChangeRecord {
  return {
    schema_version: 1,
    event_id: `evt-${id}-${seq}`,
    event_type,
    sequence_number: seq,
    event_time: '2026-01-31T23:59:58.123Z',
    chargeback_id: id,
    merchant_id: 'merch_001',
    amount: '99.99',
    currency: 'USD',
    reason: 'Product not received',
    status: 'RECEIVED',
    previous_status: event_type === 'INSERT' ? null : 'RECEIVED',
    created_at: '2026-01-31T23:59:58.001Z',
    updated_at: '2026-01-31T23:59:58.123Z',
    ...overrides,
  };
}

describe('chargeback_changes', () => {
  it("has exactly the Avro schema's columns, in order, with DECIMAL(18,4) amounts and UTC timestamps", async () => {
    const expected = [
      ['schema_version', 'INTEGER'],
      ['event_id', 'VARCHAR'],
      ['event_type', 'VARCHAR'],
      ['sequence_number', 'VARCHAR'],
      ['event_time', 'TIMESTAMP WITH TIME ZONE'],
      ['chargeback_id', 'VARCHAR'],
      ['merchant_id', 'VARCHAR'],
      ['amount', 'DECIMAL(18,4)'],
      ['currency', 'VARCHAR'],
      ['reason', 'VARCHAR'],
      ['status', 'VARCHAR'],
      ['previous_status', 'VARCHAR'],
      ['created_at', 'TIMESTAMP WITH TIME ZONE'],
      ['updated_at', 'TIMESTAMP WITH TIME ZONE'],
    ];
    assert.deepEqual(
      CHANGE_COLUMNS.map((c) => c.name),
      [...CHANGE_RECORD_FIELDS],
    );
    const files = await partFiles([change('cb_1', '1', 'INSERT')]);
    for (const paths of [files, []]) {
      for (const view of Object.values(VIEW_NAMES)) {
        const described = await withSession(paths, (s) => s.run(`DESCRIBE ${view}`));
        assert.deepEqual(
          described.rows.map((r) => [r[0], r[1]]),
          expected,
          `${view} over ${paths.length ? 'part files' : 'no files'}`,
        );
      }
    }
  });

  it('returns every landed row of every part file with its exact values', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(landableArb, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 3 }),
        async (groups) => {
          // event_ids must be unique for the comparison's sort to be total.
          const records = groups.flat().map((r, i) => ({ ...r, event_id: `${String(i).padStart(4, '0')}-${r.event_id}` }));
          const regrouped: ChangeRecord[][] = [];
          let at = 0;
          for (const g of groups) {
            regrouped.push(records.slice(at, at + g.length));
            at += g.length;
          }
          const paths = await partFiles(...regrouped);
          const rows = await withSession(paths, (s) => rowsOf(s, VIEW_NAMES.changes));
          assert.deepEqual(rows, records.map(landed).sort(byEventId));
        },
      ),
      { numRuns: 25 },
    );
  });

  it('returns no rows, not an error, when nothing has landed', async () => {
    await withSession([], async (s) => {
      assert.deepEqual((await s.run(`SELECT * FROM ${VIEW_NAMES.changes}`)).rows, []);
      assert.deepEqual((await s.run(`SELECT * FROM ${VIEW_NAMES.current}`)).rows, []);
      const hour = await s.run(
        `SELECT count(*) AS n, sum(amount) AS total FROM ${VIEW_NAMES.changes} WHERE event_time >= TIMESTAMPTZ '2026-01-31 23:00:00+00'`,
      );
      assert.deepEqual(hour.rows, [[0n, null]]);
    });
  });
});

describe('chargebacks_current', () => {
  it('is the change with the highest sequence number of each chargeback, removed chargebacks excluded', async () => {
    // Per chargeback: a few changes with distinct sequence numbers of any length up to 40 digits,
    // sometimes with leading zeros, spread over part files in any order.
    const history = fc
      .tuple(
        fc.uniqueArray(fc.bigInt({ min: 1n, max: 10n ** 40n - 1n }), { minLength: 1, maxLength: 5 }),
        fc.array(landableArb, { minLength: 5, maxLength: 5 }),
        fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
      )
      .map(([seqs, records, pad]) =>
        seqs.map((seq, i) => {
          const digits = seq.toString();
          return { ...records[i]!, sequence_number: pad[i] && digits.length < 40 ? `0${digits}` : digits };
        }),
      );
    await fc.assert(
      fc.asyncProperty(
        fc.array(history, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 3 }),
        async (histories, files) => {
          const records = histories.flatMap((h, c) =>
            h.map((r, i) => ({ ...r, chargeback_id: `cb_${c}`, event_id: `evt-${c}-${i}` })),
          );
          const groups: ChangeRecord[][] = Array.from({ length: files }, () => []);
          for (const [i, r] of records.entries()) groups[(i * 7) % files]!.push(r);
          const expected = histories
            .map((_, c) => {
              const mine = records.filter((r) => r.chargeback_id === `cb_${c}`);
              return mine.reduce((a, b) => (BigInt(b.sequence_number) > BigInt(a.sequence_number) ? b : a));
            })
            .filter((r) => r.event_type !== 'REMOVE')
            .map(landed)
            .sort(byEventId);
          const paths = await partFiles(...groups.filter((g) => g.length > 0));
          assert.deepEqual(await withSession(paths, (s) => rowsOf(s, VIEW_NAMES.current)), expected);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('orders sequence numbers as numbers: 10 after 9, and 40-digit numbers a float would confuse', async () => {
    const big = '1234567890123456789012345678901234567890';
    const bigger = '1234567890123456789012345678901234567891';
    const paths = await partFiles(
      [change('cb_a', '10', 'MODIFY', { status: 'UNDER_REVIEW' }), change('cb_b', bigger, 'MODIFY', { status: 'WON' })],
      [change('cb_a', '9', 'INSERT'), change('cb_b', big, 'MODIFY', { status: 'LOST' }), change('cb_c', '0099', 'INSERT')],
      [change('cb_c', '100', 'REMOVE')],
    );
    const rows = await withSession(paths, (s) =>
      s.run(`SELECT chargeback_id, sequence_number, status FROM ${VIEW_NAMES.current} ORDER BY chargeback_id`),
    );
    assert.deepEqual(rows.rows, [
      ['cb_a', '10', 'UNDER_REVIEW'],
      ['cb_b', bigger, 'WON'],
    ]);
  });

  it('a chargeback filed again after removal is current again', async () => {
    const paths = await partFiles([
      change('cb_r', '1', 'INSERT'),
      change('cb_r', '2', 'REMOVE'),
      change('cb_r', '3', 'INSERT', { amount: '5' }),
    ]);
    const rows = await withSession(paths, (s) => s.run(`SELECT sequence_number, amount FROM ${VIEW_NAMES.current}`));
    assert.deepEqual(rows.rows, [['3', '5.0000']]);
  });

  it('the statement the Athena named query holds creates the same view in DuckDB, over the Glue table name and columns', async () => {
    assert.equal(VIEW_NAMES.changes, CHARGEBACK_CHANGES_TABLE);
    const athenaColumns = new Set(CHANGE_RECORD_GLUE_COLUMNS.map((c) => c.name));
    for (const c of CHANGE_COLUMNS) assert.ok(athenaColumns.has(c.name), `${c.name} is a column of the Glue table`);
    const paths = await partFiles([change('cb_v', '1', 'INSERT'), change('cb_v', '2', 'MODIFY', { status: 'WON' })]);
    const rows = await withSession(paths, async (s) => {
      await s.run(CHARGEBACKS_CURRENT_VIEW_SQL);
      return s.run(`SELECT chargeback_id, sequence_number, status FROM ${VIEW_NAMES.current}`);
    });
    assert.deepEqual(rows.rows, [['cb_v', '2', 'WON']]);
  });

  it('reads only chargeback_changes_all, in standard SQL, so the same text is the Athena view', () => {
    assert.match(CHARGEBACKS_CURRENT_SQL, /FROM chargeback_changes_all c\b/);
    assert.doesNotMatch(CHARGEBACKS_CURRENT_SQL, /FROM chargeback_changes c\b/);
    for (const duckdbOnly of [/\bQUALIFY\b/i, /::/, /read_parquet/i, /\bEXCLUDE\b/i, /\bSELECT \*/i])
      assert.doesNotMatch(CHARGEBACKS_CURRENT_SQL, duckdbOnly);
  });
});

describe('chargeback_changes_all (Athena: consolidated days, then the landing rows of every other day)', () => {
  it('is one text: the change columns from the consolidated table, UNION ALL the landing rows of days it has none of', () => {
    const cols = (q: string) => CHANGE_COLUMNS.map((c) => `${q}.${c.name}`).join(', ');
    assert.equal(
      CHARGEBACK_CHANGES_ALL_SQL,
      `SELECT ${cols('c')}\nFROM chargeback_changes_consolidated c\nUNION ALL\nSELECT ${cols('l')}\nFROM chargeback_changes l\n` +
        'WHERE l.day NOT IN (SELECT DISTINCT k.day FROM chargeback_changes_consolidated k)',
    );
    assert.equal(
      CHARGEBACK_CHANGES_ALL_VIEW_SQL,
      `CREATE OR REPLACE VIEW chargeback_changes_all AS\n${CHARGEBACK_CHANGES_ALL_SQL}`,
    );
    assert.equal(CONSOLIDATED_CHANGES_TABLE, 'chargeback_changes_consolidated');
    for (const duckdbOnly of [/\bQUALIFY\b/i, /::/, /read_parquet/i, /\bEXCLUDE\b/i, /\bSELECT \*/i])
      assert.doesNotMatch(CHARGEBACK_CHANGES_ALL_SQL, duckdbOnly);
  });

  it('counts each change once over tables shaped like the two Glue tables, and the current view reads it', async () => {
    // Landing: 2026-01-31 (consolidated too, same rows) and 2026-02-01 (not consolidated).
    const [day1, day2] = await partFiles(
      [change('cb_a', '1', 'INSERT'), change('cb_a', '2', 'MODIFY', { status: 'WON', amount: '10' })],
      [change('cb_b', '3', 'INSERT', { amount: '0.01' })],
    );
    const instance = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false' });
    const c = await instance.connect();
    try {
      // The Glue tables' shape: the change columns, then the partition columns.
      await c.run(
        `CREATE TABLE ${VIEW_NAMES.changes} AS SELECT *, '2026-01-31' AS day, 23 AS hour FROM ${readParquetSql([day1!])} ` +
          `UNION ALL SELECT *, '2026-02-01' AS day, 0 AS hour FROM ${readParquetSql([day2!])}`,
      );
      await c.run(`CREATE TABLE ${CONSOLIDATED_CHANGES_TABLE} AS SELECT *, '2026-01-31' AS day FROM ${readParquetSql([day1!])}`);
      await c.run(CHARGEBACK_CHANGES_ALL_VIEW_SQL);
      await c.run(CHARGEBACKS_CURRENT_VIEW_SQL);
      const totals = await c.runAndReadAll(`SELECT count(*), CAST(sum(amount) AS VARCHAR) FROM ${VIEW_NAMES.all}`);
      assert.deepEqual(totals.getRows(), [[3n, '110.0000']]);
      const columns = await c.runAndReadAll(`SELECT * FROM ${VIEW_NAMES.all} LIMIT 0`);
      assert.deepEqual(
        columns.columnNames(),
        CHANGE_COLUMNS.map((col) => col.name),
      );
      const current = await c.runAndReadAll(`SELECT chargeback_id, status FROM ${VIEW_NAMES.current} ORDER BY chargeback_id`);
      assert.deepEqual(current.getRows(), [
        ['cb_a', 'WON'],
        ['cb_b', 'RECEIVED'],
      ]);
    } finally {
      c.closeSync();
      instance.closeSync();
    }
  });
});
