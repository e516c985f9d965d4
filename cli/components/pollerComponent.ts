import { join } from 'node:path';
import { homedir } from 'node:os';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { SQSClient } from '@aws-sdk/client-sqs';
import { awsClientConfigFromEnv } from '../../pipeline/aws/index.ts';
import { createPorts, processStreamBatch } from '../../pipeline/stream-processor/index.ts';
import { withInjectedFaults } from './faultInjection.ts';
import { CheckpointStore, EventSourceMapping, type EsmEvent, type EsmSettings } from '../../localstack/event-source-mapping/index.ts';

export interface PollerComponent {
  stop(): Promise<void>;
  stats(): { batches: number; records: number; published: number; deadLettered: number; failedInvocations: number; onFailure: number; iteratorAgeMs: number };
}

/**
 * The local event source mapping feeding the stream-processor handler in-process: the same
 * handler code Lambda runs, with the same batch contract.
 */
export async function startPoller(opts: { settings?: EsmSettings; onEvent?: (e: EsmEvent) => void; checkpointFile?: string } = {}): Promise<PollerComponent> {
  const aws = awsClientConfigFromEnv();
  const base = createPorts();
  const ports = withInjectedFaults(base);
  const counts = { published: 0, deadLettered: 0 };
  const home = process.env.CHARGEBACK_CDC_HOME ?? join(homedir(), '.cache', 'chargeback-cdc');
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
        const outcome = await processStreamBatch(event, ports);
        counts.published += outcome.published;
        counts.deadLettered += outcome.deadLettered;
        return outcome.response;
      },
      ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
    },
    opts.settings,
  );
  esm.start();
  return {
    stats: () => ({ ...esm.stats, ...counts }),
    stop: async () => {
      await esm.stop();
      await base.producer.disconnect().catch(() => undefined);
    },
  };
}
