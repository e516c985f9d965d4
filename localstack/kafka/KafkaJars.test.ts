import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KAFKA_VERSION, kafkaVersionOf } from './KafkaJars.ts';

describe('kafkaVersionOf', () => {
  it('reads the kafka.version property of the pom', () => {
    assert.equal(kafkaVersionOf('<properties>\n  <kafka.version> 4.1.0 </kafka.version>\n</properties>'), '4.1.0');
  });

  it('fails loudly on a pom without it', () => {
    assert.throws(() => kafkaVersionOf('<project/>'), /kafka\.version/);
  });

  it('pins a Kafka 4.x broker in the repo pom', () => {
    assert.match(KAFKA_VERSION, /^4\.\d+\.\d+$/);
  });
});
