import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Alarms } from './alarms.ts';
import { datapoint, evaluateAlarm } from './evaluateAlarm.ts';
import { MetricHistory, type HistoryPoint } from './MetricHistory.ts';

const S = 1000;
const at = (t: number, v: Record<string, number>): HistoryPoint => ({ t, v });

test('the stream DLQ alarm fires as soon as the queue holds a message, with the value shown', () => {
  const now = 600 * S;
  const points = [at(now - 20 * S, { StreamDlqDepth: 0 }), at(now - 10 * S, { StreamDlqDepth: 2 })];
  const e = evaluateAlarm(Alarms['stream-dlq-not-empty'], 'StreamDlqDepth', points, now);
  assert.deepEqual([e.state, e.value], ['ALARM', 2]);
  assert.equal(
    evaluateAlarm(Alarms['stream-dlq-not-empty'], 'StreamDlqDepth', [at(now - 5 * S, { StreamDlqDepth: 0 })], now).state,
    'OK',
  );
});

test('the records-lag alarm takes the largest partition and needs 3 of 3 breaching periods', () => {
  const alarm = Alarms['flink-records-lag'];
  const p = (t: number, lag: number) => at(t, { 'KafkaConsumerLag{Partition=0}': 1, 'KafkaConsumerLag{Partition=1}': lag });
  const now = 3 * 300 * S;
  const breachAll = [p(100 * S, 20_000), p(400 * S, 20_000), p(800 * S, 20_000)];
  assert.equal(evaluateAlarm(alarm, 'KafkaConsumerLag', breachAll, now).state, 'ALARM');
  const breachTwo = [p(100 * S, 20_000), p(400 * S, 5), p(800 * S, 20_000)];
  const e = evaluateAlarm(alarm, 'KafkaConsumerLag', breachTwo, now);
  assert.deepEqual([e.state, e.breachingDatapoints, e.datapoints], ['OK', 2, [20_000, 5, 20_000]]);
});

test('counter alarms compare the increase within the period; a restart (drop) is not a negative increase', () => {
  const alarm = Alarms['api-errors'];
  const key = 'ApiServerErrors{service=chargeback-api}';
  const now = 1000 * S;
  assert.equal(evaluateAlarm(alarm, 'ApiServerErrors', [at(600 * S, { [key]: 4 }), at(900 * S, { [key]: 4 })], now).state, 'OK');
  assert.equal(
    evaluateAlarm(alarm, 'ApiServerErrors', [at(600 * S, { [key]: 4 }), at(900 * S, { [key]: 5 })], now).state,
    'ALARM',
  );
  assert.equal(
    datapoint(
      [at(700 * S, { [key]: 9 }), at(800 * S, { [key]: 2 }), at(900 * S, { [key]: 3 })],
      'ApiServerErrors',
      'Sum',
      700 * S,
      1000 * S,
    ),
    3,
  );
});

test('a counter that first appears inside the window counts from zero; counts from before history began do not', () => {
  const key = 'ApiServerErrors{service=chargeback-api}';
  assert.equal(datapoint([at(10 * S, {}), at(20 * S, { [key]: 1 })], 'ApiServerErrors', 'Sum', 0, 30 * S), 1);
  assert.equal(datapoint([at(10 * S, { [key]: 7 }), at(20 * S, { [key]: 7 })], 'ApiServerErrors', 'Sum', 0, 30 * S), 0);
});

test('missing data follows treatMissingData: breaching for writer downtime, not breaching elsewhere', () => {
  const now = 1000 * S;
  const silent = [at(now - 600 * S, {}), at(now - S, {})];
  assert.equal(evaluateAlarm(Alarms['flink-downtime'], 'WriterDowntime', silent, now).state, 'ALARM');
  const e = evaluateAlarm(Alarms['stream-processor-iterator-age'], 'IteratorAge', silent, now);
  assert.deepEqual([e.state, e.value, e.datapoints.length], ['OK', undefined, 5]);
  assert.equal(
    evaluateAlarm({ ...Alarms['stream-dlq-not-empty'], treatMissingData: 'missing' }, 'StreamDlqDepth', silent, now).state,
    'INSUFFICIENT_DATA',
  );
  assert.equal(
    evaluateAlarm(Alarms['stream-dlq-not-empty'], 'StreamDlqDepth', [], now).state,
    'INSUFFICIENT_DATA',
    'nothing watched yet',
  );
});

test('periods before the history began are not judged: a dashboard started 30 s ago does not see 4 minutes of downtime', () => {
  const now = 1000 * S;
  const points = [at(now - 30 * S, { WriterDowntime: 0 }), at(now - S, { WriterDowntime: 0 })];
  const e = evaluateAlarm(Alarms['flink-downtime'], 'WriterDowntime', points, now);
  assert.deepEqual([e.state, e.breachingDatapoints, e.value], ['OK', 0, 0]);
});

test('property: the datapoint of a growing counter is its growth over the window', () => {
  fc.assert(
    fc.property(fc.array(fc.nat(50), { minLength: 2, maxLength: 40 }), (steps) => {
      let total = 0;
      const points = steps.map((d, i) => {
        total += d;
        return at((i + 1) * S, { RowsLanded: total });
      });
      const first = points[0]!.v.RowsLanded!;
      assert.equal(datapoint(points, 'RowsLanded', 'Sum', 0, (steps.length + 1) * S), total - first);
      assert.equal(datapoint(points, 'RowsLanded', 'Sum', S, (steps.length + 1) * S), total - first);
    }),
  );
});

test('the history keeps the newest points up to its capacity and answers since(t)', () => {
  const h = new MetricHistory(3);
  for (const t of [1, 2, 2, 3, 4]) h.push(at(t, { x: t }));
  assert.deepEqual(
    h.since().map((p) => p.t),
    [2, 3, 4],
  );
  assert.deepEqual(
    h.since(2).map((p) => p.t),
    [3, 4],
  );
  assert.deepEqual(h.since(4), []);
  assert.equal(h.latest()!.t, 4);
});
