import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { SQSClient } from '@aws-sdk/client-sqs';

/**
 * Counts every failed AWS call attempt of the clients the event source mapping polls with.
 *
 * Why per attempt: the SDK retries 5xx, throttling and network errors itself (3 attempts), so
 * most of them never reach the mapping's own catch blocks. moto answers HTTP 500 (its traceback,
 * "RuntimeError: dictionary changed size during iteration", is only in moto.log) about once a
 * minute under concurrent load; the retry hides it, and without this count nobody would see it.
 */

/** What kind of failure an attempt was: the `Kind` dimension of EsmUpstreamErrors. */
export const AwsErrorKind = {
  /** HTTP 5xx: the service failed (moto's concurrent-iteration bug lands here). */
  SERVER: 'server-error',
  /** Throttling / provisioned throughput / 429: AWS asked us to slow down. */
  THROTTLING: 'throttling',
  /** Any other 4xx: expired or trimmed iterator, missing table or stream after a reset. */
  CLIENT: 'client-error',
  /** No HTTP response at all: refused, reset, timed out. */
  NETWORK: 'network',
} as const;
export type AwsErrorKind = (typeof AwsErrorKind)[keyof typeof AwsErrorKind];

export interface AwsErrorCount {
  kind: AwsErrorKind;
  /** The SDK command, e.g. GetRecords, DescribeStream. */
  operation: string;
  count: number;
}

const THROTTLING_CODES = new Set([
  'ThrottlingException',
  'Throttling',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'LimitExceededException',
  'TooManyRequestsException',
]);

interface SdkErrorShape {
  name?: string;
  $metadata?: { httpStatusCode?: number };
}

export function awsErrorKind(e: unknown): AwsErrorKind {
  const err = (e ?? {}) as SdkErrorShape;
  const status = err.$metadata?.httpStatusCode;
  if (status === 429 || THROTTLING_CODES.has(err.name ?? '')) return AwsErrorKind.THROTTLING;
  if (status === undefined) return AwsErrorKind.NETWORK;
  return status >= 500 ? AwsErrorKind.SERVER : AwsErrorKind.CLIENT;
}

let instances = 0;

/** Running totals by kind and operation, fed by the middleware installed with `watch`. */
export class AwsErrorCounter {
  private readonly counts = new Map<string, AwsErrorCount>();
  /** Middleware names must be unique per client stack; a client shared by two counters gets one each. */
  private readonly name = `chargebackCdcAwsErrorCounter${++instances}`;

  /**
   * Installs a middleware in the deserialize step, which runs inside the SDK's retry loop (the
   * retry middleware sits in finalizeRequest, before it), at high priority so that it wraps the
   * deserializer and sees the parsed service error of each attempt. The error is rethrown as is.
   */
  watch(client: DynamoDBClient | DynamoDBStreamsClient | SQSClient): void {
    // The three clients' stacks differ only in their command types, which this middleware never reads.
    (client as DynamoDBStreamsClient).middlewareStack.add(
      (next, context) => async (args) => {
        try {
          return await next(args);
        } catch (e) {
          this.record(awsErrorKind(e), context.commandName?.replace(/Command$/, '') ?? 'unknown');
          throw e;
        }
      },
      { step: 'deserialize', priority: 'high', name: this.name },
    );
  }

  record(kind: AwsErrorKind, operation: string): void {
    const key = `${kind}|${operation}`;
    const c = this.counts.get(key) ?? { kind, operation, count: 0 };
    c.count++;
    this.counts.set(key, c);
  }

  snapshot(): AwsErrorCount[] {
    return [...this.counts.values()].map((c) => ({ ...c }));
  }
}
