import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeStackConfig, loadStackConfig, LocalNames, localAwsClientConfig } from './config.ts';
import { StackConfigError } from './errors.ts';

describe('loadStackConfig', () => {
  it('gives the fixed local contract when nothing is set', () => {
    const cfg = loadStackConfig({ CHARGEBACK_CDC_HOME: '/tmp/cbc' });
    assert.equal(cfg.backend, 'auto');
    assert.equal(cfg.home, '/tmp/cbc');
    assert.equal(cfg.awsEndpoint, 'http://127.0.0.1:4566');
    assert.equal(cfg.region, 'us-east-1');
    assert.deepEqual(cfg.credentials, { accessKeyId: 'test', secretAccessKey: 'test' });
    assert.equal(cfg.forcePathStyle, true);
    assert.deepEqual(cfg.kafkaBrokers, ['127.0.0.1:9092']);
    assert.equal(cfg.topicPartitions, 3);
    assert.equal(cfg.topicReplicationFactor, 1);
    assert.deepEqual(cfg.names, { ...LocalNames });
  });

  it('keeps the local contract on the native backend even when AWS_ENDPOINT_URL points elsewhere', () => {
    const cfg = loadStackConfig({ LOCAL_STACK: 'native', AWS_ENDPOINT_URL: 'http://elsewhere:1234', KAFKA_BROKERS: 'b:1' });
    assert.equal(cfg.awsEndpoint, 'http://127.0.0.1:4566');
    assert.deepEqual(cfg.kafkaBrokers, ['127.0.0.1:9092']);
  });

  it('takes endpoints from the environment on the external backend', () => {
    const cfg = loadStackConfig({
      LOCAL_STACK: 'external',
      AWS_REGION: 'eu-west-1',
      KAFKA_BROKERS: 'b-1.msk:9098, b-2.msk:9098',
      KAFKA_AUTH: 'msk-iam',
    });
    assert.equal(cfg.awsEndpoint, undefined);
    assert.equal(cfg.credentials, undefined);
    assert.equal(cfg.forcePathStyle, false);
    assert.equal(cfg.region, 'eu-west-1');
    assert.deepEqual(cfg.kafkaBrokers, ['b-1.msk:9098', 'b-2.msk:9098']);
    assert.equal(cfg.kafkaAuth, 'msk-iam');
    assert.equal(cfg.topicReplicationFactor, -1);
  });

  it('uses test credentials for an emulator behind AWS_ENDPOINT_URL unless the environment names some', () => {
    assert.deepEqual(loadStackConfig({ LOCAL_STACK: 'external', AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' }).credentials, {
      accessKeyId: 'test',
      secretAccessKey: 'test',
    });
    assert.equal(
      loadStackConfig({ LOCAL_STACK: 'external', AWS_ENDPOINT_URL: 'http://127.0.0.1:4566', AWS_PROFILE: 'dev' }).credentials,
      undefined,
    );
  });

  it('reports every invalid variable at once, by its environment name', () => {
    assert.throws(
      () =>
        loadStackConfig({
          LOCAL_STACK: 'external',
          AWS_ENDPOINT_URL: 'not a url',
          KAFKA_BROKERS: 'nohostport',
          KAFKA_AUTH: 'sasl',
        }),
      (e: unknown) => {
        assert.ok(e instanceof StackConfigError);
        assert.equal(e.code, 'LOCALSTACK_CONFIG_INVALID');
        for (const name of ['AWS_ENDPOINT_URL', 'KAFKA_BROKERS', 'KAFKA_AUTH']) assert.match(e.message, new RegExp(name));
        return true;
      },
    );
  });

  it('rejects an unknown LOCAL_STACK value naming the variable', () => {
    assert.throws(() => loadStackConfig({ LOCAL_STACK: 'docker' }), /LOCAL_STACK/);
  });
});

describe('localAwsClientConfig', () => {
  it('gives the SDK the local endpoint, test credentials and path-style S3', () => {
    assert.deepEqual(localAwsClientConfig(loadStackConfig({ LOCAL_STACK: 'native' })), {
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:4566',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      forcePathStyle: true,
    });
  });

  it('leaves endpoint and credentials to the SDK against real AWS', () => {
    assert.deepEqual(localAwsClientConfig(loadStackConfig({ LOCAL_STACK: 'external', AWS_REGION: 'us-west-2' })), {
      region: 'us-west-2',
    });
  });
});

describe('describeStackConfig', () => {
  it('masks the secret key', () => {
    const printed = JSON.stringify(describeStackConfig(loadStackConfig({})));
    assert.match(printed, /\*\*\*\*/);
    assert.doesNotMatch(printed, /"secretAccessKey":"test"/);
  });
});
