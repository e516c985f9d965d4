import assert from 'node:assert/strict';
import { Then, When } from '@cucumber/cucumber';
import { BatchWriteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { awsClientConfigFromEnv } from '../pipeline/aws/index.ts';
import { toItem } from '../pipeline/api/index.ts';
import type { Chargeback } from '../pipeline/schema/index.ts';
import { createKafka, DlqHeaders, kafkaConfigFromEnv, Topics } from '../pipeline/kafka/index.ts';
import { assertNothingLands } from './support/assertNothingLands.ts';
import { currentPipeline, LANDING_TIMEOUT_MS, TEST_ROLLOVER_MS } from './support/pipeline.ts';
import type { ChargebackWorld } from './support/world.ts';

function chargeback(marker: string, n: number, currency: string): Chargeback {
  const at = new Date().toISOString();
  return {
    chargeback_id: `cb_${crypto.randomUUID()}`,
    merchant_id: `merch_batch_${n}`,
    amount: '19.99',
    currency,
    reason: `${marker} #${n}`,
    status: 'RECEIVED',
    created_at: at,
    updated_at: at,
  };
}

When(
  'a batch of {int} chargebacks is written straight to the table, one of them with currency {string}',
  async function (this: ChargebackWorld, n: number, badCurrency: string) {
    const all = Array.from({ length: n }, (_, i) => chargeback(this.marker, i, i === 1 ? badCurrency : 'USD'));
    this.written.poison = [all[1]!];
    this.written.good = all.filter((_, i) => i !== 1);
    // One BatchWriteItem: the records sit next to each other in the stream, so they reach the handler in one batch.
    const ddb = new DynamoDBClient(awsClientConfigFromEnv());
    const r = await ddb.send(
      new BatchWriteItemCommand({
        RequestItems: { [process.env.TABLE_NAME!]: all.map((cb) => ({ PutRequest: { Item: toItem(cb) } })) },
      }),
    );
    assert.equal(Object.keys(r.UnprocessedItems ?? {}).length, 0, 'DynamoDB left items unprocessed');
  },
);

Then(
  'the {int} good chargebacks each land exactly one {string} row',
  async function (this: ChargebackWorld, n: number, type: string) {
    const ids = new Set(this.written.good!.map((c) => c.chargeback_id));
    assert.equal(ids.size, n);
    const { landing } = currentPipeline();
    const pred = (r: { chargeback_id: string; event_type: string }) => ids.has(r.chargeback_id) && r.event_type === type;
    await landing.waitForRows(pred, n, LANDING_TIMEOUT_MS);
    await new Promise((r) => setTimeout(r, TEST_ROLLOVER_MS * 2));
    const rows = await landing.rowsWhere(pred);
    assert.equal(rows.length, n, `expected ${n} rows, one per good chargeback; got ${rows.length}`);
    assert.deepEqual(new Set(rows.map((r) => r.row.chargeback_id)), ids);
  },
);

Then(
  "the poison chargeback is in the stream processor's dead-letter queue with a reason naming {string}",
  async function (this: ChargebackWorld, field: string) {
    const poison = this.written.poison![0]!;
    const sqs = new SQSClient(awsClientConfigFromEnv());
    const deadline = Date.now() + LANDING_TIMEOUT_MS;
    let found:
      | { reason: string; errors: Array<{ field: string }>; record: { dynamodb: { NewImage: { chargeback_id: { S: string } } } } }
      | undefined;
    while (!found && Date.now() < deadline) {
      // VisibilityTimeout 0 leaves every message visible for other scenarios and for the user.
      const r = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: currentPipeline().dlqQueueUrl,
          MaxNumberOfMessages: 10,
          VisibilityTimeout: 0,
          WaitTimeSeconds: 1,
        }),
      );
      for (const m of r.Messages ?? []) {
        const body = JSON.parse(m.Body ?? '{}');
        if (body.record?.dynamodb?.NewImage?.chargeback_id?.S === poison.chargeback_id) found = body;
      }
    }
    assert.ok(found, `no dead letter for ${poison.chargeback_id} within ${LANDING_TIMEOUT_MS} ms`);
    assert.ok(
      found.errors.some((e) => e.field === field),
      `dead letter does not name ${field}: ${found.reason}`,
    );
    assert.match(found.reason, new RegExp(field));
  },
);

