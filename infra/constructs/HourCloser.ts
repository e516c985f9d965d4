import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config/index.js';
import { SchedulerSchedule } from '@cdktf/provider-aws/lib/scheduler-schedule/index.js';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue/index.js';
import type { InfraConfig } from '../config/InfraConfig.ts';
import type { Names } from '../config/names.ts';
import type { MetricAlarmSpec } from '../monitoring/consolidationAlarms.ts';
import { queueNotEmptyAlarm } from '../monitoring/queueNotEmptyAlarm.ts';
import { assumeRolePolicy, policyDocument, renderPolicy, type PolicyStatement } from '../iam/PolicyDocument.ts';
import { checkovSkip } from '../security/checkovSkip.ts';
import type { KafkaCluster } from './KafkaCluster.ts';
import { NodeFunction } from './NodeFunction.ts';
import { SCHEDULED_TIME_INPUT } from './ConsolidationJob.ts';

export interface HourCloserProps {
  config: InfraConfig;
  names: Names;
  /** infra/lambdas/hour-closer.ts (pipeline/completeness/scheduledHandler.ts, exported as `handler`). */
  entry: string;
  buildDir: string;
  bucketName: string;
  bucketArn: string;
  /** The landing bucket's key when it uses SSE-KMS: reading part files and putting markers go through it. */
  bucketKmsKeyArn: string | undefined;
  dataKeyArn: string;
  accountId: string;
  region: string;
  cluster: KafkaCluster;
  /** The private subnets and the pipeline Lambdas' security group (out to MSK 9098 and AWS APIs 443). */
  vpc: { subnetIds: string[]; securityGroupIds: string[] };
}

/**
 * The closer's state object, as CloserConfig derives it (`_state/completeness/<group>/<topic>/closer.json`).
 * Set explicitly in the function's environment so that the grant below and the key the function
 * writes are the same string.
 */
export function closerStateKey(groupId: string, topic: string): string {
  return `_state/completeness/${groupId}/${topic}/closer.json`;
}

/**
 * EventBridge Scheduler `rate()` expression (singular unit for 1).
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html#rate-based
 */
export function closerScheduleExpression(rateMinutes: number): string {
  return `rate(${rateMinutes} ${rateMinutes === 1 ? 'minute' : 'minutes'})`;
}

/**
 * The hour closer in AWS: a Lambda function (pipeline/completeness/scheduledHandler.ts) in the
 * private subnets next to MSK, invoked every `hourCloser.rateMinutes` by EventBridge Scheduler
 * for one pass — the hour markers `landing/<…>/YYYY-MM-DD/HH/_manifest.json` the daily
 * consolidation waits for. One pass at a time (reserved concurrency 1): the state object must not
 * be written by two passes at once. Failed passes (Lambda's retries spent) and undelivered
 * schedules go to one dead-letter queue.
 */
export class HourCloser extends Construct {
  readonly fn: NodeFunction;
  readonly deadLetterQueue: SqsQueue;
  readonly schedulerRole: IamRole;
  readonly schedule: SchedulerSchedule | undefined;
  readonly stateKey: string;

