import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  waitUntilTableExists,
  waitUntilTableNotExists,
  type DynamoDBClient,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  HeadBucketCommand,
  ListObjectVersionsCommand,
  type BucketLocationConstraint,
  type S3Client,
} from '@aws-sdk/client-s3';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  QueueDoesNotExist,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { ResourceMismatchError } from './errors.ts';

const WAIT_SECONDS = 60;

export interface TableInfo {
  name: string;
  arn: string;
  /** The stream the event source mapping reads; it changes whenever the table is re-created. */
  streamArn: string;
}

/** Table keyed by `chargeback_id` (S), on-demand, with a NEW_AND_OLD_IMAGES stream; waits until ACTIVE. */
export async function ensureTable(ddb: DynamoDBClient, name: string): Promise<TableInfo> {
  let table = await describeTable(ddb, name);
  if (!table) {
    try {
      await ddb.send(
        new CreateTableCommand({
          TableName: name,
          AttributeDefinitions: [{ AttributeName: 'chargeback_id', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'chargeback_id', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
        }),
      );
    } catch (e) {
      // Another process created it between our describe and create: that is the outcome we wanted.
      if (!(e instanceof ResourceInUseException)) throw e;
    }
  }
  if (table?.TableStatus !== 'ACTIVE') {
    await waitUntilTableExists({ client: ddb, maxWaitTime: WAIT_SECONDS }, { TableName: name });
    table = await describeTable(ddb, name);
  }
  const key = table?.KeySchema?.[0];
  const stream = table?.StreamSpecification;
  if (
    key?.AttributeName !== 'chargeback_id' ||
    !stream?.StreamEnabled ||
    stream.StreamViewType !== 'NEW_AND_OLD_IMAGES' ||
    !table?.LatestStreamArn
  ) {
    throw new ResourceMismatchError(
      `DynamoDB table ${name} exists but is not keyed by chargeback_id with a NEW_AND_OLD_IMAGES stream: delete it so it is re-created (locally: stack down && stack up)`,
    );
  }
  return { name, arn: table.TableArn ?? '', streamArn: table.LatestStreamArn };
}

async function describeTable(ddb: DynamoDBClient, name: string): Promise<TableDescription | undefined> {
  try {
    return (await ddb.send(new DescribeTableCommand({ TableName: name }))).Table;
  } catch (e) {
    if (e instanceof ResourceNotFoundException) return undefined;
    throw e;
  }
}

export async function deleteTable(ddb: DynamoDBClient, name: string): Promise<void> {
  try {
    await ddb.send(new DeleteTableCommand({ TableName: name }));
  } catch (e) {
    if (e instanceof ResourceNotFoundException) return;
    throw e;
  }
  await waitUntilTableNotExists({ client: ddb, maxWaitTime: WAIT_SECONDS }, { TableName: name });
}

/** The landing bucket. us-east-1 takes no LocationConstraint; every other region needs one. */
export async function ensureBucket(s3: S3Client, name: string, region: string): Promise<void> {
  if (await bucketExists(s3, name)) return;
  try {
    const location =
      region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } };
    await s3.send(new CreateBucketCommand({ Bucket: name, ...location }));
  } catch (e) {
    // Created by a concurrent `ensure` between our HeadBucket and CreateBucket: fine.
    if ((e as Error).name !== 'BucketAlreadyOwnedByYou') throw e;
  }
}

async function bucketExists(s3: S3Client, name: string): Promise<boolean> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: name }));
    return true;
  } catch (e) {
    if ((e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
    throw e;
  }
}

/** Empties (every version, in pages of 1000) and deletes the bucket. */
export async function deleteBucket(s3: S3Client, name: string): Promise<void> {
  if (!(await bucketExists(s3, name))) return;
  for (;;) {
    const page = await s3.send(new ListObjectVersionsCommand({ Bucket: name, MaxKeys: 1000 }));
    const objects = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map((o) => ({
      Key: o.Key ?? '',
      VersionId: o.VersionId,
    }));
    if (objects.length === 0) break;
    await s3.send(new DeleteObjectsCommand({ Bucket: name, Delete: { Objects: objects, Quiet: true } }));
  }
  await s3.send(new DeleteBucketCommand({ Bucket: name }));
}

export interface QueueInfo {
  name: string;
  url: string;
  arn: string;
}

/** The stream-processor's on-failure destination. CreateQueue is idempotent for identical attributes. */
export async function ensureQueue(sqs: SQSClient, name: string): Promise<QueueInfo> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  if (!QueueUrl) throw new Error(`SQS CreateQueue ${name} returned no QueueUrl`);
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return { name, url: QueueUrl, arn: Attributes?.QueueArn ?? '' };
}

export async function deleteQueue(sqs: SQSClient, name: string): Promise<void> {
  try {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
    await sqs.send(new DeleteQueueCommand({ QueueUrl }));
  } catch (e) {
    if (e instanceof QueueDoesNotExist) return;
    throw e;
  }
}