Then('nothing lands for the poison chargeback', async function (this: ChargebackWorld) {
  const poison = this.written.poison![0]!;
  const caughtUp = await assertNothingLands(
    (r) => r.chargeback_id === poison.chargeback_id,
    `the poison chargeback ${poison.chargeback_id}`,
  );
  this.log(`landing caught up in ${caughtUp.waitedMs} ms (sentinel ${caughtUp.sentinelId})`);
});

/** Poison on the topic itself (not from the table): one of each kind, on every partition. */
const TOPIC_POISON = {
  'not JSON': () => Buffer.from('this is not json {'),
  'fails validation': () => Buffer.from(JSON.stringify({ schema_version: 1, event_id: 'x', event_type: 'UPSERT', amount: '-1' })),
  'unknown schema version': () => Buffer.from(JSON.stringify({ schema_version: 99 })),
} as const;
const TOPIC_POISON_REASON: Record<keyof typeof TOPIC_POISON, RegExp> = {
  'not JSON': /value: is not JSON/,
  'fails validation': /event_type: must be one of/,
  'unknown schema version': /unknown schema_version 99/,
};

When(
  'records that are not JSON, fail validation, and carry an unknown schema version are put on the chargebacks topic',
  async function (this: ChargebackWorld) {
    const producer = createKafka(kafkaConfigFromEnv('acceptance-poison')).producer();
    await producer.connect();
    const sent: Array<{ kind: keyof typeof TOPIC_POISON; key: string; value: Buffer }> = [];
    for (const kind of Object.keys(TOPIC_POISON) as Array<keyof typeof TOPIC_POISON>) {
      for (let partition = 0; partition < Topics.PARTITIONS; partition++) {
        const key = `poison-${this.marker}-${kind.replace(/ /g, '-')}-${partition}`;
        const value = TOPIC_POISON[kind]();
        await producer.send({ topic: Topics.CHANGES, messages: [{ key, value, partition }] });
        sent.push({ kind, key, value });
      }
    }
    await producer.disconnect();
    (this as ChargebackWorld & { poisonSent?: typeof sent }).poisonSent = sent;
  },
);

Then(
  'each poison record is on {string} with its original bytes and a reason naming the problem',
  async function (
    this: ChargebackWorld & { poisonSent?: Array<{ kind: keyof typeof TOPIC_POISON; key: string; value: Buffer }> },
    topic: string,
  ) {
    const expected = new Map(this.poisonSent!.map((p) => [p.key, p]));
    const found = new Map<string, { value: Buffer; reason: string; partition: string }>();
    const consumer = createKafka(kafkaConfigFromEnv('acceptance-dlq')).consumer({
      groupId: `acceptance-dlq-${crypto.randomUUID()}`,
    });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const key = message.key?.toString() ?? '';
        if (!expected.has(key)) return;
        found.set(key, {
          value: message.value ?? Buffer.alloc(0),
          reason: message.headers?.[DlqHeaders.REASON]?.toString() ?? '',
          partition: message.headers?.[DlqHeaders.SOURCE_PARTITION]?.toString() ?? '',
        });
      },
    });
    const deadline = Date.now() + LANDING_TIMEOUT_MS;
    while (found.size < expected.size && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
    await consumer.disconnect();
    assert.equal(found.size, expected.size, `only ${found.size} of ${expected.size} poison records reached ${topic}`);
    for (const [key, sent] of expected) {
      const got = found.get(key)!;
      assert.deepEqual(got.value, sent.value, `${key}: the original bytes must be kept`);
      assert.match(got.reason, TOPIC_POISON_REASON[sent.kind], `${key}: reason "${got.reason}"`);
      assert.match(got.partition, /^[0-2]$/);
    }
  },
);
