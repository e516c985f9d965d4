/** Topic names (DESIGN §3, fixed). Overridable through config for deployments that prefix them. */
export const Topics = {
  CHANGES: 'chargebacks',
  DLQ: 'chargebacks-dlq',
  PARTITIONS: 3,
  /** Consumer group of both writers, the seed's name, so they can take over from each other. */
  WRITER_GROUP: 'flink-parquet-writer',
} as const;

/** Headers that carry a dead-lettered record's reason and origin (shared with the Flink job). */
export const DlqHeaders = {
  REASON: 'dlq.reason',
  SOURCE_TOPIC: 'dlq.source.topic',
  SOURCE_PARTITION: 'dlq.source.partition',
  SOURCE_OFFSET: 'dlq.source.offset',
} as const;
