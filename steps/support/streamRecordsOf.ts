import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient, type _Record as StreamRecord } from '@aws-sdk/client-dynamodb-streams';
import { awsClientConfigFromEnv } from '../../pipeline/aws/index.ts';
import { readStreamRecords } from '../../pipeline/reconcile/index.ts';

/**
 * Every record of one chargeback in the table's DynamoDB stream, raw and in stream order — where a
 * landed row's event_id, sequence_number and event_time must come from. Read with the same raw
 * stream reading as `reconcile`, not through the stream processor.
 */
export async function streamRecordsOf(chargebackId: string): Promise<StreamRecord[]> {
  const aws = awsClientConfigFromEnv();
  const { records } = await readStreamRecords(new DynamoDBClient(aws), new DynamoDBStreamsClient(aws), process.env.TABLE_NAME!);
  return records.filter((r) => r.dynamodb?.Keys?.chargeback_id?.S === chargebackId);
}
