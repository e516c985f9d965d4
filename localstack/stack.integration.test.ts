import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DescribeTableCommand, DynamoDBClient, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { eventually } from '../fixtures/eventually.ts';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { isAlive, sleep } from './DetachedProcess.ts';
import {
  loadStackConfig,
  LocalNames,
  localAwsClientConfig,
  resetResources,
  stackDown,
  stackStatus,
  stackUp,
  startKafka,
  stopKafka,
  type StackInfo,
  type StackStateMismatchError,
} from './index.ts';

const execFileAsync = promisify(execFile);
const CLI = fileURLToPath(new URL('../bin/chargeback-cdc.js', import.meta.url));

/*
 * Really starts the native stack (moto + Apache Kafka) on 4566/9092/9093. The first run on a machine
 * installs moto into the venv and fetches the Kafka jars (needs PyPI and Maven Central). A stack that
 * was already up before the test is reused and left up, and then the destructive checks (reset,
 * broker restart, broker and moto crashes) are skipped: that stack belongs to someone else's run. STACK_TEST_DESTRUCTIVE=1
 * forces them. A stack the test started is stopped at the end.
 */
const cfg = loadStackConfig({ ...process.env, LOCAL_STACK: 'native' });
const aws = localAwsClientConfig(cfg);
const quiet = () => undefined;
/** A topic of the test's own, so a shared stack's pipeline never sees the test's records. */
const TEST_TOPIC = 'localstack-integration-test';

