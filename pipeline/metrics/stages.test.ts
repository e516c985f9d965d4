import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { createApiHandler } from '../api/handler.ts';
import { ChargebackRoutes } from '../api/routes.ts';
import type { ChargebackRepository } from '../api/ChargebackRepository.ts';
import { createStreamProcessor } from '../stream-processor/handler.ts';
import type { StreamProcessorPorts } from '../stream-processor/index.ts';
import { sampleChargeback, streamRecord } from '../../fixtures/streamEvents.ts';
import { MetricsRegistry, seriesKey } from './MetricsRegistry.ts';
import { stageMetrics } from './stageMetrics.ts';
import { Service } from './catalogue.ts';

/** What each stage reports through Powertools Metrics, read back from a registry (the local sink). */
const values = (r: MetricsRegistry) =>
  Object.fromEntries(
    r.collect().map((s) => [seriesKey(s.name, s.dims).replace(/\{service=[^}]+\}/, ''), s.timing ? s.timing.count : s.value]),
  );

test('the API handler counts every request, its 4xx and 5xx, created chargebacks and its latency', async () => {
  const registry = new MetricsRegistry();
  const repo = {
    create: async () => undefined,
    get: async () => undefined,
    updateStatus: async () => false,
    delete: async () => {
      throw new Error('DynamoDB unreachable');
    },
  } as unknown as ChargebackRepository;
  const handler = createApiHandler(
    new ChargebackRoutes(repo),
    stageMetrics(Service.API, { config: { sink: 'local' }, registry }),
  );
  const call = (method: string, path: string, body?: string) =>
    handler({
      rawPath: path,
      body,
      headers: { 'content-type': 'application/json' },
      isBase64Encoded: false,
      requestContext: { http: { method } },
    } as unknown as APIGatewayProxyEventV2);
  assert.equal(
    (await call('POST', '/chargebacks', '{"merchant_id":"m","amount":"1.00","currency":"USD","reason":"r"}')).statusCode,
    201,
  );
  assert.equal((await call('POST', '/chargebacks', '{"amount":"-1"}')).statusCode, 400);
  assert.equal((await call('DELETE', '/chargebacks/x')).statusCode, 500);
  assert.deepEqual(values(registry), {
    ApiClientErrors: 1,
    ApiLatency: 3,
    ApiRequests: 3,
    ApiServerErrors: 1,
    ChargebacksCreated: 1,
  });
  assert.ok(registry.collect().every((s) => s.dims.service === 'chargeback-api'));
});

test('the stream processor counts batches, records, produced, dead-lettered and failed records, and whole-batch errors', async () => {
  const registry = new MetricsRegistry();
  let kafkaUp = true;
  const ports: StreamProcessorPorts = {
    publish: async () => {
      if (!kafkaUp) throw new Error('broker unavailable');
    },
    deadLetter: async () => undefined,
  };
  const process = createStreamProcessor(ports, stageMetrics(Service.STREAM_PROCESSOR, { config: { sink: 'local' }, registry }));
  const rec = (n: number, currency = 'USD') =>
    streamRecord({
      eventName: 'INSERT',
      newImage: { ...sampleChargeback, chargeback_id: `cb_${n}`, currency },
      sequenceNumber: String(100 + n),
      eventID: `e${n}`,
    });
  await process({ Records: [rec(1), rec(2, 'ZZZ'), rec(3)] });
  kafkaUp = false;
  await assert.rejects(process({ Records: [rec(4), rec(5)] }), /All records failed/);
  assert.deepEqual(values(registry), {
    KafkaRecordsProduced: 2,
    StreamBatchDuration: 2,
    StreamBatchErrors: 1,
    StreamBatches: 2,
    StreamRecordFailures: 2,
    StreamRecords: 5,
    StreamRecordsDeadLettered: 1,
  });
});
