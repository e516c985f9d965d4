import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { synth, resource, resources, ref, policyOf } from '../test/synthFixture.ts';
import { ALARM_KEYS, Alarms, cloudMetricOf, localWidgets, Widgets } from '../../pipeline/metrics/index.ts';
import { InfraConfig } from '../config/InfraConfig.ts';

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
    assert.deepEqual(
      [errors.namespace, errors.metric_name, errors.dimensions],
      ['AWS/Lambda', 'Errors', { FunctionName: 'chargeback-cdc-dev-stream-processor' }],
    );
    const age = byName('stream-processor-iterator-age');
    assert.deepEqual([age.metric_name, age.statistic, age.threshold], ['IteratorAge', 'Maximum', 60000]);
  });

  it('alarms as soon as the DLQ holds a message', () => {
    const dlq = byName('stream-dlq-not-empty');
    assert.deepEqual(
      [dlq.namespace, dlq.metric_name, dlq.dimensions],
      ['AWS/SQS', 'ApproximateNumberOfMessagesVisible', { QueueName: 'chargeback-cdc-dev-stream-dlq' }],
    );
    assert.deepEqual([dlq.comparison_operator, dlq.threshold], ['GreaterThanThreshold', 0]);
  });

  it('alarms on Flink downtime, on a newly failed checkpoint, and on records lag', () => {
    const down = byName('flink-downtime');
    assert.deepEqual(
      [down.namespace, down.metric_name, down.dimensions, down.treat_missing_data],
      ['AWS/KinesisAnalytics', 'downtime', { Application: 'chargeback-cdc-dev-parquet-writer' }, 'breaching'],
    );
    const failed = byName('flink-failed-checkpoints');
    const queries = failed.metric_query as { id: string; expression?: string; metric?: { metric_name: string } }[];
    assert.equal(queries.find((q) => q.id === 'm1')!.metric!.metric_name, 'numberOfFailedCheckpoints');
    assert.equal(queries.find((q) => q.id === 'e1')!.expression, 'DIFF(m1)');
    const lag = byName('flink-records-lag');
    assert.equal(lag.threshold, 10000);
  });

  it('alarms on the writer lag with MSK MaxOffsetLag of the consumer group, not a Flink metric that may never be published at application level', () => {
    const lag = byName('flink-records-lag');
    assert.deepEqual(
      [lag.namespace, lag.metric_name, lag.statistic, lag.dimensions],
      [
        'AWS/Kafka',
        'MaxOffsetLag',
        'Maximum',
        { 'Cluster Name': 'chargeback-cdc-dev-msk', 'Consumer Group': 'flink-parquet-writer', Topic: 'chargebacks' },
      ],
    );
    const flinkProps = (
      resource(s.streaming, 'aws_kinesisanalyticsv2_application').application_configuration as {
        environment_properties: { property_group: { property_map: Record<string, string> }[] };
      }
    ).environment_properties.property_group[0]!.property_map;
    assert.equal(flinkProps['group.id'], 'flink-parquet-writer', 'the group the alarm watches is the one the job commits to');
  });

  it('names in alarm dimensions are the physical names the other stacks create', () => {
    const fnNames = resources(s.streaming, 'aws_lambda_function').map(([, b]) => b.function_name);
    const dimension = (suffix: string, key: string) => (byName(suffix).dimensions as Record<string, string>)[key];
    assert.ok(fnNames.includes(dimension('stream-processor-errors', 'FunctionName')));
    assert.equal(resource(s.streaming, 'aws_sqs_queue', 'stream-dlq').name, dimension('stream-dlq-not-empty', 'QueueName'));
    assert.equal(resource(s.streaming, 'aws_kinesisanalyticsv2_application').name, dimension('flink-downtime', 'Application'));
    assert.equal(resource(s.streaming, 'aws_msk_serverless_cluster').cluster_name, 'chargeback-cdc-dev-msk');
  });

  it("draws the seed's dashboard: Lambda invocations/errors/duration/iterator age, MSK throughput, Flink uptime/records/checkpoints, DLQ depth", () => {
    const dash = resource(m, 'aws_cloudwatch_dashboard');
    assert.equal(dash.dashboard_name, 'chargeback-cdc-dev-pipeline');
    const body = JSON.parse(dash.dashboard_body as string) as {
      widgets: { type: string; properties: { metrics?: unknown[][]; alarms?: string[] } }[];
    };
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
    assert.ok(
      body.widgets.some((w) => w.type === 'log'),
      'recent error logs',
    );
  });

  it('deploys every alarm of the metric catalogue with its threshold, statistic and periods (one definition for CloudWatch and the local dashboard)', () => {
    // Plus the consolidation's own two (ConsolidationStack.test.ts) and the hour closer's DLQ alarm
    // (StreamingStack.test.ts), which are not in the catalogue.
    const consolidation = ['consolidation-day-late', 'consolidation-dlq-not-empty', 'hour-closer-dlq-not-empty'];
    assert.deepEqual(
      alarms.map((a) => a.alarm_name).sort(),
      [...ALARM_KEYS, ...consolidation].map((k) => `chargeback-cdc-dev-${k}`).sort(),
    );
    for (const key of ALARM_KEYS) {
      const a = byName(key);
      const def = Alarms[key];
      assert.deepEqual(
        [a.threshold, a.comparison_operator, a.evaluation_periods, a.datapoints_to_alarm],
        [def.threshold, def.comparison, def.evaluationPeriods, def.datapointsToAlarm],
        key,
      );
      const period =
        'expression' in def
          ? (a.metric_query as { metric?: { period: number } }[]).find((q) => q.metric)!.metric!.period
          : a.period;
      assert.equal(period, def.period, key);
    }
  });

  it("the deployment's tunable thresholds default to the catalogue's values", () => {
    const m = InfraConfig.parse({}).monitoring;
    assert.equal(m.iteratorAgeAlarmMs, Alarms['stream-processor-iterator-age'].threshold);
    assert.equal(m.flinkRecordsLagAlarm, Alarms['flink-records-lag'].threshold);
    assert.equal(m.lambdaErrorsAlarm, Alarms['stream-processor-errors'].threshold);
    assert.equal(m.lambdaErrorsAlarm, Alarms['api-errors'].threshold);
  });

  it('alarms on API 5xx through our own EMF metric, and on records arriving on the DLQ topic', () => {
    const api = byName('api-errors');
    assert.deepEqual(
      [api.namespace, api.metric_name, api.dimensions, api.statistic],
      ['ChargebackCdc', 'ApiServerErrors', { service: 'chargeback-api' }, 'Sum'],
    );
    const topic = byName('topic-dlq-receiving');
    assert.deepEqual(
      [topic.namespace, topic.metric_name, topic.dimensions],
      ['AWS/Kafka', 'MessagesInPerSec', { 'Cluster Name': 'chargeback-cdc-dev-msk', Topic: 'chargebacks-dlq' }],
    );
  });

  it('draws the widgets of the metric catalogue, the same the local dashboard draws', () => {
    const body = JSON.parse(resource(m, 'aws_cloudwatch_dashboard').dashboard_body as string) as {
      widgets: {
        type: string;
        width: number;
        x: number;
        properties: { title?: string; metrics?: unknown[][]; annotations?: unknown };
      }[];
    };
    const titles = body.widgets.filter((w) => w.type === 'metric').map((w) => w.properties.title);
    // Every catalogue widget with a series CloudWatch has; the embedded writer's own (files, open buckets) are local only.
    assert.deepEqual(
      titles,
      Widgets.filter((w) => w.series.some((ref) => cloudMetricOf(ref))).map((w) => w.title),
    );
    const local = localWidgets().map((w) => w.title);
    for (const w of Widgets) assert.ok(titles.includes(w.title) || local.includes(w.title), `${w.title} is drawn somewhere`);
    assert.ok(titles.length >= 10);
    const ours = body.widgets.flatMap((w) => w.properties.metrics ?? []).filter((mm) => mm[0] === 'ChargebackCdc');
    assert.ok(
      ours.some((mm) => mm[1] === 'ApiRequests' && mm[2] === 'service' && mm[3] === 'chargeback-api'),
      'our EMF metrics appear with their service dimension',
    );
    const age = body.widgets.find((w) => w.properties.title === 'Stream: iterator age (ms)')!;
    assert.deepEqual(age.properties.annotations, {
      horizontal: [{ label: 'alarm stream-processor-iterator-age', value: 60000 }],
    });
    for (const w of body.widgets) assert.ok(w.x + w.width <= 24, 'widgets fit the 24-column grid');
  });

  it('outputs cloudwatch_dashboard_url', () => {
    assert.equal(
      m.output?.cloudwatch_dashboard_url?.value,
      'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards:name=chargeback-cdc-dev-pipeline',
    );
  });
});
