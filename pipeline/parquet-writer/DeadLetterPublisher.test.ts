import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KafkaMessage, Producer, ProducerRecord } from 'kafkajs';
import { DlqHeaders } from '../kafka/index.ts';
import { DeadLetterPublisher, deadLetterMessage } from './DeadLetterPublisher.ts';

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
});
