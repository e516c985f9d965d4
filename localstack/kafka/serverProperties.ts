/**
 * The native broker's configuration: one combined KRaft broker+controller, sized for a laptop and for
 * tests (replication 1 everywhere, no initial rebalance delay, no topic auto-creation so a typo in a
 * topic name fails instead of silently creating a 1-partition topic).
 */
export interface BrokerSettings {
  host: string;
  brokerPort: number;
  controllerPort: number;
  dataDir: string;
  partitions: number;
}

/** Fixed cluster id (base64 of 16 bytes, the form `kafka-storage format -t` wants): the data dir is ours alone. */
export const KAFKA_CLUSTER_ID = 'MkU3OEVBNTcwNTJENDM2Qg';
export const KAFKA_NODE_ID = 1;

export function renderServerProperties(s: BrokerSettings): string {
  const props: Array<[string, string | number | boolean]> = [
    ['node.id', KAFKA_NODE_ID],
    ['process.roles', 'broker,controller'],
    // Static quorum of one voter: formatted without --standalone, and simplest for a single node.
    ['controller.quorum.voters', `${KAFKA_NODE_ID}@${s.host}:${s.controllerPort}`],
    ['listeners', `PLAINTEXT://${s.host}:${s.brokerPort},CONTROLLER://${s.host}:${s.controllerPort}`],
    ['advertised.listeners', `PLAINTEXT://${s.host}:${s.brokerPort}`],
    ['listener.security.protocol.map', 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT'],
    ['controller.listener.names', 'CONTROLLER'],
    ['inter.broker.listener.name', 'PLAINTEXT'],
    ['log.dirs', s.dataDir],
    ['num.partitions', s.partitions],
    ['default.replication.factor', 1],
    ['min.insync.replicas', 1],
    ['offsets.topic.replication.factor', 1],
    ['transaction.state.log.replication.factor', 1],
    ['transaction.state.log.min.isr', 1],
    ['share.coordinator.state.topic.replication.factor', 1],
    ['share.coordinator.state.topic.min.isr', 1],
    // Fewer internal partitions than the defaults (50): the coordinators load in well under a second.
    ['offsets.topic.num.partitions', 3],
    ['transaction.state.log.num.partitions', 3],
    ['group.initial.rebalance.delay.ms', 0],
    ['auto.create.topics.enable', false],
    ['delete.topic.enable', true],
  ];
  return `${props.map(([k, v]) => `${k}=${v}`).join('\n')}\n`;
}

/** log4j2 config for the broker: everything to stdout, which the stack sends to logs/kafka.log. */
export function renderLog4j2Properties(): string {
  return [
    'status = warn',
    'appender.stdout.type = Console',
    'appender.stdout.name = STDOUT',
    'appender.stdout.layout.type = PatternLayout',
    'appender.stdout.layout.pattern = [%d] %p %m (%c)%n',
    'rootLogger.level = INFO',
    'rootLogger.appenderRef.stdout.ref = STDOUT',
    // The full config dump at every start drowns the lines that matter.
    'logger.config.name = org.apache.kafka.common.config.AbstractConfig',
    'logger.config.level = WARN',
    '',
  ].join('\n');
}

/** JVM flags: a modest heap (the whole stack shares 2 cores and a laptop's memory) and fail fast on OOM. */
export const KAFKA_JVM_OPTS = ['-Xms256m', '-Xmx512m', '-XX:+ExitOnOutOfMemoryError', '-Djava.awt.headless=true'] as const;
