import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';

/** How one invocation ended, as the event source mapping sees it. */
export type InvocationResult =
  | { kind: 'success' }
  /** ReportBatchItemFailures with valid identifiers: resume at `index` (the lowest failed record). */
  | { kind: 'partial'; index: number }
  /** A thrown error, or a response AWS treats as a whole-batch failure. */
  | { kind: 'error'; message: string };

/**
 * Interprets a handler's response like Lambda does for stream sources: an empty or missing
 * `batchItemFailures` is success; otherwise AWS resumes from the LOWEST failed sequence number,
 * and an empty, null or unknown itemIdentifier fails the whole batch.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html
 */
export function interpretResponse(batch: DynamoDBRecord[], response: DynamoDBBatchResponse | undefined): InvocationResult {
  const failures = response?.batchItemFailures ?? [];
  if (failures.length === 0) return { kind: 'success' };
  let lowest = Number.POSITIVE_INFINITY;
  for (const f of failures) {
    const id = f?.itemIdentifier;
    const index = id ? batch.findIndex((r) => r.dynamodb?.SequenceNumber === id) : -1;
    if (index < 0)
      return { kind: 'error', message: `batchItemFailures holds an unknown or empty itemIdentifier ${JSON.stringify(id)}` };
    lowest = Math.min(lowest, index);
  }
  return { kind: 'partial', index: lowest };
}
