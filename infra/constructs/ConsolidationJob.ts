import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config/index.js';
import { SchedulerSchedule } from '@cdktf/provider-aws/lib/scheduler-schedule/index.js';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue/index.js';
import type { InfraConfig } from '../config/InfraConfig.ts';
import type { Names } from '../config/names.ts';
import { assumeRolePolicy, policyDocument, renderPolicy, type PolicyStatement } from '../iam/PolicyDocument.ts';
import { checkovSkip } from '../security/checkovSkip.ts';
import { NodeFunction } from './NodeFunction.ts';

export interface ConsolidationJobProps {
  config: InfraConfig;
  names: Names;
  /** pipeline/consolidation/scheduledHandler.ts (exports `handler`). */
  jobEntry: string;
  /** infra/lambdas/consolidation-check.ts (the check, exported as `handler`). */
  checkEntry: string;
  buildDir: string;
  bucketName: string;
  bucketArn: string;
  /** The landing bucket's key when it uses SSE-KMS: reading and writing objects goes through it. */
  bucketKmsKeyArn: string | undefined;
  dataKeyArn: string;
  accountId: string;
  region: string;
}

/**
 * EventBridge Scheduler invokes a Lambda function asynchronously and puts the time the run was due
 * into the event: the handler derives "yesterday" from it, so a retried or throttled invocation
 * still targets the day it was scheduled for.
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-context-attributes.html
 */
export const SCHEDULED_TIME_INPUT = JSON.stringify({ scheduledTime: '<aws.scheduler.scheduled-time>' });

/** How long Scheduler (delivery) and Lambda (throttled or failed runs) keep trying one run: the next hourly run supersedes it. */
export const RUN_MAX_AGE_SECONDS = 3600;

/**
 * The daily consolidation in AWS: the job function (pipeline/consolidation/scheduledHandler.ts, the
 * same consolidateDay the CLI runs), one at a time (reserved concurrency 1), invoked hourly for
 * yesterday by EventBridge Scheduler; a small check function invoked at the deadline hour that
 * publishes DayNotConsolidated; one dead-letter queue for events neither could process (Scheduler's
 * failed deliveries and Lambda's failed asynchronous runs).
 */
export class ConsolidationJob extends Construct {
  readonly job: NodeFunction;
  readonly check: NodeFunction;
  readonly deadLetterQueue: SqsQueue;
  readonly schedulerRole: IamRole;
  readonly schedules: { consolidation: SchedulerSchedule; deadlineCheck: SchedulerSchedule } | undefined;

