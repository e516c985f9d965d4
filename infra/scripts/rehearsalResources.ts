/**
 * rehearse-test-aws.sh's table and bucket, in the running local stack (AWS_ENDPOINT_URL):
 * - `create`: a table and a bucket with names that are not the stack's defaults, made by the
 *   same ensure functions as `stack up` (so the same key schema and NEW_AND_OLD_IMAGES stream),
 *   then a snapshot of the default and given tables and buckets, written to <snapshot>;
 * - `check`: after the suite, what changed since that snapshot (rehearsalIsolation.ts): the run's
 *   chargebacks are in the given table and landed in the given bucket, and nothing was added to
 *   the default table or bucket. Exits 1 listing every problem.
 *
 *   node --import tsx infra/scripts/rehearsalResources.ts create|check <table> <bucket> <snapshot>
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { DynamoDBClient, paginateScan } from '@aws-sdk/client-dynamodb';
import { paginateListObjectsV2, S3Client } from '@aws-sdk/client-s3';
import { ensureBucket, ensureTable } from '../../localstack/awsResources.ts';
import { LocalNames } from '../../localstack/config.ts';
import { awsClientConfigFromEnv } from '../../pipeline/aws/index.ts';
import { LandingZone } from '../../pipeline/reconcile/index.ts';
import { isolationReport, type IsolationSnapshot } from './rehearsalIsolation.ts';

const [action, givenTable, givenBucket, snapshotFile] = process.argv.slice(2);
if ((action !== 'create' && action !== 'check') || !givenTable || !givenBucket || !snapshotFile) {
  console.error('usage: rehearsalResources.ts create|check <table> <bucket> <snapshot>');
  process.exit(2);
}
if (givenTable === LocalNames.table || givenBucket === LocalNames.bucket) {
  console.error(
    `rehearsalResources: the given table and bucket must not be the defaults (${LocalNames.table}, ${LocalNames.bucket})`,
  );
  process.exit(2);
}
if (!process.env.AWS_ENDPOINT_URL) {
  console.error('rehearsalResources: AWS_ENDPOINT_URL is required (the local stack); nothing is created in an account');
  process.exit(2);
}

const aws = awsClientConfigFromEnv();
const ddb = new DynamoDBClient(aws);
const s3 = new S3Client(aws);
const names = { defaultTable: LocalNames.table, givenTable, defaultBucket: LocalNames.bucket, givenBucket };

async function chargebackIds(table: string): Promise<string[]> {
  const ids: string[] = [];
  const pages = paginateScan({ client: ddb }, { TableName: table, ProjectionExpression: 'chargeback_id', ConsistentRead: true });
  for await (const page of pages) for (const item of page.Items ?? []) if (item.chargeback_id?.S) ids.push(item.chargeback_id.S);
  return ids;
}

/** Every key, not only landing/: the writer's state objects would show a misdirected writer too. */
async function objectKeys(bucket: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket }))
    for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
  return keys;
}

async function snapshot(): Promise<IsolationSnapshot> {
  const [defaultTable, table, defaultBucket, bucket] = await Promise.all([
    chargebackIds(names.defaultTable),
    chargebackIds(givenTable!),
    objectKeys(names.defaultBucket),
    objectKeys(givenBucket!),
  ]);
  return { defaultTable, givenTable: table, defaultBucket, givenBucket: bucket };
}

if (action === 'create') {
  const table = await ensureTable(ddb, givenTable);
  await ensureBucket(s3, givenBucket, aws.region);
  writeFileSync(snapshotFile, `${JSON.stringify(await snapshot())}\n`);
  console.log(`rehearsal: table ${table.name} (stream ${table.streamArn}) and bucket ${givenBucket} ready`);
} else {
  const before = JSON.parse(readFileSync(snapshotFile, 'utf8')) as IsolationSnapshot;
  const after = await snapshot();
  const landed = (await new LandingZone(givenBucket).rows()).map((r) => r.row.chargeback_id);
  const r = isolationReport(names, before, after, landed);
  console.log(
    `rehearsal: chargebacks written to ${givenTable}: ${r.written.length}, landed in ${givenBucket}: ${r.landed.length}; ` +
      `new in ${names.defaultTable}: ${r.newDefaultItems.length}, new objects in ${names.defaultBucket}: ${r.newDefaultObjects.length}`,
  );
  if (r.problems.length) {
    console.error(`rehearsal: the run did not stay on the table and bucket it was given: ${r.problems.join('; ')}`);
    process.exit(1);
  }
}
