import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { localAwsClientConfig, type StackConfig } from './config.ts';

/**
 * Whether the AWS side answers a DynamoDB call: the one health check that means the same on
 * LocalStack, moto and real AWS (which share no management endpoint). The reason is kept for
 * `stack status` (refused, timed out, access denied…).
 */
export async function awsHealth(cfg: StackConfig, timeoutMs = 3_000): Promise<{ healthy: boolean; reason?: string }> {
  const ddb = new DynamoDBClient({ ...localAwsClientConfig(cfg), maxAttempts: 1 });
  try {
    await ddb.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(timeoutMs) });
    return { healthy: true };
  } catch (e) {
    return { healthy: false, reason: `${(e as Error).name}: ${(e as Error).message}` };
  } finally {
    ddb.destroy();
  }
}
