import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { _Record as StreamRecord } from '@aws-sdk/client-dynamodb-streams';
import { toItem } from '../api/index.ts';
import { toLambdaRecord } from '../aws/index.ts';
import type { Chargeback, ChangeRecord, EventType } from '../schema/index.ts';
import { toChangeRecord } from '../stream-processor/toChangeRecord.ts';
import { chargebackArb } from '../../fixtures/arbitraries.ts';
import { sampleChargeback } from '../../fixtures/streamEvents.ts';
import { expectedChange } from './expectedChange.ts';
import { streamHistoryOf } from './readStreamHistory.ts';
import { reconcile } from './reconcile.ts';

const STREAM_ARN = 'arn:aws:dynamodb:us-east-1:123456789012:table/chargebacks/stream/2026-11-27T02:51:29.123';

/** A stream record as GetRecords returns it through the SDK (ApproximateCreationDateTime parsed into a Date). */
function rawRecord(a: {
  eventName: EventType;
  newImage?: Chargeback;
  oldImage?: Chargeback;
  seq: bigint;
  createdMs: number;
}): StreamRecord {
  const id = (a.newImage ?? a.oldImage)!.chargeback_id;
  return {
    eventID: `evt-${a.seq.toString(36)}`,
    eventName: a.eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    dynamodb: {
      ApproximateCreationDateTime: new Date(a.createdMs),
      Keys: { chargeback_id: { S: id } },
      ...(a.newImage ? { NewImage: toItem(a.newImage) as never } : {}),
      ...(a.oldImage ? { OldImage: toItem(a.oldImage) as never } : {}),
      SequenceNumber: a.seq.toString(),
      SizeBytes: 312,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
}

/** What the stream processor lands for a raw record, through a given transform. */
function landedBy(transform: (r: ReturnType<typeof toLambdaRecord>) => ChangeRecord | undefined, records: StreamRecord[]) {
  return records.flatMap((rec, i) => {
    const row = transform(toLambdaRecord(rec, STREAM_ARN, 'us-east-1'));
    return row ? [{ key: `part-${i}`, row }] : [];
  });
}

const processorTransform = (r: ReturnType<typeof toLambdaRecord>) => {
  const c = toChangeRecord(r);
  return c.ok ? c.value : undefined;
};

/** Any valid stream record: INSERT (new image), MODIFY (new and old), REMOVE (old image), sub-second times as moto has. */
const rawRecordArb = fc
  .tuple(
    chargebackArb,
    chargebackArb,
    fc.constantFrom<EventType>('INSERT', 'MODIFY', 'REMOVE'),
    fc.bigInt({ min: 1n, max: 10n ** 30n }),
    fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2040, 0, 1) }),
  )
  .map(([cb, before, eventName, seq, createdMs]) => {
    const old = { ...before, chargeback_id: cb.chargeback_id };
    return rawRecord({
      eventName,
      seq,
      createdMs,
      ...(eventName !== 'REMOVE' ? { newImage: cb } : {}),
      ...(eventName !== 'INSERT' ? { oldImage: old } : {}),
    });
  });

test('property: the stream processor and the independent model agree on every column of every valid record', () => {
  fc.assert(
    fc.property(fc.uniqueArray(rawRecordArb, { selector: (r) => r.eventID, minLength: 1, maxLength: 20 }), (records) => {
      const history = streamHistoryOf(records);
      assert.equal(history.poison.length, 0, JSON.stringify(history.poison));
      const report = reconcile(history.changes, landedBy(processorTransform, records));
      assert.ok(report.ok, JSON.stringify(report.examples));
    }),
  );
});

// A MODIFY whose old status differs from the new one, with merchant and reason distinct, at a sub-second time.
const modify = rawRecord({
  eventName: 'MODIFY',
  newImage: { ...sampleChargeback, status: 'UNDER_REVIEW', updated_at: '2026-11-27T02:55:00.250Z' },
  oldImage: sampleChargeback,
  seq: 4421584500000000017450439091n,
  createdMs: Date.parse('2026-11-27T02:55:00.456Z'),
});
const remove = rawRecord({
  eventName: 'REMOVE',
  oldImage: { ...sampleChargeback, chargeback_id: 'cb_5f0c3e1a-9a0e-4c1b-8f35-0d8c3f4e2a77' },
  seq: 4421584500000000017450439092n,
  createdMs: Date.parse('2026-11-27T02:56:01.789Z'),
});