  constructor(scope: Construct, id: string, props: HourCloserProps) {
    super(scope, id);
    const { config, names, cluster } = props;
    const c = config.hourCloser;
    const { topic, consumerGroup } = config.kafka;
    const prefix = config.landingPrefix;
    this.stateKey = closerStateKey(consumerGroup, topic);
    const intervalSeconds = c.rateMinutes * 60;

    this.deadLetterQueue = new SqsQueue(this, 'dlq', {
      name: names.hourCloserDlq,
      messageRetentionSeconds: 14 * 24 * 3600,
      sqsManagedSseEnabled: true,
    });

    this.fn = new NodeFunction(this, 'lambda', {
      functionName: names.functions.hourCloser,
      description:
        'Hour closer (pipeline/completeness): one pass per schedule, writes the _manifest.json of every complete landing hour',
      entry: props.entry,
      buildDir: props.buildDir,
      runtime: c.runtime,
      memoryMb: c.memoryMb,
      timeoutSeconds: c.timeoutSeconds,
      logRetentionDays: config.monitoring.logRetentionDays,
      kmsKeyArn: props.dataKeyArn,
      accountId: props.accountId,
      vpc: props.vpc,
      // One pass at a time: two passes would both save the state object (last writer wins) and
      // race the marker puts. A throttled invocation waits in Lambda's asynchronous queue.
      reservedConcurrency: 1,
      deadLetterQueueArn: this.deadLetterQueue.arn,
      logGroupName: names.logGroups.hourCloser,
      environment: {
        KAFKA_BROKERS: cluster.bootstrapBrokers,
        KAFKA_AUTH: 'msk-iam',
        KAFKA_TOPIC: topic,
        // In AWS the writer is the Managed Flink job: its KafkaSource commits this group (the
        // application's `group.id` property, FlinkApplication.ts) when a checkpoint completes.
        WRITER_GROUP_ID: consumerGroup,
        LANDING_BUCKET: props.bucketName,
        LANDING_PREFIX: prefix,
        BUCKET_BY: 'processing-time',
        CLOSER_GRACE_MS: String(c.graceMs),
        CLOSER_STATE_KEY: this.stateKey,
        POWERTOOLS_SERVICE_NAME: 'chargeback-hour-closer',
      },
      statements: hourCloserStatements({
        bucketArn: props.bucketArn,
        prefix,
        stateKey: this.stateKey,
        bucketKmsKeyArn: props.bucketKmsKeyArn,
        region: props.region,
        clusterArn: cluster.clusterArn,
        topicArn: cluster.topicArn(topic),
        groupArn: cluster.groupArn(consumerGroup),
      }),
    });

    new LambdaFunctionEventInvokeConfig(this, 'async', {
      functionName: this.fn.fn.functionName,
      maximumRetryAttempts: c.retryAttempts,
      // Three intervals: older events are superseded by the passes scheduled since.
      maximumEventAgeInSeconds: Math.max(60, 3 * intervalSeconds),
    });

    this.schedulerRole = new IamRole(this, 'scheduler-role', {
      name: names.schedules.hourCloserRole,
      description: 'EventBridge Scheduler: invokes the hour closer',
      assumeRolePolicy: assumeRolePolicy('scheduler.amazonaws.com', props.accountId),
    });
    const schedulerPolicy = new IamRolePolicy(this, 'scheduler-policy', {
      role: this.schedulerRole.id,
      name: 'least-privilege',
      policy: renderPolicy(
        policyDocument([
          { Sid: 'InvokeHourCloser', Effect: 'Allow', Action: ['lambda:InvokeFunction'], Resource: this.fn.fn.arn },
          {
            // Scheduler's dead-letter queue is sent to with the schedule's role.
            Sid: 'SendUndeliveredPasses',
            Effect: 'Allow',
            Action: ['sqs:SendMessage'],
            Resource: this.deadLetterQueue.arn,
          },
        ]),
      ),
    });

    if (!c.enabled) {
      this.schedule = undefined;
      return;
    }
    this.schedule = new SchedulerSchedule(this, 'schedule', {
      name: names.schedules.hourCloser,
      description: `A pass of the hour closer every ${c.rateMinutes} minute(s): writes the marker of every landing hour the Flink job's group (${consumerGroup}) has committed past`,
      scheduleExpression: closerScheduleExpression(c.rateMinutes),
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: {
        arn: this.fn.fn.arn,
        roleArn: this.schedulerRole.arn,
        input: SCHEDULED_TIME_INPUT,
        // A delivery older than one interval is superseded by the next pass.
        retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: Math.max(60, intervalSeconds) },
        deadLetterConfig: { arn: this.deadLetterQueue.arn },
      },
      dependsOn: [schedulerPolicy],
    });
    checkovSkip(
      this.schedule,
      'CKV_AWS_297',
      "the schedule's input is only Scheduler's scheduled-time placeholder, no data; a customer-managed key would add a kms:Decrypt dependency to every pass for nothing to protect (Scheduler encrypts it with an AWS-owned key)",
    );
  }
}

interface HourCloserGrants {
  bucketArn: string;
  prefix: string;
  stateKey: string;
  bucketKmsKeyArn: string | undefined;
  region: string;
  clusterArn: string;
  topicArn: string;
  groupArn: string;
}

