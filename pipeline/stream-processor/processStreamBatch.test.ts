import { test } from 'node:test';
import assert from 'node:assert/strict';
import { processStreamBatch, type KafkaMessage, type StreamProcessorPorts } from './processStreamBatch.ts';
import type { StreamDeadLetter } from './deadLetter.ts';
import { sampleChargeback, streamRecord } from '../../fixtures/streamEvents.ts';

const good = (n: number) =>
  streamRecord({
    eventName: 'INSERT',
    newImage: { ...sampleChargeback, chargeback_id: `cb_${n}` },
    sequenceNumber: String(100 + n),
    eventID: `e${n}`,
  });
const poison = (n: number) =>
  streamRecord({
    eventName: 'INSERT',
    newImage: { ...sampleChargeback, chargeback_id: `cb_${n}`, currency: 'ZZZ' },
    sequenceNumber: String(100 + n),
    eventID: `e${n}`,
  });

function ports(opts: { publishFails?: boolean; dlqFails?: boolean } = {}) {
  const sent: KafkaMessage[][] = [];
  const letters: StreamDeadLetter[] = [];
  const p: StreamProcessorPorts = {
    publish: async (m) => {
      if (opts.publishFails) throw new Error('broker unavailable');
      sent.push(m);
    },
    deadLetter: async (l) => {
      if (opts.dlqFails) throw new Error('queue unavailable');
      letters.push(l);
    },
  };
  return { p, sent, letters };
}

test('sends every good record in ONE Kafka call keyed by chargeback_id, and dead-letters the poison one with its reason', async () => {
  const { p, sent, letters } = ports();
  const out = await processStreamBatch({ Records: [good(1), poison(2), good(3)] }, p);
  assert.deepEqual(out.response, { batchItemFailures: [] });
  assert.equal(sent.length, 1);
  assert.deepEqual(
    sent[0]!.map((m) => m.key),
    ['cb_1', 'cb_3'],
  );
  assert.equal(JSON.parse(sent[0]![0]!.value.toString()).event_id, 'e1');
  assert.equal(letters.length, 1);
  assert.match(letters[0]!.reason, /currency: must be a known ISO 4217/);
  assert.equal(letters[0]!.record.eventID, 'e2');
});

test('when Kafka fails, the good records are batch item failures and the event source will retry them', async () => {
  const { p } = ports({ publishFails: true });
  const out = await processStreamBatch({ Records: [poison(1), good(2), good(3)] }, p);
  assert.deepEqual(
    out.response.batchItemFailures.map((f) => f.itemIdentifier),
    ['102', '103'],
  );
});

test('when the dead-letter queue fails, the poison record stays a failure so nothing is lost', async () => {
  const { p } = ports({ dlqFails: true });
  const out = await processStreamBatch({ Records: [good(1), poison(2)] }, p);
  assert.deepEqual(
    out.response.batchItemFailures.map((f) => f.itemIdentifier),
    ['102'],
  );
});

test('a batch that fails entirely throws, so Lambda retries (and bisects) the whole batch', async () => {
  const { p } = ports({ publishFails: true });
  await assert.rejects(processStreamBatch({ Records: [good(1), good(2)] }, p), /All records failed/);
});
