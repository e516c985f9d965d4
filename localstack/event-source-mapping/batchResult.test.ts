import { test } from 'node:test';
import assert from 'node:assert/strict';
import { interpretResponse } from './batchResult.ts';
import { sampleChargeback, streamRecord } from '../../fixtures/streamEvents.ts';

const batch = ['10', '20', '30'].map((s) => streamRecord({ eventName: 'INSERT', newImage: sampleChargeback, sequenceNumber: s }));

test('no batchItemFailures (or an empty list) is success', () => {
  assert.deepEqual(interpretResponse(batch, undefined), { kind: 'success' });
  assert.deepEqual(interpretResponse(batch, { batchItemFailures: [] }), { kind: 'success' });
});

test('resumes from the LOWEST failed sequence number, like AWS', () => {
  assert.deepEqual(interpretResponse(batch, { batchItemFailures: [{ itemIdentifier: '30' }, { itemIdentifier: '20' }] }), {
    kind: 'partial',
    index: 1,
  });
});

test('an empty or unknown itemIdentifier fails the whole batch, like AWS', () => {
  assert.equal(interpretResponse(batch, { batchItemFailures: [{ itemIdentifier: '' }] }).kind, 'error');
  assert.equal(interpretResponse(batch, { batchItemFailures: [{ itemIdentifier: '99' }] }).kind, 'error');
});
