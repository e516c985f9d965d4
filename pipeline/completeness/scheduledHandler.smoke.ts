/**
 * Smoke check of the hour closer's Lambda bundle (infra/lambdas/hour-closer.ts, built by esbuild as
 * at synth and loaded as the Lambda runtime loads it) against the local stack, real moto and Kafka:
 * a part file in the hour two hours ago under a prefix of its own, then two passes (the second
 * closes nothing), then what it put is deleted. Needs the stack lock:
 *
 *   flock /tmp/cdc-stack.lock sh -c 'node bin/chargeback-cdc.js stack up && node --import tsx pipeline/completeness/scheduledHandler.smoke.ts; node bin/chargeback-cdc.js stack down'
 */
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutObjectCommand, S3Client, ListObjectsV2Command, DeleteObjectsCommand } from '@aws-sdk/client-s3';
import { bundleLambda } from '../../infra/bundle/bundleLambda.ts';
import { writeParquetFile } from '../parquet-writer/index.ts';
import { toParquetRow } from '../schema/index.ts';
import { changeRecord } from '../../fixtures/changeRecords.ts';

const env = {
  AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  KAFKA_BROKERS: '127.0.0.1:9092',
  KAFKA_AUTH: 'plaintext',
  LANDING_BUCKET: 'chargeback-cdc-landing',
  LANDING_PREFIX: 'hc-smoke/landing/',
  WRITER_GROUP_ID: 'hc-smoke-group',
  KAFKA_TOPIC: 'chargebacks',
  CLOSER_GRACE_MS: '30000',
  CLOSER_STATE_KEY: '_state/completeness/hc-smoke-group/chargebacks/closer.json',
};
Object.assign(process.env, env);
const s3 = new S3Client({ region: 'us-east-1', endpoint: env.AWS_ENDPOINT_URL, forcePathStyle: true });
const hourMs = 3600_000;
const h = new Date(Math.floor(Date.now() / hourMs) * hourMs - 2 * hourMs).toISOString();
const hour = `${h.slice(0, 10)}/${h.slice(11, 13)}`;
const records = [changeRecord(0, { amount: '12.3400', currency: 'USD' }), changeRecord(1, { amount: '0.0100', currency: 'USD' })];
await s3.send(
  new PutObjectCommand({
    Bucket: env.LANDING_BUCKET,
    Key: `${env.LANDING_PREFIX}${hour}/part-0-0000000000-0000000001.parquet`,
    Body: writeParquetFile(records.map(toParquetRow)),
  }),
);
const b = bundleLambda({
  entry: path.join(import.meta.dirname, '../../infra/lambdas/hour-closer.ts'),
  outdir: path.join(tmpdir(), 'chargeback-cdc-hour-closer-smoke'),
});
const { handler } = await import(path.join(b.outdir, 'index.mjs'));
const t0 = performance.now();
const r1 = await handler({ scheduledTime: new Date().toISOString() });
const t1 = performance.now();
const r2 = await handler({});
const t2 = performance.now();
console.log('RESULT1', JSON.stringify(r1), `${Math.round(t1 - t0)} ms`);
console.log('RESULT2', JSON.stringify(r2), `${Math.round(t2 - t1)} ms`);
const marker = await s3.send(new ListObjectsV2Command({ Bucket: env.LANDING_BUCKET, Prefix: `${env.LANDING_PREFIX}${hour}/` }));
console.log('KEYS', (marker.Contents ?? []).map((o) => o.Key).join(' '));
// Clean up what the smoke put.
const all = await s3.send(new ListObjectsV2Command({ Bucket: env.LANDING_BUCKET, Prefix: 'hc-smoke/' }));
const st = [{ Key: env.CLOSER_STATE_KEY }, ...(all.Contents ?? []).map((o) => ({ Key: o.Key! }))];
await s3.send(new DeleteObjectsCommand({ Bucket: env.LANDING_BUCKET, Delete: { Objects: st } }));
process.exit(0);
