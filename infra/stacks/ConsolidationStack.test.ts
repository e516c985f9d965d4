import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { synth, resource, resources, ref, policyOf, statement, type TfBody, type TfJson } from '../test/synthFixture.ts';
import { parseInfraConfig } from '../config/InfraConfig.ts';
import { isWildcardAction } from '../iam/PolicyDocument.ts';
import { RUN_MAX_AGE_SECONDS, scheduleExpressions } from '../constructs/ConsolidationJob.ts';
import { DAY_NOT_CONSOLIDATED_METRIC, portsFromEnv } from '../../pipeline/consolidation/scheduledHandler.ts';

const s = synth();
const c = s.consolidation;
const fn = (owner: 'job' | 'check', st: TfJson = c) => resource(st, 'aws_lambda_function', `consolidation/${owner}/function`);
const rolePolicy = (owner: string, st: TfJson = c) => policyOf(resource(st, 'aws_iam_role_policy', `consolidation/${owner}`));
const dlq = resource(c, 'aws_sqs_queue');
const dlqArn = ref(c, 'aws_sqs_queue', dlq, 'arn');
const schedule = (suffix: string, st: TfJson = c) => resource(st, 'aws_scheduler_schedule', `consolidation/${suffix}`);
const env = (f: TfBody) => (f.environment as { variables: Record<string, string> }).variables;

/** The bucket ARN the stack got from the foundation stack, as it appears in the job's policy. */
function landingBucketArn(): string {
  return String(statement(rolePolicy('job/policy'), 'ListLandingAndConsolidatedZones').Resource);
}

describe('consolidation stack: the job', () => {
  it('runs pipeline/consolidation/scheduledHandler.ts on Node 22 with memory and the full 15 minutes, one at a time, outside the VPC', () => {
    const job = fn('job');
    assert.equal(job.function_name, 'chargeback-cdc-dev-consolidation');
    assert.equal(job.runtime, 'nodejs22.x');
    assert.equal(job.memory_size, 4096);
    assert.equal(job.timeout, 900);
    assert.equal(job.reserved_concurrent_executions, 1);
    assert.equal(job.vpc_config, undefined);
    assert.deepEqual(job.dead_letter_config, { target_arn: dlqArn });
    const v = env(job);
    assert.match(v.LANDING_BUCKET!, /terraform_remote_state.*aws_s3_bucket/);
    assert.deepEqual(
      [v.LANDING_PREFIX, v.CONSOLIDATED_PREFIX, v.CONSOLIDATION_TARGET_BYTES, v.CONSOLIDATION_CSV, v.CONSOLIDATION_DEADLINE_HOUR],
      ['landing/chargebacks/', 'consolidated/chargebacks/', String(128 * 1024 * 1024), 'changes', '6'],
    );
  });

  it('may read the landing zone, write and delete only under the consolidated prefix, list only those two prefixes, and use the bucket key only through S3', () => {
    const p = rolePolicy('job/policy');
    const bucket = landingBucketArn();
    assert.match(bucket, /terraform_remote_state.*aws_s3_bucket/);
    assert.deepEqual(statement(p, 'ReadLandingZone'), {
      Sid: 'ReadLandingZone',
      Effect: 'Allow',
      Action: ['s3:GetObject'],
      Resource: `${bucket}/landing/chargebacks/*`,
    });
    assert.deepEqual(statement(p, 'WriteConsolidatedZone').Action, ['s3:GetObject', 's3:PutObject', 's3:DeleteObject']);
    assert.equal(statement(p, 'WriteConsolidatedZone').Resource, `${bucket}/consolidated/chargebacks/*`);
    assert.deepEqual(statement(p, 'ListLandingAndConsolidatedZones').Condition, {
      StringLike: {
        's3:prefix': ['landing/chargebacks/', 'landing/chargebacks/*', 'consolidated/chargebacks/', 'consolidated/chargebacks/*'],
      },
    });
    const kms = statement(p, 'UseLandingKeyThroughS3');
    assert.deepEqual(kms.Action, ['kms:Decrypt', 'kms:GenerateDataKey']);
    assert.match(String(kms.Resource), /aws_kms_key/);
    assert.deepEqual(kms.Condition, { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } });
    assert.deepEqual(statement(p, 'SendFailedEvents'), {
      Sid: 'SendFailedEvents',
      Effect: 'Allow',
      Action: ['sqs:SendMessage'],
      Resource: dlqArn,
    });
    // Every S3 right of the role, and nothing on the bucket outside the two prefixes.
    const s3 = p.Statement.filter((x) => x.Action.some((a) => a.startsWith('s3:')));
    assert.deepEqual(
      s3.map((x) => x.Sid),
      ['ReadLandingZone', 'WriteConsolidatedZone', 'ListLandingAndConsolidatedZones'],
    );
    for (const x of p.Statement) assert.deepEqual(x.Action.filter(isWildcardAction), [], x.Sid);
  });

  it('retries a failed run as configured for at most an hour, then leaves the event in the DLQ', () => {
    const async = resource(c, 'aws_lambda_function_event_invoke_config', 'consolidation/job-async');
    assert.equal(async.function_name, ref(c, 'aws_lambda_function', fn('job'), 'function_name'));
    assert.deepEqual([async.maximum_retry_attempts, async.maximum_event_age_in_seconds], [2, RUN_MAX_AGE_SECONDS]);
    assert.equal(dlq.sqs_managed_sse_enabled, true);
    assert.equal(dlq.name, 'chargeback-cdc-dev-consolidation-dlq');
  });
});

