import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { SQSClient } from '@aws-sdk/client-sqs';
import { awsClientConfigFromEnv } from '../../pipeline/aws/index.ts';
import {
  createPorts,
  createStreamProcessor,
  STREAM_PROCESSOR_EVENT_SOURCE_MAPPING,
} from '../../pipeline/stream-processor/index.ts';
import { processRegistry, type MetricsRegistry } from '../../pipeline/metrics/index.ts';
import {
  CheckpointStore,
  EventSourceMapping,
  type EsmEvent,
  type EsmSettings,
} from '../../localstack/event-source-mapping/index.ts';
import { cdcHome } from '../../pipeline/config/index.ts';

const ITERATOR_AGE_HOLD_MS = 5_000;

/** What the in-process stream processor publishes and dead-letters through. */
export type PollerPorts = ReturnType<typeof createPorts>;

export interface PollerComponent {
  stop(): Promise<void>;
  stats(): {
    batches: number;
    records: number;
    published: number;
    deadLettered: number;
    failedInvocations: number;
    onFailure: number;
    iteratorAgeMs: number;
  };
}

/**
 * The local event source mapping feeding the stream-processor handler in-process: the same
 * handler code Lambda runs, with the same batch contract and the same mapping settings as the
 * deployed one (STREAM_PROCESSOR_EVENT_SOURCE_MAPPING). The handler's metrics go to the
 * process registry (Powertools, local sink); the mapping's own (iterator age, on-failure
 * records), which AWS publishes for its event source mappings, are read from its stats.
 */
export async function startPoller(
  opts: {
    settings?: EsmSettings;
    onEvent?: (e: EsmEvent) => void;
    checkpointFile?: string;
    registry?: MetricsRegistry;
    /** The stream processor's ports; default the real ones from the environment. */
    ports?: PollerPorts;
  } = {},
): Promise<PollerComponent> {
  const aws = awsClientConfigFromEnv();
  const ports = opts.ports ?? createPorts();
  const processBatch = createStreamProcessor(ports);
  const counts = { published: 0, deadLettered: 0 };
  const home = cdcHome();
  const esm = new EventSourceMapping(
    {
      ddb: new DynamoDBClient(aws),
      streams: new DynamoDBStreamsClient(aws),
      sqs: new SQSClient(aws),
      tableName: process.env.TABLE_NAME ?? 'chargebacks',
      region: aws.region,
      ...(process.env.DLQ_QUEUE_URL ? { onFailureQueueUrl: process.env.DLQ_QUEUE_URL } : {}),
      checkpoints: new CheckpointStore(opts.checkpointFile ?? join(home, 'run', 'esm-checkpoints.json')),
      invoke: async (event) => {
        const outcome = await processBatch(event);
        counts.published += outcome.published;
        counts.deadLettered += outcome.deadLettered;
        return outcome.response;
      },
      ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
    },
    // The deployed mapping's definition; a caller overrides only what a test or bench needs.
    { ...STREAM_PROCESSOR_EVENT_SOURCE_MAPPING, ...opts.settings },
  );
  esm.start();
  const registry = opts.registry ?? processRegistry;
  registry.components.add('poller');
  // AWS emits IteratorAge with each batch and nothing while the stream is idle: the age of the
  // last batch is reported for a few seconds after it, then the series is left without data.
  let batchesSeen = -1;
  let lastBatchAt = 0;
  const stopCollecting = registry.onCollect(() => {
    if (esm.stats.batches !== batchesSeen) [batchesSeen, lastBatchAt] = [esm.stats.batches, Date.now()];
    if (esm.stats.batches > 0 && Date.now() - lastBatchAt <= ITERATOR_AGE_HOLD_MS)
      registry.set('IteratorAge', esm.stats.iteratorAgeMs);
    else registry.remove('IteratorAge');
    registry.set('StreamOnFailureRecords', esm.stats.onFailure);
    for (const e of esm.awsErrors.snapshot())
      registry.set('EsmUpstreamErrors', e.count, { Kind: e.kind, Operation: e.operation });
  });
  return {
    stats: () => ({ ...esm.stats, ...counts }),
    stop: async () => {
      stopCollecting();
      await esm.stop();
      await ports.producer.disconnect().catch(() => undefined);
    },
  };
}