  constructor(scope: Construct, id: string, props: ConsolidationJobProps) {
    super(scope, id);
    const { config, names } = props;
    const c = config.consolidation;
    const landingPrefix = config.landingPrefix;
    const consolidatedPrefix = c.consolidatedPrefix;

    this.deadLetterQueue = new SqsQueue(this, 'dlq', {
      name: names.consolidationDlq,
      messageRetentionSeconds: 14 * 24 * 3600,
      sqsManagedSseEnabled: true,
    });

    const env = {
      LANDING_BUCKET: props.bucketName,
      LANDING_PREFIX: landingPrefix,
      CONSOLIDATED_PREFIX: consolidatedPrefix,
      CONSOLIDATION_DEADLINE_HOUR: String(c.deadlineHour),
      POWERTOOLS_SERVICE_NAME: 'chargeback-consolidation',
    };
    const common = {
      buildDir: props.buildDir,
      runtime: c.runtime,
      logRetentionDays: config.monitoring.logRetentionDays,
      kmsKeyArn: props.dataKeyArn,
      accountId: props.accountId,
      deadLetterQueueArn: this.deadLetterQueue.arn,
    };
    const viaS3 = props.bucketKmsKeyArn ? landingKeyStatement(props.bucketKmsKeyArn, props.region) : [];

    this.job = new NodeFunction(this, 'job', {
      ...common,
      functionName: names.functions.consolidation,
      description: 'Daily consolidation of the landing zone (pipeline/consolidation): yesterday, hourly, until consolidated',
      entry: props.jobEntry,
      memoryMb: c.memoryMb,
      timeoutSeconds: c.timeoutSeconds,
      // One run at a time: a concurrent run's clean-up could delete the other's uncommitted
      // outputs (pipeline/consolidation/README.md, "Known limits"). A throttled invocation waits
      // in Lambda's asynchronous queue instead.
      reservedConcurrency: 1,
      environment: { ...env, CONSOLIDATION_TARGET_BYTES: String(c.targetBytes), CONSOLIDATION_CSV: c.csv },
      logGroupName: names.logGroups.consolidation,
      statements: [
        {
          // Hour manifests and the part files they list.
          Sid: 'ReadLandingZone',
          Effect: 'Allow',
          Action: ['s3:GetObject'],
          Resource: `${props.bucketArn}/${landingPrefix}*`,
        },
        {
          // The day manifest (read, then put conditionally), the part files, and the clean-up of unlisted ones.
          Sid: 'WriteConsolidatedZone',
          Effect: 'Allow',
          Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
          Resource: `${props.bucketArn}/${consolidatedPrefix}*`,
        },
        {
          // Listing a forced day's open hours and a day folder's leftovers; also what makes S3
          // answer 404 rather than 403 for a manifest that does not exist yet.
          Sid: 'ListLandingAndConsolidatedZones',
          Effect: 'Allow',
          Action: ['s3:ListBucket'],
          Resource: props.bucketArn,
          Condition: {
            StringLike: { 's3:prefix': [landingPrefix, `${landingPrefix}*`, consolidatedPrefix, `${consolidatedPrefix}*`] },
          },
        },
        ...viaS3,
      ],
    });

    this.check = new NodeFunction(this, 'check', {
      ...common,
      functionName: names.functions.consolidationCheck,
      description:
        "At the deadline hour: is yesterday consolidated? Publishes DayNotConsolidated (reads the day's manifest only)",
      entry: props.checkEntry,
      memoryMb: 256,
      timeoutSeconds: 60,
      environment: env,
      logGroupName: names.logGroups.consolidationCheck,
      statements: [
        {
          Sid: 'ReadDayManifests',
          Effect: 'Allow',
          Action: ['s3:GetObject'],
          Resource: `${props.bucketArn}/${consolidatedPrefix}*/_manifest.json`,
        },
        {
          // Only so that a missing manifest is a 404 (an answer: not consolidated), not a 403.
          Sid: 'ListConsolidatedZone',
          Effect: 'Allow',
          Action: ['s3:ListBucket'],
          Resource: props.bucketArn,
          Condition: { StringLike: { 's3:prefix': [consolidatedPrefix, `${consolidatedPrefix}*`] } },
        },
        ...viaS3.map((s) => ({ ...s, Action: ['kms:Decrypt'] })),
      ],
    });

    for (const [key, fn, retries] of [
      ['job', this.job, c.retryAttempts],
      // The check only reads one object: retry it as much as Lambda allows.
      ['check', this.check, 2],
    ] as const) {
      new LambdaFunctionEventInvokeConfig(this, `${key}-async`, {
        functionName: fn.fn.functionName,
        maximumRetryAttempts: retries,
        maximumEventAgeInSeconds: RUN_MAX_AGE_SECONDS,
      });
      checkovSkip(
        fn.fn,
        'CKV_AWS_117',
        'the function only calls S3 over its public, IAM-authenticated endpoint (TLS required by the bucket policy); a VPC would add ENIs and a NAT or endpoint dependency without narrowing what it can reach',
      );
    }
    this.schedulerRole = new IamRole(this, 'scheduler-role', {
      name: names.schedules.role,
      description: 'EventBridge Scheduler: invokes the consolidation job and its deadline check',
      assumeRolePolicy: assumeRolePolicy('scheduler.amazonaws.com', props.accountId),
    });
    const schedulerStatements: PolicyStatement[] = [
      {
        Sid: 'InvokeConsolidation',
        Effect: 'Allow',
        Action: ['lambda:InvokeFunction'],
        Resource: [this.job.fn.arn, this.check.fn.arn],
      },
      {
        // Scheduler's dead-letter queue is sent to with the schedule's role.
        Sid: 'SendUndeliveredRuns',
        Effect: 'Allow',
        Action: ['sqs:SendMessage'],
        Resource: this.deadLetterQueue.arn,
      },
    ];
    const schedulerPolicy = new IamRolePolicy(this, 'scheduler-policy', {
      role: this.schedulerRole.id,
      name: 'least-privilege',
      policy: renderPolicy(policyDocument(schedulerStatements)),
    });

    if (!c.enabled) {
      this.schedules = undefined;
      return;
    }
    const expressions = scheduleExpressions(c);
    const schedule = (key: string, name: string, description: string, expression: string, fn: NodeFunction) => {
      const sch = new SchedulerSchedule(this, key, {
        name,
        description,
        scheduleExpression: expression,
        scheduleExpressionTimezone: 'UTC',
        flexibleTimeWindow: { mode: 'OFF' },
        state: 'ENABLED',
        target: {
          arn: fn.fn.arn,
          roleArn: this.schedulerRole.arn,
          input: SCHEDULED_TIME_INPUT,
          retryPolicy: { maximumRetryAttempts: 10, maximumEventAgeInSeconds: RUN_MAX_AGE_SECONDS },
          deadLetterConfig: { arn: this.deadLetterQueue.arn },
        },
        dependsOn: [schedulerPolicy],
      });
      checkovSkip(
        sch,
        'CKV_AWS_297',
        "the schedule's input is only Scheduler's scheduled-time placeholder, no data; a customer-managed key would add a kms:Decrypt dependency to every run for nothing to protect (Scheduler encrypts it with an AWS-owned key)",
      );
      return sch;
    };
    this.schedules = {
      consolidation: schedule(
        'hourly',
        names.schedules.consolidation,
        `Consolidates yesterday (UTC) hourly from ${pad(c.schedule.firstHour)}:${pad(c.schedule.minute)} to ${pad(c.schedule.lastHour)}:${pad(c.schedule.minute)} UTC; an incomplete day is refused and retried the next hour, a consolidated one is up to date`,
        expressions.consolidation,
        this.job,
      ),
      deadlineCheck: schedule(
        'deadline-check',
        names.schedules.deadlineCheck,
        `At ${pad(c.deadlineHour)}:00 UTC: is yesterday consolidated? (DayNotConsolidated, alarm consolidation-day-late)`,
        expressions.deadlineCheck,
        this.check,
      ),
    };
  }
}

/**
 * EventBridge Scheduler cron expressions (six fields: minutes hours day-of-month month day-of-week
 * year, `?` in one of the day fields), evaluated in UTC (scheduleExpressionTimezone).
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html#cron-based
 */
export function scheduleExpressions(c: InfraConfig['consolidation']): { consolidation: string; deadlineCheck: string } {
  const { firstHour, lastHour, minute } = c.schedule;
  const hours = firstHour === lastHour ? `${firstHour}` : `${firstHour}-${lastHour}`;
  return { consolidation: `cron(${minute} ${hours} * * ? *)`, deadlineCheck: `cron(0 ${c.deadlineHour} * * ? *)` };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The landing bucket key, through S3 only (the pattern of the Flink role). */
function landingKeyStatement(keyArn: string, region: string): PolicyStatement[] {
  return [
    {
      Sid: 'UseLandingKeyThroughS3',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: keyArn,
      Condition: { StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } },
    },
  ];
}