describe('consolidation stack: the deadline check', () => {
  it('is a small function that may only read day manifests', () => {
    const check = fn('check');
    assert.equal(check.function_name, 'chargeback-cdc-dev-consolidation-check');
    assert.equal(check.reserved_concurrent_executions, undefined, 'runs even while a consolidation holds the job');
    assert.equal(env(check).CONSOLIDATION_DEADLINE_HOUR, '6');
    const p = rolePolicy('check/policy');
    const bucket = landingBucketArn();
    assert.deepEqual(statement(p, 'ReadDayManifests').Resource, `${bucket}/consolidated/chargebacks/*/_manifest.json`);
    assert.deepEqual(statement(p, 'ListConsolidatedZone').Condition, {
      StringLike: { 's3:prefix': ['consolidated/chargebacks/', 'consolidated/chargebacks/*'] },
    });
    assert.deepEqual(statement(p, 'UseLandingKeyThroughS3').Action, ['kms:Decrypt']);
    const actions = p.Statement.flatMap((x) => x.Action);
    for (const a of ['s3:PutObject', 's3:DeleteObject', 'kms:GenerateDataKey']) assert.ok(!actions.includes(a), a);
  });
});

describe('consolidation stack: the schedules', () => {
  it('runs the job hourly in UTC for yesterday, and the check at the deadline hour, each with the scheduled time in the event', () => {
    const hourly = schedule('hourly');
    const check = schedule('deadline-check');
    assert.deepEqual(
      [hourly.name, hourly.schedule_expression, hourly.schedule_expression_timezone, hourly.flexible_time_window, hourly.state],
      ['chargeback-cdc-dev-consolidation-hourly', 'cron(15 0-23 * * ? *)', 'UTC', { mode: 'OFF' }, 'ENABLED'],
    );
    assert.deepEqual([check.schedule_expression, check.schedule_expression_timezone], ['cron(0 6 * * ? *)', 'UTC']);
    for (const [sch, owner] of [
      [hourly, 'job'],
      [check, 'check'],
    ] as const) {
      const target = sch.target as Record<string, unknown>;
      assert.equal(target.arn, ref(c, 'aws_lambda_function', fn(owner), 'arn'));
      assert.deepEqual(JSON.parse(target.input as string), { scheduledTime: '<aws.scheduler.scheduled-time>' });
      assert.deepEqual(target.retry_policy, { maximum_retry_attempts: 10, maximum_event_age_in_seconds: 3600 });
      assert.deepEqual(target.dead_letter_config, { arn: dlqArn });
      assert.equal(target.role_arn, ref(c, 'aws_iam_role', resource(c, 'aws_iam_role', 'consolidation/scheduler-role'), 'arn'));
    }
  });

  it('gives Scheduler its own role: invoke the two functions and send to the DLQ, nothing else', () => {
    const role = resource(c, 'aws_iam_role', 'consolidation/scheduler-role');
    const trust = policyOf(role, 'assume_role_policy');
    assert.deepEqual(trust.Statement[0]!.Principal, { Service: 'scheduler.amazonaws.com' });
    const p = rolePolicy('scheduler-policy');
    assert.deepEqual(p.Statement, [
      {
        Sid: 'InvokeConsolidation',
        Effect: 'Allow',
        Action: ['lambda:InvokeFunction'],
        Resource: [ref(c, 'aws_lambda_function', fn('job'), 'arn'), ref(c, 'aws_lambda_function', fn('check'), 'arn')],
      },
      { Sid: 'SendUndeliveredRuns', Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: dlqArn },
    ]);
  });

  it('follows the configured window and deadline; without schedules the functions stay', () => {
    const cfg = parseInfraConfig({ consolidation: { schedule: { firstHour: 1, lastHour: 9, minute: 40 }, deadlineHour: 8 } });
    assert.deepEqual(scheduleExpressions(cfg.consolidation), {
      consolidation: 'cron(40 1-9 * * ? *)',
      deadlineCheck: 'cron(0 8 * * ? *)',
    });
    const one = parseInfraConfig({ consolidation: { schedule: { firstHour: 2, lastHour: 2 }, deadlineHour: 3 } });
    assert.equal(scheduleExpressions(one.consolidation).consolidation, 'cron(15 2 * * ? *)');
    const off = synth({ consolidation: { enabled: false } });
    assert.equal(resources(off.consolidation, 'aws_scheduler_schedule').length, 0);
    assert.equal(resources(off.consolidation, 'aws_lambda_function').length, 2);
  });

  it('refuses a window that ends before it starts and a deadline not after the first run, naming both', () => {
    assert.throws(
      () => parseInfraConfig({ consolidation: { schedule: { firstHour: 6, lastHour: 2 }, deadlineHour: 5 } }),
      (e: Error) =>
        /consolidation\.schedule\.lastHour: the run window ends before it starts/.test(e.message) &&
        /consolidation\.deadlineHour: the deadline \(5:00 UTC\) must come after the first run \(6:15 UTC\)/.test(e.message),
    );
  });

  it('uses no bucket key with an SSE-S3 bucket', () => {
    const sse = synth({ bucket: { encryption: 'SSE-S3' } });
    for (const owner of ['job/policy', 'check/policy'])
      assert.ok(!rolePolicy(owner, sse.consolidation).Statement.some((x) => x.Sid === 'UseLandingKeyThroughS3'), owner);
  });
});

