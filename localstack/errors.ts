/**
 * Local-stack errors. Each has a stable `code` (static and on the instance, so callers can switch
 * on it without parsing messages), a `canRetry` flag, and a one-line message that says what to do.
 */
import { CdcError } from '../pipeline/errors/index.ts';

export class LocalStackError extends CdcError {
  static override readonly code: string = 'LOCALSTACK';
}

/** LOCAL_STACK, CHARGEBACK_CDC_HOME, KAFKA_BROKERS… did not validate; lists every problem at once. */
export class StackConfigError extends LocalStackError {
  static override readonly code = 'LOCALSTACK_CONFIG_INVALID';
}

/** A port of the local contract (4566, 9092, 9093) is held by a process that is not ours. */
export class PortBusyError extends LocalStackError {
  static override readonly code = 'LOCALSTACK_PORT_BUSY';
  constructor(
    readonly port: number,
    message: string,
  ) {
    super(message);
  }
}

/** java, mvn or python3 is missing or too old. */
export class MissingToolError extends LocalStackError {
  static override readonly code = 'LOCALSTACK_MISSING_TOOL';
  constructor(
    readonly tool: string,
    message: string,
  ) {
    super(message);
  }
}

/** pip (PyPI) or Maven (Maven Central) could not fetch what the native stack needs. */
export class InstallFailedError extends LocalStackError {
  static override readonly code = 'LOCALSTACK_INSTALL_FAILED';
  override readonly canRetry = true;
}

/** A service process exited, or did not become healthy in time. The message names its log file. */
export class ServiceStartError extends LocalStackError {
  static override readonly code = 'LOCALSTACK_START_FAILED';
  override readonly canRetry = true;
}

/** LOCAL_STACK=containers but no Docker engine answers. */
export class DockerUnavailableError extends LocalStackError {
  static override readonly code = 'LOCALSTACK_NO_DOCKER';
}

/** Another backend's stack is already up; bringing up a second one would fight over the ports. */
export class StackConflictError extends LocalStackError {
  static override readonly code = 'LOCALSTACK_CONFLICT';
}

/** A resource exists with a shape we cannot use (e.g. a topic with 1 partition instead of 3). */
export class ResourceMismatchError extends LocalStackError {
  static override readonly code = 'LOCALSTACK_RESOURCE_MISMATCH';
}

/** An operation that only makes sense on a stack we run (reset, stop/start Kafka) was asked of another. */
export class UnsupportedOperationError extends LocalStackError {
  static override readonly code = 'LOCALSTACK_UNSUPPORTED';
}

/** Clearing state between scenarios failed (moto's reset endpoint, or a Kafka topic that would not go away). */
export class ResetFailedError extends LocalStackError {
  static override readonly code = 'LOCALSTACK_RESET_FAILED';
  override readonly canRetry = true;
}

/**
 * The stack's two halves would not match: moto (in memory only) must start empty while Kafka's log
 * dir still holds records, so the topic would be ahead of the table, its stream and the landing zone
 * (with the writer's committed state). Nothing is started; `stack reset` starts both empty.
 */
export class StackStateMismatchError extends LocalStackError {
  static override readonly code = 'LOCALSTACK_STATE_MISMATCH';
}
