import { join } from 'node:path';

/** Where the native stack keeps its things, all under one home (CHARGEBACK_CDC_HOME). */
export interface StackPaths {
  home: string;
  /** Project-managed Python venv holding the pinned moto. */
  venv: string;
  /** Kafka broker jars copied out of ~/.m2 by Maven, one folder per Kafka version. */
  kafkaJars: (kafkaVersion: string) => string;
  /** The broker's log.dirs (also its KRaft metadata log). */
  kafkaData: string;
  /** moto.log, kafka.log, and the install logs of pip and Maven. */
  logs: string;
  /** Pid files, the broker's rendered config, and stack.json (which backend is up). */
  run: string;
  log: (name: 'moto' | 'kafka' | 'install-moto' | 'install-kafka') => string;
  pidFile: (service: 'moto' | 'kafka') => string;
}

export function stackPaths(home: string): StackPaths {
  const logs = join(home, 'logs');
  const run = join(home, 'run');
  return {
    home,
    venv: join(home, 'venv'),
    kafkaJars: (kafkaVersion) => join(home, 'kafka', kafkaVersion, 'libs'),
    kafkaData: join(home, 'kafka-data'),
    logs,
    run,
    log: (name) => join(logs, `${name}.log`),
    pidFile: (service) => join(run, `${service}.pid`),
  };
}
