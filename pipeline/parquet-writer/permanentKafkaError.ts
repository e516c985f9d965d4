/**
 * Kafka errors that no retry can fix for the same record and topic: the record is too big, the
 * client may not write there, or the topic name is wrong. kafkajs marks them not retriable and
 * wraps them (`KafkaJSNonRetriableError` with the protocol error as `cause`); an exhausted retry
 * of a transient error (`KafkaJSNumberOfRetriesExceeded`) is not in this list, so it is retried.
 */
const PERMANENT_TYPES = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'INVALID_TOPIC_EXCEPTION',
  'TOPIC_AUTHORIZATION_FAILED',
  'CLUSTER_AUTHORIZATION_FAILED',
  'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
  'SASL_AUTHENTICATION_FAILED',
  'UNSUPPORTED_SASL_MECHANISM',
  'ILLEGAL_SASL_STATE',
]);

const PERMANENT_NAMES = new Set(['KafkaJSSASLAuthenticationError']);

/** The Kafka error type (or kafkajs error name) that makes `e` permanent, searched along its causes; undefined when retrying may help. */
export function permanentKafkaError(e: unknown): string | undefined {
  for (let cur: unknown = e, depth = 0; cur && depth < 5; depth++) {
    const err = cur as { type?: unknown; name?: unknown; cause?: unknown };
    if (typeof err.type === 'string' && PERMANENT_TYPES.has(err.type)) return err.type;
    if (typeof err.name === 'string' && PERMANENT_NAMES.has(err.name)) return err.name;
    if (err.cause === cur) break;
    cur = err.cause;
  }
  return undefined;
}
