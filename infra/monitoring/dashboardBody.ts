import type { InfraConfig } from '../config/InfraConfig.ts';
import type { Names } from '../config/names.ts';
import { Namespaces } from './alarmSpecs.ts';

/**
 * The pipeline dashboard: the seed's widgets (Lambda invocations/errors/duration, MSK
 * throughput, Flink uptime and records, recent error logs) plus what operating it needs —
 * iterator age, consumer lag, checkpoints, DLQ depth, the API, and the alarms' states.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html
 */
export interface DashboardInputs {
  config: InfraConfig;
  names: Names;
  /** API Gateway id (ApiId dimension of AWS/ApiGateway). */
  apiId: string;
  alarmArns: string[];
}

type Metric = (string | Record<string, unknown>)[];
interface Widget {
  type: 'metric' | 'log' | 'alarm' | 'text';
  x: number;
  y: number;
  width: number;
  height: number;
  properties: Record<string, unknown>;
}

export function dashboardBody(inputs: DashboardInputs): { widgets: Widget[] } {
  const { config, names } = inputs;
  const region = config.region;
  const sp = names.functions.streamProcessor;
  const cluster = names.mskCluster;
  const app = names.flinkApplication;
  const widgets: Widget[] = [];
  let y = 0;
  const row = (...cells: Omit<Widget, 'x' | 'y' | 'width' | 'height'>[]) => {
    const width = 24 / cells.length;
    cells.forEach((c, i) => widgets.push({ ...c, x: i * width, y, width, height: 6 }));
    y += 6;
  };
  const chart = (title: string, metrics: Metric[], extra: Record<string, unknown> = {}): Omit<Widget, 'x' | 'y' | 'width' | 'height'> => ({
    type: 'metric',
    properties: { title, region, view: 'timeSeries', stacked: false, period: 60, metrics, ...extra },
  });

  widgets.push({ type: 'text', x: 0, y, width: 24, height: 2, properties: { markdown: `# ${names.prefix} — DynamoDB → Lambda → MSK → Flink → S3 Parquet\nTable \`${names.table}\` · topic \`${config.kafka.topic}\` · landing \`${config.landingPrefix}\`` } });
  y += 2;

  row(
    chart('Stream processor: invocations, errors, throttles', [
      [Namespaces.LAMBDA, 'Invocations', 'FunctionName', sp, { stat: 'Sum' }],
      [Namespaces.LAMBDA, 'Errors', 'FunctionName', sp, { stat: 'Sum' }],
      [Namespaces.LAMBDA, 'Throttles', 'FunctionName', sp, { stat: 'Sum' }],
    ]),
    chart('Stream processor: duration (ms)', [
      [Namespaces.LAMBDA, 'Duration', 'FunctionName', sp, { stat: 'Average' }],
      [Namespaces.LAMBDA, 'Duration', 'FunctionName', sp, { stat: 'p99' }],
    ]),
    chart('Stream processor: iterator age (ms)', [[Namespaces.LAMBDA, 'IteratorAge', 'FunctionName', sp, { stat: 'Maximum' }]], {
      annotations: { horizontal: [{ label: 'alarm', value: config.monitoring.iteratorAgeAlarmMs }] },
    }),
  );
  row(
    chart('MSK: throughput (bytes/s)', [
      [Namespaces.KAFKA, 'BytesInPerSec', 'Cluster Name', cluster, 'Topic', config.kafka.topic, { stat: 'Sum' }],
      [Namespaces.KAFKA, 'BytesOutPerSec', 'Cluster Name', cluster, 'Topic', config.kafka.topic, { stat: 'Sum' }],
    ]),
    chart('MSK: messages in/s', [
      [Namespaces.KAFKA, 'MessagesInPerSec', 'Cluster Name', cluster, 'Topic', config.kafka.topic, { stat: 'Sum' }],
      [Namespaces.KAFKA, 'MessagesInPerSec', 'Cluster Name', cluster, 'Topic', config.kafka.dlqTopic, { stat: 'Sum', label: 'dead letters' }],
    ]),
    chart('MSK: consumer lag of the writer group (records)', [
      [Namespaces.KAFKA, 'MaxOffsetLag', 'Cluster Name', cluster, 'Consumer Group', config.kafka.consumerGroup, 'Topic', config.kafka.topic, { stat: 'Maximum' }],
      [Namespaces.FLINK, 'records_lag_max', 'Application', app, { stat: 'Maximum', label: 'Flink records_lag_max' }],
    ]),
  );
  row(
    chart('Flink: uptime / downtime (ms), full restarts', [
      [Namespaces.FLINK, 'uptime', 'Application', app, { stat: 'Maximum' }],
      [Namespaces.FLINK, 'downtime', 'Application', app, { stat: 'Maximum' }],
      [Namespaces.FLINK, 'fullRestarts', 'Application', app, { stat: 'Maximum', yAxis: 'right' }],
    ]),
    chart('Flink: records in/out per second', [
      [Namespaces.FLINK, 'numRecordsInPerSecond', 'Application', app, { stat: 'Average' }],
      [Namespaces.FLINK, 'numRecordsOutPerSecond', 'Application', app, { stat: 'Average' }],
    ]),
    chart('Flink: checkpoints', [
      [Namespaces.FLINK, 'lastCheckpointDuration', 'Application', app, { stat: 'Maximum' }],
      [Namespaces.FLINK, 'numberOfFailedCheckpoints', 'Application', app, { stat: 'Maximum', yAxis: 'right' }],
      [Namespaces.FLINK, 'KPUs', 'Application', app, { stat: 'Maximum', yAxis: 'right' }],
    ]),
  );
  row(
    chart('Stream DLQ depth', [
      [Namespaces.SQS, 'ApproximateNumberOfMessagesVisible', 'QueueName', names.dlqQueue, { stat: 'Maximum' }],
      [Namespaces.SQS, 'ApproximateAgeOfOldestMessage', 'QueueName', names.dlqQueue, { stat: 'Maximum', yAxis: 'right' }],
    ]),
    chart('API: requests, 4xx, 5xx', [
      [Namespaces.API, 'Count', 'ApiId', inputs.apiId, { stat: 'Sum' }],
      [Namespaces.API, '4xx', 'ApiId', inputs.apiId, { stat: 'Sum' }],
      [Namespaces.API, '5xx', 'ApiId', inputs.apiId, { stat: 'Sum' }],
    ]),
    chart('API Lambda: invocations, errors, duration', [
      [Namespaces.LAMBDA, 'Invocations', 'FunctionName', names.functions.api, { stat: 'Sum' }],
      [Namespaces.LAMBDA, 'Errors', 'FunctionName', names.functions.api, { stat: 'Sum' }],
      [Namespaces.LAMBDA, 'Duration', 'FunctionName', names.functions.api, { stat: 'p99', yAxis: 'right' }],
    ]),
  );
  row(
    {
      type: 'log',
      properties: {
        title: 'Recent errors (stream processor, API, Flink)',
        region,
        view: 'table',
        query: [
          `SOURCE '${names.logGroups.streamProcessor}' | SOURCE '${names.logGroups.api}' | SOURCE '${names.logGroups.flink}'`,
          '| fields @timestamp, @log, @message',
          '| filter @message like /(?i)(error|exception)/',
          '| sort @timestamp desc',
          '| limit 50',
        ].join(' '),
      },
    },
    { type: 'alarm', properties: { title: 'Alarms', alarms: inputs.alarmArns, sortBy: 'stateUpdatedTimestamp' } },
  );
  return { widgets };
}

export function dashboardUrl(region: string, dashboardName: string): string {
  return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards:name=${dashboardName}`;
}
