import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { toChangeRecord } from './toChangeRecord.ts';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import {
  CHARGEBACK_FIELDS,
  canonicalAmount,
  fromParquetRow,
  isoFromMillis,
  millisFromEpochSeconds,
  SCHEMA_VERSION,
  toParquetRow,
  validateChangeRecord,
} from '../schema/index.ts';
import { chargebackArb } from '../../fixtures/arbitraries.ts';
import { sampleChargeback, streamRecord } from '../../fixtures/streamEvents.ts';

test('property: DynamoDB AttributeValue image → change record keeps every chargeback value exactly', () => {
  fc.assert(
    fc.property(chargebackArb, fc.bigInt({ min: 1n, max: 10n ** 28n }), (cb, seq) => {
      const r = toChangeRecord(streamRecord({ eventName: 'INSERT', newImage: cb, sequenceNumber: seq.toString() }));
      assert.ok(r.ok, JSON.stringify(!r.ok && r.errors));
      const { schema_version, event_id, event_type, sequence_number, event_time, previous_status, ...chargeback } = r.value;
      assert.deepEqual(chargeback, { ...cb });
      assert.equal(event_type, 'INSERT');
      assert.equal(sequence_number, seq.toString());
      assert.equal(previous_status, null);
      void [schema_version, event_id, event_time];
    }),
    { numRuns: 300 },
  );
});

test('property: AttributeValue → change record → Parquet row → change record round trip is exact', () => {
  fc.assert(
    fc.property(chargebackArb, chargebackArb, (oldCb, newCb) => {
      const modified = { ...newCb, chargeback_id: oldCb.chargeback_id };
      const r = toChangeRecord(streamRecord({ eventName: 'MODIFY', newImage: modified, oldImage: oldCb }));
      assert.ok(r.ok);
      assert.equal(r.value.previous_status, oldCb.status);
      assert.deepEqual(fromParquetRow(toParquetRow(r.value)), { ...r.value, amount: canonicalAmount(r.value.amount) });
    }),
    { numRuns: 200 },
  );
});

test('REMOVE carries the old image and its status as previous_status', () => {
  const r = toChangeRecord(streamRecord({ eventName: 'REMOVE', oldImage: { ...sampleChargeback, status: 'UNDER_REVIEW' } }));
  assert.ok(r.ok);
  assert.equal(r.value.event_type, 'REMOVE');
  assert.equal(r.value.status, 'UNDER_REVIEW');
  assert.equal(r.value.previous_status, 'UNDER_REVIEW');
  assert.equal(r.value.amount, '99.99');
});

test('ApproximateCreationDateTime in epoch seconds becomes a UTC millisecond timestamp without float artefacts', () => {
  const r = toChangeRecord(
    streamRecord({ eventName: 'INSERT', newImage: sampleChargeback, approximateCreationDateTime: 1732670000.123 }),
  );
  assert.ok(r.ok);
  assert.equal(r.value.event_time, '2024-11-27T01:13:20.123Z');
});

test('a poison image reports every bad field; a missing image names the stream view type', () => {
  const bad = toChangeRecord(
    streamRecord({
      eventName: 'INSERT',
      newImage: { ...sampleChargeback, currency: 'ZZZ', amount: '1.234', status: 'OPEN' as never },
    }),
  );
  assert.ok(!bad.ok);
  assert.deepEqual(new Set(bad.errors.map((e) => e.field)), new Set(['currency', 'status']));
  const noImage = toChangeRecord({
    ...streamRecord({ eventName: 'INSERT', newImage: sampleChargeback }),
    dynamodb: { SequenceNumber: '1', ApproximateCreationDateTime: 1 },
  });
  assert.ok(!noImage.ok);
  assert.match(noImage.errors[0]!.problem, /NEW_AND_OLD_IMAGES/);
});

/** The conversion as first written: unmarshall the whole image, then unwrap top-level numbers. */
function referenceImage(image: Record<string, unknown>): Record<string, unknown> | Error {
  try {
    const plain = unmarshall(image as never, { wrapNumbers: true }) as Record<string, unknown>;
    for (const [k, v] of Object.entries(plain)) {
      if (v && typeof v === 'object' && typeof (v as { value?: unknown }).value === 'string' && Object.keys(v).length === 1)
        plain[k] = (v as { value: string }).value;
    }
    return plain;
  } catch (e) {
    return e as Error;
  }
}

const oddAttribute = fc.oneof(
  fc.string().map((S) => ({ S })),
  fc.oneof(fc.constant('1.5'), fc.constant('-0.0001'), fc.constant('12'), fc.constant('1e3')).map((N) => ({ N })),
  fc.constant({ NULL: true }),
  fc.boolean().map((BOOL) => ({ BOOL })),
  fc.constant({ L: [{ S: 'x' }] }),
  fc.constant({ M: { a: { N: '1' } } }),
  fc.constant({ SS: ['a', 'b'] }),
);

test('property: reading only the used attributes gives the same change record, or the same field errors, as unmarshalling whole images', () => {
  const fields = CHARGEBACK_FIELDS;
  fc.assert(
    fc.property(
      chargebackArb,
      fc.dictionary(fc.constantFrom(...fields), oddAttribute, { maxKeys: 3 }),
      fc.constantFrom(...fields),
      fc.constantFrom('INSERT' as const, 'MODIFY' as const),
      (cb, overrides, dropped, eventName) => {
        const record = streamRecord({ eventName, newImage: cb, oldImage: { ...cb, status: 'RECEIVED' } });
        const image: Record<string, unknown> = {
          ...(record.dynamodb!.NewImage as Record<string, unknown>),
          ...overrides,
          extra: { N: '7' },
        };
        if (!(dropped in overrides)) delete image[dropped];
        record.dynamodb!.NewImage = image as never;
        const reference = referenceImage(image);
        fc.pre(!(reference instanceof Error));
        const expected = {
          schema_version: SCHEMA_VERSION,
          event_id: record.eventID,
          event_type: eventName,
          sequence_number: record.dynamodb!.SequenceNumber,
          event_time: isoFromMillis(millisFromEpochSeconds(record.dynamodb!.ApproximateCreationDateTime!)),
          ...Object.fromEntries(fields.map((f) => [f, reference[f]])),
          previous_status: eventName === 'INSERT' ? null : 'RECEIVED',
        };
        assert.deepEqual(toChangeRecord(record), validateChangeRecord(expected));
      },
    ),
    { numRuns: 400 },
  );
});

test('an attribute value unmarshall refuses is a field error of that record, not a failed batch', () => {
  const record = streamRecord({ eventName: 'INSERT', newImage: sampleChargeback });
  record.dynamodb!.NewImage = { ...record.dynamodb!.NewImage, amount: {} as never };
  const r = toChangeRecord(record);
  assert.ok(!r.ok);
  assert.deepEqual(
    r.errors.map((e) => e.field),
    ['amount'],
  );
});
