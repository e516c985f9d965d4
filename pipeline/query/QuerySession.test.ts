import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidSqlError } from './errors.ts';
import { checkSql, oneLine, QuerySession } from './QuerySession.ts';

// A machine zone far from UTC, so the UTC test below means something on a UTC machine too
// (DuckDB takes its default TimeZone from TZ when an instance is created).
// test-isolation: own-process (the zone would hold for every test file sharing the process).
process.env.TZ = 'Asia/Tokyo';

async function run(sql: string) {
  const session = await QuerySession.open([]);
  try {
    return await session.run(sql);
  } finally {
    session.close();
  }
}

async function refusal(p: Promise<unknown>): Promise<InvalidSqlError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof InvalidSqlError, `expected InvalidSqlError, got ${e}`);
    assert.equal(e.code, 'QUERY_SQL');
    assert.doesNotMatch(e.message, /\n/, 'the message is one line');
    return e;
  }
  assert.fail('the query was not refused');
}

describe('QuerySession', () => {
  it('refuses a syntax error with one line naming the token, before any file is read', async () => {
    const e = await refusal(checkSql('SELEC * FROM chargeback_changes'));
    assert.equal(e.message, 'SQL error: Parser Error: syntax error at or near "SELEC"');
  });

  it('refuses an unknown column naming it and the columns there are', async () => {
    const e = await refusal(run('SELECT amout FROM chargeback_changes'));
    assert.match(e.message, /^SQL error: Binder Error: Referenced column "amout" not found/);
    assert.match(e.message, /"amount"/, 'DuckDB suggests the column meant');
  });

  it('refuses an unknown table with the view it probably meant', async () => {
    const e = await refusal(run('SELECT * FROM chargebacks_curent'));
    assert.match(e.message, /Table with name chargebacks_curent does not exist.*chargebacks_current/);
  });

  it('refuses an empty query and a script of several statements', async () => {
    assert.equal((await refusal(checkSql('  -- nothing\n ;'))).message, 'SQL error: the query is empty');
    assert.equal(
      (await refusal(checkSql('SELECT 1; SELECT 2'))).message,
      'SQL error: give exactly one statement; this query has 2',
    );
    assert.deepEqual((await run('SELECT 1 AS one;')).rows, [[1]], 'a trailing semicolon is one statement');
  });

  it('keeps money exact: sums and products of DECIMAL amounts are DECIMAL text, never a float', async () => {
    const r = await run(
      'SELECT sum(a) AS total, CAST(0.1 AS DECIMAL(18,4)) * 3 AS triple FROM (VALUES (CAST(0.1 AS DECIMAL(18,4))), (CAST(0.2 AS DECIMAL(18,4)))) t(a)',
    );
    assert.deepEqual(r.rows, [['0.3000', '0.3000']]);
    assert.deepEqual(
      r.columns.map((c) => c.type),
      ['DECIMAL(38,4)', 'DECIMAL(18,4)'],
    );
  });

  it('runs in UTC whatever the machine zone (TZ=Asia/Tokyo here): hours truncate and print in UTC', async () => {
    const r = await run(
      "SELECT current_setting('TimeZone') AS tz, date_trunc('hour', TIMESTAMPTZ '2026-01-31 23:59:58.123+00') AS hour, CAST(TIMESTAMPTZ '2026-02-01 01:30:00+02' AS VARCHAR) AS text",
    );
    assert.deepEqual(r.rows, [['UTC', '2026-01-31T23:00:00.000Z', '2026-01-31 23:30:00+00']]);
  });

  it('never downloads an extension: a query that needs one fails at once with the reason', async () => {
    const e = await refusal(run("SELECT * FROM read_parquet('s3://chargeback-cdc-landing/x.parquet')"));
    assert.match(e.message, /httpfs/);
  });
});

describe('oneLine', () => {
  it('drops the source excerpt and caret, keeps the hints', () => {
    assert.equal(
      oneLine(
        new Error(
          'Binder Error: Referenced column "x" not found!\nCandidate bindings: "y"\n\nLINE 1: SELECT x\n               ^',
        ),
      ),
      'Binder Error: Referenced column "x" not found! Candidate bindings: "y"',
    );
  });
});
