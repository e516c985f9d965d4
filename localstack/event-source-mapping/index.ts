/**
 * The local event source mapping: polls the table's DynamoDB stream and invokes the
 * stream-processor handler in-process, the way Lambda's event source mapping does in AWS.
 *
 * @example
 * const esm = new EventSourceMapping({ ddb, streams, sqs, tableName: 'chargebacks', region, checkpoints, invoke: handler });
 * esm.start();
 */
export { EventSourceMapping, EsmSettings, type EsmPorts, type EsmEvent } from './EventSourceMapping.ts';
export { CheckpointStore } from './CheckpointStore.ts';
export { AwsErrorCounter, AwsErrorKind, awsErrorKind, type AwsErrorCount } from './AwsErrorCounter.ts';
export { interpretResponse, type InvocationResult } from './batchResult.ts';
export { onFailureRecord, type OnFailureRecord } from './onFailureRecord.ts';
