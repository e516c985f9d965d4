import path from 'node:path';
import type { App } from 'cdktf';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue/index.js';
import { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping/index.js';
import { LambdaInvocation } from '@cdktf/provider-aws/lib/lambda-invocation/index.js';
import { ChargebackStack, type StackContext } from './ChargebackStack.ts';
import type { FoundationStack } from './FoundationStack.ts';
import { KafkaCluster } from '../constructs/KafkaCluster.ts';
import { NodeFunction } from '../constructs/NodeFunction.ts';
import { FlinkApplication } from '../constructs/FlinkApplication.ts';
import { HourCloser } from '../constructs/HourCloser.ts';
import type { FlinkJar } from '../bundle/flinkJar.ts';
import type { TopicCreatorEvent } from '../lambdas/topic-creator.ts';
import type { PolicyStatement } from '../iam/PolicyDocument.ts';
import { checkovSkip } from '../security/checkovSkip.ts';
import { OnFailureDestination } from '../../pipeline/stream-processor/index.ts';

export interface StreamingStackProps {
  foundation: FoundationStack;
  flinkJar: FlinkJar;
  /** Entry of the stream-processor handler; defaults to pipeline/stream-processor/handler.ts. */
  streamProcessorEntry?: string;
  /** Entry of the topic creator; defaults to infra/lambdas/topic-creator.ts. */
  topicCreatorEntry?: string;
  /** Entry of the hour closer; defaults to infra/lambdas/hour-closer.ts. */
  hourCloserEntry?: string;
}

/** MSK Serverless keeps three replicas; the seed's kafka-topics.sh call asked for 3. */
const MSK_REPLICATION_FACTOR = 3;

/**
 * The largest `max.message.bytes` MSK Serverless allows, and what the local topics take
 * (localstack/kafka/topics.ts; a test holds them equal). The broker default, 1 MiB, refuses a
 * produce of one full event-source-mapping batch (10,000 records ≈ 2 MB).
 * https://docs.aws.amazon.com/msk/latest/developerguide/serverless-config.html
 */
export const MSK_MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

/**
 * Phase 3 of the seed: MSK Serverless (IAM auth), the topics (created by a Lambda, not by hand),
 * the stream-processor Lambda fed by the table's stream through an event source mapping, its
 * dead-letter queue, the Managed Flink application writing Parquet to the landing bucket, and the
 * hour closer (a scheduled Lambda beside them: it reads the Flink group's committed offsets from MSK).
 */
export class StreamingStack extends ChargebackStack {
  readonly kafka: KafkaCluster;
  readonly deadLetterQueue: SqsQueue;
  readonly streamProcessor: NodeFunction;
  readonly eventSourceMapping: LambdaEventSourceMapping;
  readonly topicCreator: NodeFunction;
  readonly topicsReady: LambdaInvocation;
  readonly flink: FlinkApplication;
  readonly hourCloser: HourCloser;

  constructor(scope: App, ctx: StackContext, props: StreamingStackProps) {
    super(scope, ctx.names.stacks.streaming, ctx);
    this.addDependency(props.foundation);
    const { config, names } = ctx;
    const { network, table, landing, dataKeyArn } = props.foundation;
    const region = config.region;

    this.kafka = new KafkaCluster(this, 'kafka', {
      clusterName: names.mskCluster,
      prefix: names.prefix,
      vpcId: network.vpcId,
      subnetIds: network.privateSubnetIds,
      accountId: this.accountId,
      partition: this.partition,
      region,
    });
    const kafkaEnv = { KAFKA_BROKERS: this.kafka.bootstrapBrokers, KAFKA_AUTH: 'msk-iam' };
    const inVpc = { subnetIds: network.privateSubnetIds, securityGroupIds: [this.kafka.lambdaSg.id] };
    const common = {
      buildDir: ctx.buildDir,
      logRetentionDays: config.monitoring.logRetentionDays,
      kmsKeyArn: dataKeyArn,
      accountId: this.accountId,
      vpc: inVpc,
    };

    // ---- topics -------------------------------------------------------------------------
    const topics: TopicCreatorEvent = {
      topics: [config.kafka.topic, config.kafka.dlqTopic].map((name) => ({
        name,
        partitions: config.kafka.partitions,
        replicationFactor: MSK_REPLICATION_FACTOR,
        config: { 'max.message.bytes': String(MSK_MAX_MESSAGE_BYTES) },
      })),
    };
    this.topicCreator = new NodeFunction(this, 'topic-creator', {
      ...common,
      functionName: names.functions.topicCreator,
      description: 'Creates the Kafka topics on MSK Serverless (IAM auth); invoked by Terraform on deploy',
      entry: props.topicCreatorEntry ?? path.join(ctx.repoRoot, 'infra/lambdas/topic-creator.ts'),
      runtime: config.streamProcessor.runtime,
      memoryMb: 256,
      timeoutSeconds: 120,
      environment: kafkaEnv,
      logGroupName: names.logGroups.topicCreator,
      statements: [
        {
          Sid: 'ConnectToCluster',
          Effect: 'Allow',
          Action: ['kafka-cluster:Connect', 'kafka-cluster:DescribeCluster'],
          Resource: this.kafka.clusterArn,
        },
        {
          Sid: 'CreatePipelineTopics',
          Effect: 'Allow',
          // The *DynamicConfiguration pair: read and set max.message.bytes of topics that already exist.
          Action: [
            'kafka-cluster:CreateTopic',
            'kafka-cluster:DescribeTopic',
            'kafka-cluster:AlterTopic',
            'kafka-cluster:DescribeTopicDynamicConfiguration',
            'kafka-cluster:AlterTopicDynamicConfiguration',
          ],
          Resource: topics.topics.map((t) => this.kafka.topicArn(t.name)),
        },
      ],
    });
    checkovSkip(
      this.topicCreator.fn,
      'CKV_AWS_116',
      'Terraform invokes the topic creator synchronously and fails the deploy on its error; a dead-letter queue only applies to asynchronous invocations',
    );
    this.topicsReady = new LambdaInvocation(this, 'ensure-topics', {
      functionName: this.topicCreator.fn.functionName,
      input: JSON.stringify(topics),
      // Runs again when the topic list or the creator's code changes (it is idempotent).
      triggers: { topics: JSON.stringify(topics), code: this.topicCreator.bundle.hash, cluster: this.kafka.cluster.arn },
      dependsOn: [this.kafka.cluster],
    });

    // ---- stream processor ---------------------------------------------------------------
    this.deadLetterQueue = new SqsQueue(this, 'stream-dlq', {
      name: names.dlqQueue,
      messageRetentionSeconds: 14 * 24 * 3600,
      sqsManagedSseEnabled: true,
    });
    const sp = config.streamProcessor;
    this.streamProcessor = new NodeFunction(this, 'stream-processor', {
      ...common,
      functionName: names.functions.streamProcessor,
      description: 'DynamoDB stream → change records → Kafka (pipeline/stream-processor)',
      entry: props.streamProcessorEntry ?? path.join(ctx.repoRoot, 'pipeline/stream-processor/handler.ts'),
      runtime: sp.runtime,
      memoryMb: sp.memoryMb,
      timeoutSeconds: sp.timeoutSeconds,
      reservedConcurrency: sp.reservedConcurrency,
      environment: {
        ...kafkaEnv,
        KAFKA_TOPIC: config.kafka.topic,
        DLQ_QUEUE_URL: this.deadLetterQueue.url,
        POWERTOOLS_SERVICE_NAME: 'chargeback-stream-processor',
      },
      logGroupName: names.logGroups.streamProcessor,
      statements: streamProcessorStatements({
        streamArn: table.streamArn,
        tableArn: table.tableArn,
        tableKmsKeyArn: table.kmsKeyArn,
        region,
        dlqArn: this.deadLetterQueue.arn,
        clusterArn: this.kafka.clusterArn,
        topicArn: this.kafka.topicArn(config.kafka.topic),
      }),
    });
    checkovSkip(
      this.streamProcessor.fn,
      'CKV_AWS_116',
      'the function is invoked by a DynamoDB event source mapping, whose on-failure destination (the SQS DLQ) takes failed batches; a function-level DLQ only applies to asynchronous invocations',
    );
    // The settings the local poller runs too (pipeline/stream-processor/eventSourceMapping.ts,
    // defaults of config.streamProcessor). -1 is AWS's "unlimited" for retries and record age.
    this.eventSourceMapping = new LambdaEventSourceMapping(this, 'table-stream', {
      eventSourceArn: table.streamArn,
      functionName: this.streamProcessor.fn.arn,
      startingPosition: sp.startingPosition,
      batchSize: sp.batchSize,
      maximumBatchingWindowInSeconds: sp.maximumBatchingWindowSeconds,
      parallelizationFactor: sp.parallelizationFactor,
      bisectBatchOnFunctionError: sp.bisectBatchOnFunctionError,
      maximumRetryAttempts: sp.maximumRetryAttempts,
      maximumRecordAgeInSeconds: sp.maximumRecordAgeSeconds,
      functionResponseTypes: sp.reportBatchItemFailures ? ['ReportBatchItemFailures'] : [],
      ...(sp.onFailureDestination === OnFailureDestination.DEAD_LETTER_QUEUE
        ? { destinationConfig: { onFailure: { destinationArn: this.deadLetterQueue.arn } } }
        : {}),
      // Records published before the topic exists would only be retried: start after it does.
      dependsOn: [this.topicsReady],
    });

    // ---- Flink --------------------------------------------------------------------------
    this.flink = new FlinkApplication(this, 'flink', {
      applicationName: names.flinkApplication,
      flink: config.flink,
      kafka: config.kafka,
      jar: props.flinkJar,
      jarKey: names.flinkJarKey(props.flinkJar.hash),
      bucketName: landing.bucketName,
      bucketArn: landing.bucketArn,
      bucketKmsKeyArn: landing.kmsKeyArn,
      landingPrefix: config.landingPrefix,
      cluster: this.kafka,
      subnetIds: network.privateSubnetIds,
      logGroupName: names.logGroups.flink,
      logRetentionDays: config.monitoring.logRetentionDays,
      logsKmsKeyArn: dataKeyArn,
      accountId: this.accountId,
      partition: this.partition,
      region,
      dependsOn: [this.topicsReady],
    });

    // ---- hour closer ----------------------------------------------------------------------
    // Here and not in the consolidation stack: it needs MSK (IAM auth, from inside the VPC) to
    // read the Flink job's committed offsets and the topic's high watermarks.
    this.hourCloser = new HourCloser(this, 'hour-closer', {
      config,
      names,
      entry: props.hourCloserEntry ?? path.join(ctx.repoRoot, 'infra/lambdas/hour-closer.ts'),
      buildDir: ctx.buildDir,
      bucketName: landing.bucketName,
      bucketArn: landing.bucketArn,
      bucketKmsKeyArn: landing.kmsKeyArn,
      dataKeyArn,
      accountId: this.accountId,
      region,
      cluster: this.kafka,
      vpc: inVpc,
    });

    this.output('msk_bootstrap_brokers', this.kafka.bootstrapBrokers, 'MSK Serverless bootstrap brokers (SASL/IAM, port 9098)');
    this.output('msk_cluster_arn', this.kafka.clusterArn, 'MSK Serverless cluster ARN');
    this.output('kafka_topic', config.kafka.topic, 'Topic of the change records');
    this.output(
      'flink_application_name',
      this.flink.application.name,
      'Managed Flink application (start/stop with aws kinesisanalyticsv2)',
    );
    this.output('lambda_log_group_name', this.streamProcessor.logGroup.logGroup.name, 'Log group of the stream-processor Lambda');
    this.output('flink_log_group_name', this.flink.logGroup.logGroup.name, 'Log group of the Flink application');
    this.output(
      'dlq_queue_url',
      this.deadLetterQueue.url,
      'Dead-letter queue of the stream processor (poison records and failed batches)',
    );
    this.output(
      'hour_closer_function_name',
      this.hourCloser.fn.fn.functionName,
      'Hour closer function (invoke with {} for one pass; the result says what it closed and what the next hour waits for)',
    );
    this.output('hour_closer_dlq_url', this.hourCloser.deadLetterQueue.url, 'Hour closer passes that failed every attempt');
  }
}

interface StreamProcessorGrants {
  streamArn: string;
  tableArn: string;
  tableKmsKeyArn: string | undefined;
  region: string;
  dlqArn: string;
  clusterArn: string;
  topicArn: string;
}

function streamProcessorStatements(g: StreamProcessorGrants): PolicyStatement[] {
  return [
    {
      // What the event source mapping calls with the function's role.
      // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/iam-policy-example-lamda-process-dynamodb-streams.html
      Sid: 'ReadTableStream',
      Effect: 'Allow',
      Action: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'],
      Resource: `${g.tableArn}/stream/*`,
    },
    ...(g.tableKmsKeyArn
      ? [
          {
            Sid: 'DecryptStreamRecords',
            Effect: 'Allow' as const,
            Action: ['kms:Decrypt'],
            Resource: g.tableKmsKeyArn,
            Condition: { StringEquals: { 'kms:ViaService': `dynamodb.${g.region}.amazonaws.com` } },
          },
        ]
      : []),
    // Both our poison-record letters and the mapping's on-failure records (sent with this role).
    { Sid: 'SendDeadLetters', Effect: 'Allow', Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes'], Resource: g.dlqArn },
    // An idempotent producer (DESIGN §10) also needs WriteDataIdempotently on the cluster.
    {
      Sid: 'ConnectToCluster',
      Effect: 'Allow',
      Action: ['kafka-cluster:Connect', 'kafka-cluster:WriteDataIdempotently'],
      Resource: g.clusterArn,
    },
    {
      Sid: 'PublishChanges',
      Effect: 'Allow',
      Action: ['kafka-cluster:DescribeTopic', 'kafka-cluster:WriteData'],
      Resource: g.topicArn,
    },
  ];
}
