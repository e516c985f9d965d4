import type { RunningBackend, StackConfig } from '../config.ts';
import type { StackPaths } from '../StackPaths.ts';

/** One service of a backend as `stack status` reports it. */
export interface ServiceStatus {
  /** moto | kafka (native), localstack | redpanda (containers), aws | kafka (external). */
  service: string;
  state: 'up' | 'down';
  /** Answers its protocol: moto's API / a DynamoDB call, or a Kafka describeCluster. */
  healthy: boolean;
  endpoint: string;
  pid?: number;
  port?: number;
  logFile?: string;
  detail?: string;
}

export interface BackendContext {
  cfg: StackConfig;
  paths: StackPaths;
  onProgress: (line: string) => void;
}

export interface UpOptions {
  /** Start every service empty: Kafka storage re-formatted, AWS state cleared. */
  fresh?: boolean;
}

/** What every backend does; stack.ts picks one and records it so later commands use the same. */
export interface StackBackend {
  readonly name: RunningBackend;
  /**
   * Starts what is not running, reuses what is, and returns once every service is healthy. Kafka's
   * data is kept; `fresh` (`stack reset`) empties every service first and says so.
   */
  up(ctx: BackendContext, opts?: UpOptions): Promise<{ services: ServiceStatus[]; reused: boolean }>;
  down(ctx: BackendContext): Promise<void>;
  status(ctx: BackendContext): Promise<ServiceStatus[]>;
  /** Stops the Kafka broker alone, keeping its data (fault injection). */
  stopKafka(ctx: BackendContext): Promise<void>;
  /** Starts the Kafka broker again on its existing data. */
  startKafka(ctx: BackendContext): Promise<ServiceStatus>;
}
