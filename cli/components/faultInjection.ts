import type { StreamProcessorPorts } from '../../pipeline/stream-processor/index.ts';

/**
 * Test-only fault injection for the local poller, switched on by environment variables and off
 * by default. `CHARGEBACK_CDC_FAULT_PUBLISH_THEN_FAIL=N` makes the next N batches publish to
 * Kafka and THEN fail, as a Lambda that times out after its produce call would: the event source
 * mapping retries the batch and the records reach Kafka twice. The writer must land each once.
 */
export function withInjectedFaults<T extends StreamProcessorPorts>(ports: T, env: NodeJS.ProcessEnv = process.env): T {
  let publishThenFail = Number(env.CHARGEBACK_CDC_FAULT_PUBLISH_THEN_FAIL ?? 0);
  if (!publishThenFail) return ports;
  return {
    ...ports,
    async publish(messages) {
      await ports.publish(messages);
      if (publishThenFail > 0) {
        publishThenFail--;
        throw new Error(
          `injected fault: published ${messages.length} records, then failed (CHARGEBACK_CDC_FAULT_PUBLISH_THEN_FAIL)`,
        );
      }
    },
  };
}