const SEEDED_BUGS: Array<{
  bug: string;
  transform: (r: ReturnType<typeof toLambdaRecord>) => ChangeRecord | undefined;
  fields: string[];
}> = [
  {
    bug: 'drops previous_status',
    transform: (r) => {
      const c = processorTransform(r);
      return c && { ...c, previous_status: null };
    },
    fields: ['previous_status'],
  },
  {
    bug: 'swaps merchant_id and reason',
    transform: (r) => {
      const c = processorTransform(r);
      return c && { ...c, merchant_id: c.reason, reason: c.merchant_id };
    },
    fields: ['merchant_id', 'reason'],
  },
  {
    bug: 'rounds event_time down to the second',
    transform: (r) => {
      const c = processorTransform(r);
      return c && { ...c, event_time: `${c.event_time.slice(0, 19)}.000Z` };
    },
    fields: ['event_time'],
  },
  {
    bug: 'treats a REMOVE like an INSERT (no previous_status)',
    transform: (r) => {
      const c = processorTransform(r);
      return c && (c.event_type === 'REMOVE' ? { ...c, previous_status: null } : c);
    },
    fields: ['previous_status'],
  },
];

for (const { bug, transform, fields } of SEEDED_BUGS) {
  test(`a stream-processor transform that ${bug} is reported as mismatched, naming ${fields.join(', ')}`, () => {
    const records = [modify, remove];
    const report = reconcile(streamHistoryOf(records).changes, landedBy(transform, records));
    assert.ok(!report.ok);
    assert.equal(report.lost, 0);
    assert.ok(report.mismatched >= 1, JSON.stringify(report));
    for (const m of report.examples.mismatched) assert.deepEqual(m.fields, fields);
  });
}

test('INSERT, MODIFY and REMOVE: metadata from the record, values from the new image or (REMOVE) the old one', () => {
  const m = expectedChange(modify);
  assert.ok(m.ok);
  assert.deepEqual(m.value, {
    schema_version: 1,
    event_id: modify.eventID,
    event_type: 'MODIFY',
    sequence_number: '4421584500000000017450439091',
    event_time: '2026-11-27T02:55:00.456Z',
    ...sampleChargeback,
    status: 'UNDER_REVIEW',
    updated_at: '2026-11-27T02:55:00.250Z',
    previous_status: 'RECEIVED',
  });
  const r = expectedChange(remove);
  assert.ok(r.ok);
  assert.equal(r.value.event_type, 'REMOVE');
  assert.equal(r.value.chargeback_id, 'cb_5f0c3e1a-9a0e-4c1b-8f35-0d8c3f4e2a77');
  assert.equal(r.value.status, 'RECEIVED');
  assert.equal(r.value.previous_status, 'RECEIVED');
  const i = expectedChange(rawRecord({ eventName: 'INSERT', newImage: sampleChargeback, seq: 7n, createdMs: 0 }));
  assert.ok(i.ok);
  assert.equal(i.value.previous_status, null);
  assert.equal(i.value.event_time, '1970-01-01T00:00:00.000Z');
});

test('a record that must not land is poison, with every problem named: bad currency, missing image', () => {
  const badCurrency = rawRecord({
    eventName: 'INSERT',
    newImage: { ...sampleChargeback, currency: 'ZZZ' },
    seq: 8n,
    createdMs: 0,
  });
  const noImage = rawRecord({ eventName: 'MODIFY', oldImage: sampleChargeback, seq: 9n, createdMs: 0 });
  const history = streamHistoryOf([badCurrency, noImage, modify]);
  assert.equal(history.changes.length, 1);
  assert.deepEqual(
    history.poison.map((p) => [p.eventID, p.errors.map((e) => e.field)]),
    [
      [badCurrency.eventID, ['currency']],
      [noImage.eventID, ['dynamodb.NewImage']],
    ],
  );
});
