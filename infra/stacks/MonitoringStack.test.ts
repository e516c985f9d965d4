import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { synth, resource, resources, ref, policyOf } from '../test/synthFixture.ts';

describe('monitoring stack', () => {
  const s = synth({ monitoring: { alarmEmail: 'oncall@example.com' } });
  const m = s.monitoring;
  const alarms = resources(m, 'aws_cloudwatch_metric_alarm').map(([, b]) => b);
  const topic = resource(m, 'aws_sns_topic');
  const byName = (suffix: string) => {
    const a = alarms.find((x) => x.alarm_name === `chargeback-cdc-dev-${suffix}`);
    assert.ok(a, `alarm ${suffix}`);
    return a;
  };

  it('has at least five alarms, each notifying the KMS-encrypted alarm topic on alarm and on recovery', () => {
    assert.ok(alarms.length >= 5, `${alarms.length} alarms`);
    assert.match(String(topic.kms_master_key_id), /terraform_remote_state.*aws_kms_key/);
    const topicArn = ref(m, 'aws_sns_topic', topic, 'arn');
    for (const a of alarms) {
      assert.deepEqual(a.alarm_actions, [topicArn], String(a.alarm_name));
      assert.deepEqual(a.ok_actions, [topicArn], String(a.alarm_name));
      assert.ok(String(a.alarm_description).length > 20);
    }
    assert.equal(resource(m, 'aws_sns_topic_subscription').endpoint, 'oncall@example.com');
    const policy = policyOf(resource(m, 'aws_sns_topic_policy'));
    assert.deepEqual(policy.Statement[0]!.Principal, { Service: 'cloudwatch.amazonaws.com' });
  });

  it('alarms on stream-processor errors and iterator age', () => {
    const errors = byName('stream-processor-errors');
    assert.deepEqual([errors.namespace, errors.metric_name, errors.dimensions], ['AWS/Lambda', 'Errors', { FunctionName: 'chargeback-cdc-dev-stream-processor' }]);
    const age = byName('stream-processor-iterator-age');
    assert.deepEqual([age.metric_name, age.statistic, age.threshold], ['IteratorAge', 'Maximum', 60000]);
  });

  it('alarms as soon as the DLQ holds a message', () => {
    const dlq = byName('stream-dlq-not-empty');
    assert.deepEqual([dlq.namespace, dlq.metric_name, dlq.dimensions], ['AWS/SQS', 'ApproximateNumberOfMessagesVisible', { QueueName: 'chargeback-cdc-dev-stream-dlq' }]);
    assert.deepEqual([dlq.comparison_operator, dlq.threshold], ['GreaterThanThreshold', 0]);
  });

  it('alarms on Flink downtime, on a newly failed checkpoint, and on records lag', () => {
    const down = byName('flink-downtime');
    assert.deepEqual([down.namespace, down.metric_name, down.dimensions, down.treat_missing_data], ['AWS/KinesisAnalytics', 'downtime', { Application: 'chargeback-cdc-dev-parquet-writer' }, 'breaching']);
    const failed = byName('flink-failed-checkpoints');
    const queries = failed.metric_query as { id: string; expression?: string; metric?: { metric_name: string } }[];
    assert.equal(queries.find((q) => q.id === 'm1')!.metric!.metric_name, 'numberOfFailedCheckpoints');
    assert.equal(queries.find((q) => q.id === 'e1')!.expression, 'DIFF(m1)');
    const lag = byName('flink-records-lag');
    assert.deepEqual([lag.metric_name, lag.threshold], ['records_lag_max', 10000]);
  });

  it('names in alarm dimensions are the physical names the other stacks create', () => {
    const fnNames = resources(s.streaming, 'aws_lambda_function').map(([, b]) => b.function_name);
    const dimension = (suffix: string, key: string) => (byName(suffix).dimensions as Record<string, string>)[key];
    assert.ok(fnNames.includes(dimension('stream-processor-errors', 'FunctionName')));
    assert.equal(resource(s.streaming, 'aws_sqs_queue').name, dimension('stream-dlq-not-empty', 'QueueName'));
    assert.equal(resource(s.streaming, 'aws_kinesisanalyticsv2_application').name, dimension('flink-downtime', 'Application'));
    assert.equal(resource(s.streaming, 'aws_msk_serverless_cluster').cluster_name, 'chargeback-cdc-dev-msk');
  });

  it("draws the seed's dashboard: Lambda invocations/errors/duration/iterator age, MSK throughput, Flink uptime/records/checkpoints, DLQ depth", () => {
    const dash = resource(m, 'aws_cloudwatch_dashboard');
    assert.equal(dash.dashboard_name, 'chargeback-cdc-dev-pipeline');
    const body = JSON.parse(dash.dashboard_body as string) as { widgets: { type: string; properties: { metrics?: unknown[][]; alarms?: string[] } }[] };
    const metrics = new Set(body.widgets.flatMap((w) => (w.properties.metrics ?? []).map((mm) => `${mm[0]}:${mm[1]}`)));
    for (const want of [
      'AWS/Lambda:Invocations',
      'AWS/Lambda:Errors',
      'AWS/Lambda:Duration',
      'AWS/Lambda:IteratorAge',
      'AWS/Kafka:BytesInPerSec',
      'AWS/Kafka:BytesOutPerSec',
      'AWS/Kafka:MessagesInPerSec',
      'AWS/KinesisAnalytics:uptime',
      'AWS/KinesisAnalytics:numRecordsInPerSecond',
      'AWS/KinesisAnalytics:numRecordsOutPerSecond',
      'AWS/KinesisAnalytics:lastCheckpointDuration',
      'AWS/KinesisAnalytics:numberOfFailedCheckpoints',
      'AWS/SQS:ApproximateNumberOfMessagesVisible',
    ]) {
      assert.ok(metrics.has(want), `dashboard shows ${want}`);
    }
    const alarmWidget = body.widgets.find((w) => w.type === 'alarm')!;
    assert.equal(alarmWidget.properties.alarms!.length, alarms.length);
    assert.ok(body.widgets.some((w) => w.type === 'log'), 'recent error logs');
  });

  it('outputs cloudwatch_dashboard_url', () => {
    assert.equal(m.output?.cloudwatch_dashboard_url?.value, 'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards:name=chargeback-cdc-dev-pipeline');
  });
});