describe('native local stack', { timeout: 600_000 }, () => {
  let first: StackInfo;
  /** Why a destructive check must not run, or undefined when the stack is ours to wipe. */
  const notOurs = () =>
    first.reused && process.env.STACK_TEST_DESTRUCTIVE !== '1'
      ? 'the stack was already up (someone else may be using it)'
      : undefined;
  const kafka = new Kafka({ clientId: 'stack-integration-test', brokers: cfg.kafkaBrokers, logLevel: logLevel.NOTHING });

  before(async () => {
    first = await stackUp({ backend: 'native', onProgress: (line) => console.log(`  [stack] ${line}`) });
  });

  after(async () => {
    if (!first) return;
    const admin = kafka.admin();
    await admin.connect();
    try {
      if ((await admin.listTopics()).includes(TEST_TOPIC)) await admin.deleteTopics({ topics: [TEST_TOPIC] });
    } finally {
      await admin.disconnect();
    }
    if (!first.reused) await stackDown({ backend: 'native', onProgress: quiet });
  });

  it('comes up healthy on the contract endpoints, reporting timings', async (t) => {
    t.diagnostic(`first stackUp took ${first.tookMs} ms (reused: ${first.reused})`);
    assert.equal(first.backend, 'native');
    assert.equal(first.awsEndpoint, 'http://127.0.0.1:4566');
    assert.deepEqual(first.kafkaBrokers, ['127.0.0.1:9092']);
    const status = await stackStatus({ backend: 'native' });
    assert.deepEqual(
      status.services.map((s) => [s.service, s.state, s.healthy]),
      [
        ['moto', 'up', true],
        ['kafka', 'up', true],
      ],
    );
  });

  it('reuses the running stack on a second stackUp', async (t) => {
    const again = await stackUp({ backend: 'native', onProgress: quiet });
    t.diagnostic(`warm stackUp took ${again.tookMs} ms`);
    assert.equal(again.reused, true);
    assert.equal(again.services.find((s) => s.service === 'moto')?.pid, first.services.find((s) => s.service === 'moto')?.pid);
  });

  it('creates the table with a NEW_AND_OLD_IMAGES stream, the bucket and the DLQ queue', async () => {
    const ddb = new DynamoDBClient(aws);
    const { Table } = await ddb.send(new DescribeTableCommand({ TableName: LocalNames.table }));
    assert.equal(Table?.TableStatus, 'ACTIVE');
    assert.deepEqual(Table?.KeySchema, [{ AttributeName: 'chargeback_id', KeyType: 'HASH' }]);
    assert.equal(Table?.StreamSpecification?.StreamViewType, 'NEW_AND_OLD_IMAGES');
    assert.ok(Table?.LatestStreamArn);
    const streams = new DynamoDBStreamsClient(aws);
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: Table.LatestStreamArn }));
    assert.equal(StreamDescription?.StreamStatus, 'ENABLED');
    await new S3Client(aws).send(new HeadBucketCommand({ Bucket: LocalNames.bucket }));
    const { QueueUrl } = await new SQSClient(aws).send(new GetQueueUrlCommand({ QueueName: LocalNames.streamDlqQueue }));
    assert.equal(QueueUrl, first.resources.streamDlq.url);
  });

  it('creates both topics with 3 partitions', async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [LocalNames.topic, LocalNames.dlqTopic] });
      for (const topic of topics) assert.equal(topic.partitions.length, 3, topic.name);
    } finally {
      await admin.disconnect();
    }
  });

  it('carries a record from an idempotent producer to a consumer group that commits it', async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic: TEST_TOPIC, numPartitions: 3, replicationFactor: 1 }], waitForLeaders: true });
    } finally {
      await admin.disconnect();
    }
    const received = await produceAndConsumeOne(kafka, 'cb-1', 'stack-integration-test');
    assert.equal(received.key, 'cb-1');
    assert.equal(received.value, 'hello');
  });

  it('resets to empty resources: no items, a new stream, empty topics', async (t) => {
    if (notOurs()) return t.skip(notOurs());
    const ddb = new DynamoDBClient(aws);
    await ddb.send(new PutItemCommand({ TableName: LocalNames.table, Item: { chargeback_id: { S: 'cb-reset' } } }));
    const report = await resetResources(cfg);
    t.diagnostic(`resetResources took ${report.tookMs} ms (AWS ${report.awsMs} ms, Kafka ${report.kafkaMs} ms)`);
    const { Count } = await ddb.send(new ScanCommand({ TableName: LocalNames.table }));
    assert.equal(Count, 0);
    assert.notEqual(report.resources.table.streamArn, first.resources.table.streamArn);
    const admin = kafka.admin();
    await admin.connect();
    try {
      // A re-created topic can answer NOT_LEADER or UNKNOWN_TOPIC_OR_PARTITION to ListOffsets for
      // a moment after its leaders show in metadata (KRaft applies the change asynchronously):
      // clients retry; so does this check, then asserts that the log starts empty.
      const offsets = await eventually(`ListOffsets on the re-created ${LocalNames.topic}`, 20_000, () =>
        admin.fetchTopicOffsets(LocalNames.topic),
      );
      assert.deepEqual(
        offsets.map((o) => o.high),
        ['0', '0', '0'],
      );
    } finally {
      await admin.disconnect();
    }
  });

  it('stops and restarts the broker alone, keeping its topics and records', async (t) => {
    if (notOurs()) return t.skip(notOurs());
    await produceAndConsumeOne(kafka, 'cb-2', 'stack-integration-restart');
    await stopKafka({ backend: 'native', onProgress: quiet });
    const down = await stackStatus({ backend: 'native' });
    assert.deepEqual(
      down.services.map((s) => [s.service, s.state]),
      [
        ['moto', 'up'],
        ['kafka', 'down'],
      ],
    );
    const t0 = Date.now();
    const kafkaStatus = await startKafka({ backend: 'native', onProgress: quiet });
    t.diagnostic(`startKafka on existing data took ${Date.now() - t0} ms`);
    assert.equal(kafkaStatus.healthy, true);
    const admin = kafka.admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(TEST_TOPIC);
      assert.equal(
        offsets.reduce((n, o) => n + Number(o.high), 0),
        2,
        'both records written before the restart are still there',
      );
    } finally {
      await admin.disconnect();
    }
  });

  it('stack up after the broker is SIGKILLed starts it on its data, without re-formatting', async (t) => {
    if (notOurs()) return t.skip(notOurs());
    await produceAndConsumeOne(kafka, 'cb-3', 'stack-integration-kill');
    const before = await endOffsets(kafka, TEST_TOPIC);
    assert.ok(before.reduce((n, o) => n + o, 0) > 0, 'the test topic holds records before the kill');
    await sigkill(await servicePid('kafka'));
    const lines: string[] = [];
    const t0 = Date.now();
    const again = await stackUp({ backend: 'native', onProgress: (line) => lines.push(line) });
    t.diagnostic(`stackUp after a broker SIGKILL took ${Date.now() - t0} ms: ${lines.join(' | ')}`);
    assert.equal(again.reused, false);
    assert.ok(
      lines.some((l) => /Kafka broker restarted on its existing data/.test(l)),
      `no restart notice in: ${lines.join(' | ')}`,
    );
    assert.ok(!lines.some((l) => /format/i.test(l)), `stack up re-formatted: ${lines.join(' | ')}`);
    assert.deepEqual(await endOffsets(kafka, TEST_TOPIC), before, 'every partition keeps its end offset');
    const keys = await readAllKeys(kafka, TEST_TOPIC);
    for (const key of ['cb-1', 'cb-2', 'cb-3']) assert.ok(keys.includes(key), `${key} is still on the topic (have ${keys})`);
  });

  it('stack up refuses to start moto empty beside Kafka records, and says what to run', async (t) => {
    if (notOurs()) return t.skip(notOurs());
    await sigkill(await servicePid('moto'));
    await assert.rejects(stackUp({ backend: 'native', onProgress: quiet }), (e: Error) => {
      assert.equal((e as StackStateMismatchError).code, 'LOCALSTACK_STATE_MISMATCH');
      assert.match(e.message, new RegExp(`holds records of .*${TEST_TOPIC}`));
      assert.match(e.message, /stack reset/);
      return true;
    });
    const status = await stackStatus({ backend: 'native' });
    assert.deepEqual(
      status.services.map((s) => [s.service, s.state]),
      [
        ['moto', 'down'],
        ['kafka', 'up'],
      ],
      'nothing was started or stopped',
    );
  });

  it('`stack reset` re-formats Kafka storage, says so in one line, and starts both halves empty', async (t) => {
    if (notOurs()) return t.skip(notOurs());
    const t0 = Date.now();
    const { stdout, stderr } = await execFileAsync(process.execPath, [CLI, 'stack', 'reset'], {
      env: { ...process.env, LOCAL_STACK: 'native' },
    });
    t.diagnostic(`stack reset took ${Date.now() - t0} ms:\n${stderr}${stdout}`);
    const notices = stderr.split('\n').filter((l) => /re-format/.test(l));
    assert.equal(notices.length, 1, `one re-format notice, got: ${stderr}`);
    assert.match(notices[0]!, new RegExp(`dropping .*${TEST_TOPIC}`));
    assert.match(stdout, /stack is up and empty/);
    const admin = kafka.admin();
    await admin.connect();
    try {
      assert.ok(!(await admin.listTopics()).includes(TEST_TOPIC), 'the test topic went with the storage');
    } finally {
      await admin.disconnect();
    }
    assert.deepEqual(await endOffsets(kafka, LocalNames.topic), [0, 0, 0]);
    const { Count } = await new DynamoDBClient(aws).send(new ScanCommand({ TableName: LocalNames.table }));
    assert.equal(Count, 0);
  });
});

