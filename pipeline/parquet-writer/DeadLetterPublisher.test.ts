import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KafkaMessage, Producer, ProducerRecord } from 'kafkajs';
import { DlqHeaders } from '../kafka/index.ts';
import { DLQ_PAYLOAD_S3_HEADER, DeadLetterPublisher, deadLetterMessage } from './DeadLetterPublisher.ts';
import { WriterStoppedError } from './errors.ts';
import { InMemoryObjectStore } from '../../fixtures/InMemoryObjectStore.ts';

const message: KafkaMessage = {
  key: Buffer.from('cb-1'),
  value: Buffer.from([0xff, 0x00, 0x01]),
  timestamp: '1769900000000',
  attributes: 0,
  offset: '42',
  headers: { event_id: Buffer.from('e-1') },
};

describe('DeadLetterPublisher', () => {
  it('keeps the original key, value bytes and headers, and adds the reason and origin', () => {
    const m = deadLetterMessage({ topic: 'chargebacks', partition: 2, message }, 'value: is not valid UTF-8');
    assert.deepEqual(m.key, Buffer.from('cb-1'));
    assert.deepEqual(m.value, Buffer.from([0xff, 0x00, 0x01]));
    assert.deepEqual(m.headers, {
      event_id: Buffer.from('e-1'),
      [DlqHeaders.REASON]: 'value: is not valid UTF-8',
      [DlqHeaders.SOURCE_TOPIC]: 'chargebacks',
      [DlqHeaders.SOURCE_PARTITION]: '2',
      [DlqHeaders.SOURCE_OFFSET]: '42',
    });
  });

  it('retries until the dead-letter topic acknowledges with acks=all', async () => {
    const sent: ProducerRecord[] = [];
    let calls = 0;
    const producer = {
      send: async (r: ProducerRecord) => {
        if (++calls < 3) throw new Error('leader not available');
        sent.push(r);
        return [];
      },
    } as unknown as Producer;
    const retries: string[] = [];
    const dlq = new DeadLetterPublisher(producer, 'chargebacks-dlq', {
      backoff: { initialDelayMs: 1, maxDelayMs: 2 },
      onRetry: (i) => retries.push(i.error.message),
    });
    await dlq.publish({ topic: 'chargebacks', partition: 0, message }, 'bad');
    assert.equal(sent.length, 1);
    assert.equal(sent[0]!.acks, -1);
    assert.equal(sent[0]!.topic, 'chargebacks-dlq');
    assert.deepEqual(retries, [
      'dead-letter topic chargebacks-dlq did not acknowledge: leader not available',
      'dead-letter topic chargebacks-dlq did not acknowledge: leader not available',
    ]);
  });

  /** What kafkajs throws for a refused produce: a non-retriable wrapper whose cause is the protocol error. */
  const kafkaRefusal = (type: string) =>
    Object.assign(new Error(`Non-retriable: ${type}`), {
      name: 'KafkaJSNonRetriableError',
      retriable: false,
      cause: Object.assign(new Error(`The broker refused: ${type}`), { name: 'KafkaJSProtocolError', type, retriable: false }),
    });

  for (const type of ['MESSAGE_TOO_LARGE', 'TOPIC_AUTHORIZATION_FAILED', 'INVALID_TOPIC_EXCEPTION']) {
    it(`does not retry ${type}: the original bytes and reason go to S3 and a pointer record to the topic`, async () => {
      const sent: ProducerRecord[] = [];
      let calls = 0;
      const producer = {
        send: async (r: ProducerRecord) => {
          if (++calls === 1) throw kafkaRefusal(type);
          sent.push(r);
          return [];
        },
      } as unknown as Producer;
      const store = new InMemoryObjectStore();
      const retries: string[] = [];
      const dlq = new DeadLetterPublisher(producer, 'chargebacks-dlq', {
        backoff: { initialDelayMs: 1, maxDelayMs: 2 },
        onRetry: (i) => retries.push(i.error.message),
        store,
      });
      const outcome = await dlq.publish({ topic: 'chargebacks', partition: 2, message }, 'value: is not valid UTF-8');
      assert.deepEqual(outcome, {
        kind: 's3-pointer',
        uri: 's3://in-memory/dead-letter/chargebacks/2/42.bin',
        rejectedBecause: type,
      });
      assert.deepEqual(retries, [], 'a permanent error is not retried');
      assert.deepEqual(Buffer.from((await store.getObject('dead-letter/chargebacks/2/42.bin'))!.body), message.value);
      const sidecar = JSON.parse(Buffer.from((await store.getObject('dead-letter/chargebacks/2/42.json'))!.body).toString());
      assert.equal(sidecar.reason, 'value: is not valid UTF-8');
      assert.equal(sidecar.rejectedBecause, type);
      assert.deepEqual(sidecar.source, { topic: 'chargebacks', partition: 2, offset: '42', timestamp: '1769900000000' });
      assert.equal(sent.length, 1);
      const pointer = sent[0]!.messages[0]!;
      assert.equal(String(pointer.headers![DLQ_PAYLOAD_S3_HEADER]), 's3://in-memory/dead-letter/chargebacks/2/42.bin');
      assert.equal(String(pointer.headers![DlqHeaders.REASON]), 'value: is not valid UTF-8');
      assert.deepEqual(JSON.parse(String(pointer.value)), {
        reason: 'value: is not valid UTF-8',
        payload: 's3://in-memory/dead-letter/chargebacks/2/42.bin',
        rejectedBecause: type,
      });
    });
  }

  it('keeps the S3 objects alone as the record when the topic refuses the pointer too, without stalling', async () => {
    const producer = {
      send: async () => {
        throw kafkaRefusal('TOPIC_AUTHORIZATION_FAILED');
      },
    } as unknown as Producer;
    const store = new InMemoryObjectStore();
    const dlq = new DeadLetterPublisher(producer, 'chargebacks-dlq', { backoff: { initialDelayMs: 1, maxDelayMs: 2 }, store });
    const outcome = await dlq.publish({ topic: 'chargebacks', partition: 0, message }, 'bad');
    assert.equal(outcome.kind, 's3-only');
    assert.ok(await store.exists('dead-letter/chargebacks/0/42.bin'));
    assert.ok(await store.exists('dead-letter/chargebacks/0/42.json'));
  });

  it('retries a transient error (exhausted kafkajs retries, not a refusal) and heartbeats while it waits', async () => {
    let calls = 0;
    const producer = {
      send: async () => {
        if (++calls < 3)
          throw Object.assign(new Error('retries exceeded'), {
            name: 'KafkaJSNumberOfRetriesExceeded',
            retriable: false,
            cause: Object.assign(new Error('Connection timeout'), { name: 'KafkaJSConnectionError' }),
          });
        return [];
      },
    } as unknown as Producer;
    let beats = 0;
    const dlq = new DeadLetterPublisher(producer, 'chargebacks-dlq', {
      backoff: { initialDelayMs: 2_500, maxDelayMs: 2_500 },
      store: new InMemoryObjectStore(),
    });
    const outcome = await dlq.publish({ topic: 'chargebacks', partition: 0, message }, 'bad', async () => {
      beats++;
    });
    assert.deepEqual(outcome, { kind: 'topic' });
    assert.equal(calls, 3);
    assert.ok(beats >= 4, `heartbeats during two waits of 1.25-2.5 s: ${beats}`);
  });

  it('gives up a waiting retry within a second of the stop signal', async () => {
    const producer = {
      send: async () => {
        throw new Error('leader not available');
      },
    } as unknown as Producer;
    const stop = new AbortController();
    const dlq = new DeadLetterPublisher(producer, 'chargebacks-dlq', {
      backoff: { initialDelayMs: 30_000, maxDelayMs: 30_000 },
      signal: stop.signal,
    });
    const publishing = dlq.publish({ topic: 'chargebacks', partition: 0, message }, 'bad');
    await new Promise((r) => setTimeout(r, 200));
    const t0 = Date.now();
    stop.abort();
    await assert.rejects(publishing, WriterStoppedError);
    assert.ok(Date.now() - t0 < 1_000, `stopped after ${Date.now() - t0} ms`);
  });
});