/**
 * What one pass calls, and nothing else. Kafka (kafkajs admin over MSK IAM): Metadata and
 * ListOffsets for the topic's high watermarks (fetchTopicOffsets), FindCoordinator and OffsetFetch
 * for the group's committed offsets (fetchOffsets). Kafka requires DESCRIBE on the topic for
 * Metadata, ListOffsets and OffsetFetch, and DESCRIBE on the group for FindCoordinator and
 * OffsetFetch (https://kafka.apache.org/documentation/#operations_resources_and_protocols); MSK's
 * equivalents are kafka-cluster:DescribeTopic and kafka-cluster:DescribeGroup, each requiring
 * kafka-cluster:Connect on the cluster
 * (https://docs.aws.amazon.com/msk/latest/developerguide/kafka-actions.html). No ReadData: the
 * closer reads offsets, never records; no AlterGroup: it commits nothing.
 */
export function hourCloserStatements(g: HourCloserGrants): PolicyStatement[] {
  return [
    { Sid: 'ConnectToCluster', Effect: 'Allow', Action: ['kafka-cluster:Connect'], Resource: g.clusterArn },
    { Sid: 'ReadTopicLogEnds', Effect: 'Allow', Action: ['kafka-cluster:DescribeTopic'], Resource: g.topicArn },
    { Sid: 'ReadWriterGroupOffsets', Effect: 'Allow', Action: ['kafka-cluster:DescribeGroup'], Resource: g.groupArn },
    {
      // The committed part files of an hour, read once to count rows and sum money (isLandedPartKey: `.parquet` only).
      Sid: 'ReadLandedPartFiles',
      Effect: 'Allow',
      Action: ['s3:GetObject'],
      Resource: `${g.bucketArn}/${g.prefix}*.parquet`,
    },
    {
      // Put with If-None-Match: *; read back only when the put found one there (same bytes or not).
      Sid: 'WriteHourMarkers',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject'],
      Resource: `${g.bucketArn}/${g.prefix}*/_manifest.json`,
    },
    {
      Sid: 'KeepCloserState',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject'],
      Resource: `${g.bucketArn}/${g.stateKey}`,
    },
    {
      // Listing an hour's folder (and the landing prefix on a cold start); the state key too, so
      // that a state object not written yet is a 404 (start over), not a 403.
      Sid: 'ListLandingZoneAndState',
      Effect: 'Allow',
      Action: ['s3:ListBucket'],
      Resource: g.bucketArn,
      Condition: { StringLike: { 's3:prefix': [g.prefix, `${g.prefix}*`, g.stateKey] } },
    },
    {
      // A Flink part file not yet committed is an open multipart upload under the hour's folder.
      // ListBucketMultipartUploads takes no s3:prefix condition key (a condition on it would never
      // match), so it is granted on the bucket; it lists upload keys and ids, no object data.
      // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
      Sid: 'ListOpenUploads',
      Effect: 'Allow',
      Action: ['s3:ListBucketMultipartUploads'],
      Resource: g.bucketArn,
    },
    ...(g.bucketKmsKeyArn
      ? [
          {
            // The landing key, through S3 only (the pattern of the Flink and consolidation roles).
            Sid: 'UseLandingKeyThroughS3',
            Effect: 'Allow' as const,
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
            Resource: g.bucketKmsKeyArn,
            Condition: { StringEquals: { 'kms:ViaService': `s3.${g.region}.amazonaws.com` } },
          },
        ]
      : []),
  ];
}

/**
 * The alarm of the hour closer, for the monitoring stack: a pass that failed every attempt (or a
 * schedule Scheduler could not deliver) is in the DLQ. A closer that keeps failing leaves hours
 * open, which the consolidation-day-late alarm would only report the next morning.
 */
export function hourCloserAlarmSpecs(names: Names): MetricAlarmSpec[] {
  return [
    queueNotEmptyAlarm({
      key: 'hour-closer-dlq-not-empty',
      prefix: names.prefix,
      queueName: names.hourCloserDlq,
      what: 'An hour closer pass failed every attempt (its error is in the function log and in the message), or EventBridge Scheduler could not invoke it: hours stay open and the day cannot be consolidated.',
    }),
  ];
}
