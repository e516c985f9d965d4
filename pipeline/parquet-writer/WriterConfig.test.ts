import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WriterConfigError } from './errors.ts';
import { resolveWriterConfig, writerConfigFromEnv } from './WriterConfig.ts';

describe('WriterConfig', () => {
  it('defaults to the seed: topic chargebacks, group flink-parquet-writer, 60 s rollover, 128 MiB parts, processing time', () => {
    const c = resolveWriterConfig({ brokers: ['127.0.0.1:9092'], s3: { region: 'us-east-1' } });
    assert.equal(c.topic, 'chargebacks');
    assert.equal(c.dlqTopic, 'chargebacks-dlq');
    assert.equal(c.groupId, 'flink-parquet-writer');
    assert.equal(c.bucket, 'chargeback-cdc-landing');
    assert.equal(c.prefix, 'landing/chargebacks/');
    assert.equal(c.statePrefix, '_state/flink-parquet-writer/chargebacks/');
    assert.equal(c.rolloverMs, 60_000);
    assert.equal(c.inactivityMs, 60_000);
    assert.equal(c.maxPartBytes, 128 * 1024 * 1024);
    assert.equal(c.bucketBy, 'processing-time');
  });

  it("holds a crashed member for 10 s, not kafkajs' 30 s, and reads KAFKA_SESSION_TIMEOUT_MS", () => {
    const base = { brokers: ['127.0.0.1:9092'], s3: { region: 'us-east-1' } };
    assert.equal(resolveWriterConfig(base).sessionTimeoutMs, 10_000);
    assert.equal(
      resolveWriterConfig({ ...base, ...writerConfigFromEnv({ KAFKA_SESSION_TIMEOUT_MS: '30000' }) }).sessionTimeoutMs,
      30_000,
    );
    assert.throws(() => resolveWriterConfig({ ...base, sessionTimeoutMs: 5_000 }), /sessionTimeoutMs/);
  });

  it('reads the environment the CLI and the fault-injection tests set', () => {
    const env = {
      KAFKA_BROKERS: 'a:1, b:2',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
      LANDING_BUCKET: 'bkt',
      ROLLOVER_MS: '5000',
      BUCKET_BY: 'event-time',
      MAX_BUFFERED_BYTES: '1048576',
    };
    const c = resolveWriterConfig(writerConfigFromEnv(env));
    assert.deepEqual(c.brokers, ['a:1', 'b:2']);
    assert.deepEqual(c.s3, { region: 'us-east-1', endpoint: 'http://127.0.0.1:4566', forcePathStyle: true });
    assert.deepEqual(
      [c.bucket, c.rolloverMs, c.inactivityMs, c.bucketBy, c.maxBufferedBytes],
      ['bkt', 5000, 5000, 'event-time', 1048576],
    );
  });

  it('reports every invalid setting at once, by name', () => {
    assert.throws(
      () => resolveWriterConfig({ brokers: ['x:1'], rolloverMs: 0, prefix: 'no-slash', bucketBy: 'wall-clock' as never }),
      (e: unknown) =>
        e instanceof WriterConfigError &&
        /rolloverMs/.test(e.message) &&
        /prefix: must end with "\/"/.test(e.message) &&
        /bucketBy/.test(e.message),
    );
    assert.throws(() => writerConfigFromEnv({ ROLLOVER_MS: 'soon' }), /ROLLOVER_MS="soon" is not a number/);
  });

  it('keeps the state prefix out of what readers list', () => {
    assert.throws(() => resolveWriterConfig({ brokers: ['x:1'], statePrefix: 'landing/chargebacks/state/' }), /statePrefix/);
    assert.doesNotThrow(() => resolveWriterConfig({ brokers: ['x:1'], statePrefix: 'landing/chargebacks/_state/' }));
  });
});
