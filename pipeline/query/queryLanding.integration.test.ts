import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, DeleteObjectCommand, HeadBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { writeParquetFile } from '../parquet-writer/index.ts';
import { toParquetRow, type ChangeRecord } from '../schema/index.ts';
import { LandingFetchError } from './errors.ts';
import { queryLanding } from './queryLanding.ts';

/**
 * `queryLanding` against the local stack's S3 (moto on AWS_ENDPOINT_URL, default
 * http://127.0.0.1:4566; start it with `chargeback-cdc stack up`). Each run writes under its own
 * prefix and removes it after.
 */
const bucket = process.env.LANDING_BUCKET ?? 'chargeback-cdc-landing';
const s3 = new S3Client({
  region: process.env.AWS_REGION ?? 'us-east-1',
  endpoint: process.env.AWS_ENDPOINT_URL ?? 'http://127.0.0.1:4566',
  forcePathStyle: true,
  credentials: {
    accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'test',
    secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'test',
  },
  maxAttempts: 2,
});
const root = `it/query-${randomUUID().slice(0, 8)}/`;
const prefix = `${root}landing/chargebacks/`;
const written: string[] = [];
let tempRoot: string;

function change(id: string, seq: string, event_type: ChangeRecord['event_type'], status: ChangeRecord['status']): ChangeRecord {
  return {
    schema_version: 1,
    event_id: `evt-${id}-${seq}`,
    event_type,
    sequence_number: seq,
    event_time: '2026-01-31T23:59:58.123Z',
    chargeback_id: id,
    merchant_id: 'merch_it',
    amount: '12.345',
    currency: 'KWD',
    reason: 'Credit not processed',
    status,
    previous_status: event_type === 'INSERT' ? null : 'RECEIVED',
    created_at: '2026-01-31T23:59:58.001Z',
    updated_at: '2026-01-31T23:59:58.123Z',
  };
}

async function put(key: string, body: Uint8Array | string) {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  written.push(key);
}

before(async () => {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch (e) {
    if ((e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== 404)
      throw new Error(`local stack not reachable (${(e as Error).message}): start it with \`chargeback-cdc stack up\``);
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  }
  tempRoot = await mkdtemp(join(tmpdir(), 'query-it-'));
  const file = (rows: ChangeRecord[]) => writeParquetFile(rows.map(toParquetRow));
  await put(`${prefix}2026-01-31/23/part-0-0000000000-0000000001.parquet`, file([change('cb_1', '100', 'INSERT', 'RECEIVED')]));
  await put(
    `${prefix}2026-01-31/23/part-1-0000000000-0000000001.parquet`,
    file([change('cb_2', '200', 'INSERT', 'RECEIVED'), change('cb_2', '300', 'REMOVE', 'RECEIVED')]),
  );
  await put(
    `${prefix}2026-02-01/00/part-0-0000000002-0000000002.parquet`,
    file([change('cb_1', '1000', 'MODIFY', 'UNDER_REVIEW')]),
  );
  // What a reader must never see: Flink's in-progress file, the embedded writer's staging and
  // state, a completeness marker. Real Parquet bytes, so reading one would change the answer.
  const ghost = file([change('cb_ghost', '1', 'INSERT', 'RECEIVED')]);
  await put(`${prefix}2026-02-01/00/.part-0-3.parquet.inprogress.8c1f`, ghost);
  await put(`${prefix}_writer/pending/2026-02-01/00/part-0-0000000003-0000000003.parquet`, ghost);
  await put(`${prefix}_state/partition-0.json`, '{"offset":"3"}');
  await put(`${prefix}2026-01-31/23/_SUCCESS`, '');
});

after(async () => {
  for (const key of written) await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  await rm(tempRoot, { recursive: true, force: true });
  s3.destroy();
});

describe('queryLanding on the local stack', () => {
  it('reads only committed part files, and both views see them', async () => {
    const progress: string[] = [];
    const changes = await queryLanding(
      s3,
      { bucket, prefix },
      'SELECT chargeback_id, sequence_number, event_type, amount FROM chargeback_changes ORDER BY event_id',
      { tempRoot, onProgress: (l) => progress.push(l) },
    );
    assert.deepEqual(changes.rows, [
      ['cb_1', '100', 'INSERT', '12.3450'],
      ['cb_1', '1000', 'MODIFY', '12.3450'],
      ['cb_2', '200', 'INSERT', '12.3450'],
      ['cb_2', '300', 'REMOVE', '12.3450'],
    ]);
    assert.match(progress[0]!, /^fetching 3 committed file\(s\)/);
    const current = await queryLanding(s3, { bucket, prefix }, 'SELECT chargeback_id, status FROM chargebacks_current', {
      tempRoot,
    });
    assert.deepEqual(current.rows, [['cb_1', 'UNDER_REVIEW']]);
  });

  it('an hour with no data gives no rows, not an error', async () => {
    const r = await queryLanding(s3, { bucket, prefix: `${prefix}2026-02-01/05/` }, 'SELECT * FROM chargebacks_current', {
      tempRoot,
    });
    assert.deepEqual(r.rows, []);
    assert.equal(r.columns.length, 14);
  });

  it('leaves no downloaded file behind, also when the SQL fails after the download', async () => {
    await assert.rejects(queryLanding(s3, { bucket, prefix }, 'SELECT amout FROM chargeback_changes', { tempRoot }), /amout/);
    assert.deepEqual(await readdir(tempRoot), []);
  });

  it('a bucket that does not exist is a clear error, not an empty result', async () => {
    await assert.rejects(
      queryLanding(s3, { bucket: `no-such-bucket-${randomUUID().slice(0, 8)}`, prefix }, 'SELECT 1', { tempRoot }),
      (e: unknown) => e instanceof LandingFetchError && /bucket does not exist/.test(e.message),
    );
  });
});
