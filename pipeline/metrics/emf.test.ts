import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MetricsRegistry, seriesKey } from './MetricsRegistry.ts';
import { parseEmfLine, recordEmf, samplesFromEmf } from './emf.ts';
import { CatalogueMetrics, metricsConfigFromEnv, RegistryMetrics, stageMetrics } from './stageMetrics.ts';
import { Service } from './catalogue.ts';

const values = (r: MetricsRegistry) =>
  Object.fromEntries(r.collect().map((s) => [seriesKey(s.name, s.dims), s.timing ? s.timing.count : s.value]));

test('locally, Powertools metrics of a stage land in the registry with the service dimension, and nothing is printed', () => {
  const registry = new MetricsRegistry();
  const metrics = stageMetrics(Service.STREAM_PROCESSOR, { config: { sink: 'local' }, registry });
  assert.ok(metrics instanceof RegistryMetrics);
  const written: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string) => written.push(String(chunk)) > 0) as typeof process.stdout.write;
  try {
    metrics.record('StreamRecords', 3).record('StreamRecords', 2).record('StreamBatchDuration', 12.5);
    metrics.publishStoredMetrics();
    metrics.publishStoredMetrics(); // nothing stored: no warning, nothing recorded twice
  } finally {
    process.stdout.write = write;
  }
  assert.deepEqual(written, []);
  assert.deepEqual(values(registry), {
    'StreamRecords{service=chargeback-stream-processor}': 5,
    'StreamBatchDuration{service=chargeback-stream-processor}': 1,
  });
});

test('in Lambda (emf), Powertools prints one EMF line in our namespace that the bridge reads back to the same numbers', () => {
  const metrics = stageMetrics(Service.API, { config: { sink: 'emf' } });
  assert.ok(metrics instanceof CatalogueMetrics && !(metrics instanceof RegistryMetrics));
  const written: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string) => written.push(String(chunk)) > 0) as typeof process.stdout.write;
  try {
    metrics.record('ApiRequests', 1).record('ApiLatency', 8);
    metrics.publishStoredMetrics();
  } finally {
    process.stdout.write = write;
  }
  assert.equal(written.length, 1);
  const doc = parseEmfLine(written[0]!);
  assert.ok(doc);
  assert.deepEqual(doc._aws.CloudWatchMetrics[0]!.Namespace, 'ChargebackCdc');
  assert.deepEqual(doc._aws.CloudWatchMetrics[0]!.Metrics, [
    { Name: 'ApiRequests', Unit: 'Count' },
    { Name: 'ApiLatency', Unit: 'Milliseconds' },
  ]);
  const registry = new MetricsRegistry();
  assert.deepEqual(recordEmf(registry, doc), { recorded: 2, ignored: [] });
  assert.deepEqual(values(registry), { 'ApiLatency{service=chargeback-api}': 1, 'ApiRequests{service=chargeback-api}': 1 });
});

test('EMF of another namespace or an unknown name is reported, not recorded; lines that are not EMF are skipped', () => {
  const doc = parseEmfLine(
    JSON.stringify({
      _aws: {
        Timestamp: 1,
        CloudWatchMetrics: [{ Namespace: 'Other', Dimensions: [['service']], Metrics: [{ Name: 'X', Unit: 'Count' }] }],
      },
      service: 's',
      X: 1,
    }),
  )!;
  assert.deepEqual(samplesFromEmf(doc), [{ namespace: 'Other', name: 'X', unit: 'Count', values: [1], dims: { service: 's' } }]);
  assert.deepEqual(recordEmf(new MetricsRegistry(), doc).ignored, ['Other/X']);
  assert.equal(parseEmfLine('{"level":"INFO","message":"batch processed"}'), undefined);
  assert.equal(parseEmfLine('{"_aws": broken'), undefined);
});

test('the sink is emf inside Lambda and local elsewhere unless CHARGEBACK_CDC_METRICS says otherwise', () => {
  assert.equal(metricsConfigFromEnv({}).sink, 'local');
  assert.equal(metricsConfigFromEnv({ AWS_LAMBDA_FUNCTION_NAME: 'fn' }).sink, 'emf');
  assert.equal(metricsConfigFromEnv({ AWS_LAMBDA_FUNCTION_NAME: 'fn', CHARGEBACK_CDC_METRICS: 'local' }).sink, 'local');
  assert.throws(() => metricsConfigFromEnv({ CHARGEBACK_CDC_METRICS: 'stdout' }), /must be emf or local, got "stdout"/);
});