describe('monitoring stack: the consolidation alarms', () => {
  const alarms = resources(s.monitoring, 'aws_cloudwatch_metric_alarm').map(([, b]) => b);
  const byName = (suffix: string) => {
    const a = alarms.find((x) => x.alarm_name === `chargeback-cdc-dev-${suffix}`);
    assert.ok(a, suffix);
    return a;
  };

  it('alarms when yesterday is not consolidated by the deadline, and keeps that state while nothing is published', () => {
    const late = byName('consolidation-day-late');
    assert.deepEqual(
      [late.namespace, late.metric_name, late.dimensions, late.statistic, late.period],
      ['ChargebackCdc', 'DayNotConsolidated', { service: 'chargeback-consolidation' }, 'Maximum', 300],
    );
    assert.deepEqual(
      [late.comparison_operator, late.threshold, late.evaluation_periods, late.datapoints_to_alarm, late.treat_missing_data],
      ['GreaterThanOrEqualToThreshold', 1, 1, 1, 'ignore'],
    );
    assert.match(String(late.alarm_description), /by 06:00 UTC/);
  });

  it('watches the metric exactly as the handler publishes it (namespace, name, service dimension)', () => {
    const late = byName('consolidation-day-late');
    const metrics = portsFromEnv({ LANDING_BUCKET: 'b' }).metrics as Metrics;
    metrics.addMetric(DAY_NOT_CONSOLIDATED_METRIC, 'Count', 1);
    const emf = metrics.serializeMetrics() as unknown as Record<string, unknown> & {
      _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] };
    };
    const directive = emf._aws.CloudWatchMetrics[0]!;
    assert.equal(directive.Namespace, late.namespace);
    assert.deepEqual(
      directive.Metrics.map((m) => m.Name),
      [late.metric_name],
    );
    const dims = late.dimensions as Record<string, string>;
    assert.deepEqual(directive.Dimensions, [Object.keys(dims)]);
    for (const [k, v] of Object.entries(dims)) assert.equal(emf[k], v);
  });

  it('alarms as soon as the consolidation DLQ holds a failed run or check', () => {
    const d = byName('consolidation-dlq-not-empty');
    assert.deepEqual(
      [d.namespace, d.metric_name, d.dimensions, d.comparison_operator, d.threshold, d.treat_missing_data],
      [
        'AWS/SQS',
        'ApproximateNumberOfMessagesVisible',
        { QueueName: 'chargeback-cdc-dev-consolidation-dlq' },
        'GreaterThanThreshold',
        0,
        'notBreaching',
      ],
    );
  });
});
