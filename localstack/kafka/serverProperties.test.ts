import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KAFKA_CLUSTER_ID, renderLog4j2Properties, renderServerProperties } from './serverProperties.ts';

function parse(text: string): Map<string, string> {
  return new Map(
    text
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')).trim(), l.slice(l.indexOf('=') + 1).trim()] as [string, string]),
  );
}

describe('renderServerProperties', () => {
  const props = parse(
    renderServerProperties({ host: '127.0.0.1', brokerPort: 9092, controllerPort: 9093, dataDir: '/tmp/k', partitions: 3 }),
  );

  it('runs one combined KRaft broker and controller on the contract ports', () => {
    assert.equal(props.get('process.roles'), 'broker,controller');
    assert.equal(props.get('node.id'), '1');
    assert.equal(props.get('controller.quorum.voters'), '1@127.0.0.1:9093');
    assert.equal(props.get('listeners'), 'PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093');
    assert.equal(props.get('advertised.listeners'), 'PLAINTEXT://127.0.0.1:9092');
    assert.equal(props.get('controller.listener.names'), 'CONTROLLER');
    assert.equal(props.get('log.dirs'), '/tmp/k');
  });

  it('sizes everything for a single broker', () => {
    assert.equal(props.get('offsets.topic.replication.factor'), '1');
    assert.equal(props.get('transaction.state.log.replication.factor'), '1');
    assert.equal(props.get('transaction.state.log.min.isr'), '1');
    assert.equal(props.get('num.partitions'), '3');
    assert.equal(props.get('group.initial.rebalance.delay.ms'), '0');
  });

  it('never creates a topic implicitly', () => {
    assert.equal(props.get('auto.create.topics.enable'), 'false');
  });

  it('has no duplicate keys', () => {
    const text = renderServerProperties({ host: 'h', brokerPort: 1, controllerPort: 2, dataDir: 'd', partitions: 3 });
    const keys = text
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split('=')[0]);
    assert.equal(new Set(keys).size, keys.length);
  });
});

describe('cluster id and logging', () => {
  it('uses a cluster id of 16 bytes in URL-safe base64, as kafka-storage format requires', () => {
    assert.equal(Buffer.from(KAFKA_CLUSTER_ID, 'base64url').length, 16);
    assert.equal(KAFKA_CLUSTER_ID.length, 22);
  });

  it('sends the broker log to stdout, which the stack writes to kafka.log', () => {
    const log4j = parse(renderLog4j2Properties());
    assert.equal(log4j.get('appender.stdout.type'), 'Console');
    assert.equal(log4j.get('rootLogger.appenderRef.stdout.ref'), 'STDOUT');
  });
});
