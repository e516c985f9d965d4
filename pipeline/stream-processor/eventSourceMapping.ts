import { z } from 'zod';

/**
 * The event source mapping that feeds the stream processor, defined once: the deployed mapping
 * (infra/stacks/StreamingStack.ts, through infra/config/InfraConfig.ts) and the local poller
 * (localstack/event-source-mapping) both read it, so what is proved locally is what runs in AWS.
 * Names, units and ranges are AWS's (CreateEventSourceMapping); what only the local poller has
 * (poll interval, checkpoint file) lives with the poller, and docs/local-vs-aws.md lists it.
 * https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html
 */

export const StartingPosition = { TRIM_HORIZON: 'TRIM_HORIZON', LATEST: 'LATEST' } as const;
export type StartingPosition = (typeof StartingPosition)[keyof typeof StartingPosition];

/** Where a batch the mapping gives up on is reported: the stream processor's SQS dead-letter queue, or nowhere. */
export const OnFailureDestination = { DEAD_LETTER_QUEUE: 'dead-letter-queue', NONE: 'none' } as const;
export type OnFailureDestination = (typeof OnFailureDestination)[keyof typeof OnFailureDestination];

/** AWS's value for "no limit" in MaximumRetryAttempts and MaximumRecordAgeInSeconds. */
export const UNLIMITED = -1;

export const EventSourceMappingSettings = z.object({
  batchSize: z.number().int().min(1).max(10_000).default(100),
  maximumBatchingWindowSeconds: z.number().int().min(0).max(300).default(1),
  startingPosition: z.enum([StartingPosition.TRIM_HORIZON, StartingPosition.LATEST]).default(StartingPosition.TRIM_HORIZON),
  bisectBatchOnFunctionError: z.boolean().default(true),
  /**
   * Unlimited (AWS's default): a Kafka outage of any length blocks the shard instead of giving
   * records up, and the stream's 24 h retention is the limit. A bounded budget would hand records
   * to the on-failure destination, which receives only their sequence range, not the records.
   */
  maximumRetryAttempts: z.number().int().min(UNLIMITED).max(10_000).default(UNLIMITED),
  /** Unlimited, for the same reason; otherwise AWS takes 60 s to 7 days. */
  maximumRecordAgeSeconds: z
    .number()
    .int()
    .refine(
      (v) => v === UNLIMITED || (v >= 60 && v <= 604_800),
      'maximumRecordAgeSeconds is -1 (unlimited) or 60 to 604800 seconds',
    )
    .default(UNLIMITED),
  /** The handler answers `batchItemFailures`; without this AWS ignores the answer and treats the batch as done. */
  reportBatchItemFailures: z.boolean().default(true),
  onFailureDestination: z
    .enum([OnFailureDestination.DEAD_LETTER_QUEUE, OnFailureDestination.NONE])
    .default(OnFailureDestination.DEAD_LETTER_QUEUE),
});
export type EventSourceMappingSettings = z.output<typeof EventSourceMappingSettings>;

/**
 * The definition both sides use.
 *
 * @example
 * new LambdaEventSourceMapping(this, 'table-stream', { batchSize: STREAM_PROCESSOR_EVENT_SOURCE_MAPPING.batchSize, … });
 */
export const STREAM_PROCESSOR_EVENT_SOURCE_MAPPING: EventSourceMappingSettings = Object.freeze(
  EventSourceMappingSettings.parse({}),
);