async function servicePid(service: 'moto' | 'kafka'): Promise<number> {
  const pid = (await stackStatus({ backend: 'native' })).services.find((s) => s.service === service)?.pid;
  assert.ok(pid, `${service} has a pid`);
  return pid;
}

/** A crash: no shutdown hooks, no flush beyond what the process already wrote. */
async function sigkill(pid: number): Promise<void> {
  process.kill(pid, 'SIGKILL');
  while (isAlive(pid)) await sleep(50);
}

async function endOffsets(kafka: Kafka, topic: string): Promise<number[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).sort((a, b) => a.partition - b.partition).map((o) => Number(o.high));
  } finally {
    await admin.disconnect();
  }
}

/** Every key on the topic, read from the beginning by a throwaway group. */
async function readAllKeys(kafka: Kafka, topic: string): Promise<string[]> {
  const total = (await endOffsets(kafka, topic)).reduce((n, o) => n + o, 0);
  const consumer = kafka.consumer({ groupId: `stack-integration-read-${crypto.randomUUID()}` });
  const keys: string[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void keys.push(message.key?.toString() ?? '') });
    const deadline = Date.now() + 30_000;
    while (keys.length < total && Date.now() < deadline) await sleep(100);
  } finally {
    await consumer.disconnect();
  }
  return keys;
}

async function produceAndConsumeOne(kafka: Kafka, key: string, groupId: string): Promise<{ key: string; value: string }> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  await producer.send({ topic: TEST_TOPIC, acks: -1, messages: [{ key, value: 'hello' }] });
  await producer.disconnect();

  const consumer = kafka.consumer({ groupId });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: TEST_TOPIC, fromBeginning: true });
    const received = await new Promise<{ key: string; value: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no record consumed within 30 s')), 30_000);
      void consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ topic, partition, message }) => {
            if (message.key?.toString() !== key) return;
            await consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
            clearTimeout(timer);
            resolve({ key, value: message.value?.toString() ?? '' });
          },
        })
        .catch(reject);
    });
    return received;
  } finally {
    await consumer.disconnect();
  }
}
