import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../paths.ts';
import { synth, resource, resources, ref, policyOf, statement, type TfBody } from '../test/synthFixture.ts';
import { FLINK_PROPERTY_GROUP } from '../constructs/FlinkApplication.ts';
import { MSK_IAM_PORT } from '../constructs/KafkaCluster.ts';
import { STREAM_PROCESSOR_EVENT_SOURCE_MAPPING } from '../../pipeline/stream-processor/index.ts';
import { MSK_MAX_MESSAGE_BYTES } from './StreamingStack.ts';
import { closerStateKey } from '../constructs/HourCloser.ts';
import { resolveCloserConfig } from '../../pipeline/completeness/index.ts';
import { TOPIC_MAX_MESSAGE_BYTES } from '../../localstack/kafka/topics.ts';

const s = synth();
const st = s.streaming;
const cluster = resource(st, 'aws_msk_serverless_cluster');
const sg = (name: string) => resource(st, 'aws_security_group', `kafka/${name}-sg`);
const sgId = (name: string) => ref(st, 'aws_security_group', sg(name), 'id');
const clusterArn = ref(st, 'aws_msk_serverless_cluster', cluster, 'arn');
const kafkaArn = (kind: 'topic' | 'group', name: string) =>
  `arn:\${data.aws_partition.partition.partition}:kafka:us-east-1:\${data.aws_caller_identity.caller.account_id}:${kind}/chargeback-cdc-dev-msk/${ref(st, 'aws_msk_serverless_cluster', cluster, 'cluster_uuid')}/${name}`;
const fn = (name: string) => resource(st, 'aws_lambda_function', `${name}/function`);
const rolePolicy = (owner: string) => policyOf(resource(st, 'aws_iam_role_policy', `${owner}/policy`));

describe('streaming stack: MSK Serverless', () => {
  it('runs MSK Serverless with IAM auth in the private subnets behind its own security group', () => {
    assert.equal(cluster.cluster_name, 'chargeback-cdc-dev-msk');
    assert.deepEqual(cluster.client_authentication, { sasl: { iam: { enabled: true } } });
    const vpc = (cluster.vpc_config as { subnet_ids: string[]; security_group_ids: string[] }[])[0]!;
    assert.equal(vpc.subnet_ids.length, 3);
    assert.ok(
      vpc.subnet_ids.every((id) => id.includes('terraform_remote_state')),
      'subnets come from the foundation stack',
    );
    assert.deepEqual(vpc.security_group_ids, [sgId('msk')]);
  });

  it('lets only the Lambda and Flink security groups reach the brokers, on 9098 only', () => {
    const ingress = resources(st, 'aws_vpc_security_group_ingress_rule').map(([, b]) => b);
    assert.equal(ingress.length, 2);
    for (const rule of ingress) {
      assert.equal(rule.security_group_id, sgId('msk'));
      assert.equal(rule.ip_protocol, 'tcp');
      assert.equal(rule.from_port, MSK_IAM_PORT);
      assert.equal(rule.to_port, MSK_IAM_PORT);
      assert.equal(rule.cidr_ipv4, undefined, 'no CIDR source');
    }
    assert.deepEqual(ingress.map((r) => r.referenced_security_group_id).sort(), [sgId('flink'), sgId('lambda')].sort());
    // The cluster's group has no egress rule at all, and the clients leave only to 9098 (MSK) and 443.
    const egress = resources(st, 'aws_vpc_security_group_egress_rule').map(([, b]) => b);
    assert.ok(egress.every((r) => r.security_group_id !== sgId('msk')));
    for (const r of egress)
      assert.ok(
        (r.from_port === 9098 && r.referenced_security_group_id === sgId('msk')) || r.from_port === 443,
        JSON.stringify(r),
      );
    for (const g of ['msk', 'lambda', 'flink']) assert.equal(sg(g).ingress, undefined, `${g}: no inline rules`);
  });

  it('creates the topics with a Lambda invoked on deploy, allowed only to create, describe and alter them (and their configs) on their ARNs', () => {
    const creator = fn('topic-creator');
    assert.equal(creator.function_name, 'chargeback-cdc-dev-topic-creator');
    assert.deepEqual((creator.environment as { variables: Record<string, string> }).variables.KAFKA_AUTH, 'msk-iam');
    assert.deepEqual((creator.vpc_config as { security_group_ids: string[] }).security_group_ids, [sgId('lambda')]);
    const invocation = resource(st, 'aws_lambda_invocation');
    assert.equal(invocation.function_name, ref(st, 'aws_lambda_function', creator, 'function_name'));
    const eightMiB = { 'max.message.bytes': '8388608' };
    assert.deepEqual(JSON.parse(invocation.input as string), {
      topics: [
        { name: 'chargebacks', partitions: 3, replicationFactor: 3, config: eightMiB },
        { name: 'chargebacks-dlq', partitions: 3, replicationFactor: 3, config: eightMiB },
      ],
    });
    const policy = rolePolicy('topic-creator');
    assert.deepEqual(statement(policy, 'ConnectToCluster').Resource, clusterArn);
    const create = statement(policy, 'CreatePipelineTopics');
    assert.deepEqual(create.Action, [
      'kafka-cluster:CreateTopic',
      'kafka-cluster:DescribeTopic',
      'kafka-cluster:AlterTopic',
      'kafka-cluster:DescribeTopicDynamicConfiguration',
      'kafka-cluster:AlterTopicDynamicConfiguration',
    ]);
    assert.deepEqual(create.Resource, [kafkaArn('topic', 'chargebacks'), kafkaArn('topic', 'chargebacks-dlq')]);
  });

  it('sizes the MSK topics for the messages the local topics take (8 MiB, the MSK Serverless maximum)', () => {
    assert.equal(MSK_MAX_MESSAGE_BYTES, TOPIC_MAX_MESSAGE_BYTES);
  });

  it('outputs msk_bootstrap_brokers from the IAM listener', () => {
    assert.equal(
      st.output?.msk_bootstrap_brokers?.value,
      ref(st, 'aws_msk_serverless_cluster', cluster, 'bootstrap_brokers_sasl_iam'),
    );
  });
});

describe('streaming stack: stream processor', () => {
  const sp = fn('stream-processor');

  it('runs the pipeline/stream-processor bundle on Node 22 in the private subnets with the Kafka and DLQ settings', () => {
    assert.equal(sp.function_name, 'chargeback-cdc-dev-stream-processor');
    assert.match(String(sp.runtime), /^nodejs2[02]\.x$/);
    assert.equal(sp.runtime, 'nodejs22.x');
    assert.equal(sp.handler, 'index.handler');
    assert.match(String(sp.filename), /^assets\/.+\/[^/]*stream-processor\.zip$/);
    const vpc = sp.vpc_config as { subnet_ids: string[]; security_group_ids: string[] };
    assert.equal(vpc.subnet_ids.length, 3);
    assert.deepEqual(vpc.security_group_ids, [sgId('lambda')]);
    const env = (sp.environment as { variables: Record<string, string> }).variables;
    assert.equal(env.KAFKA_BROKERS, ref(st, 'aws_msk_serverless_cluster', cluster, 'bootstrap_brokers_sasl_iam'));
    assert.equal(env.KAFKA_AUTH, 'msk-iam');
    assert.equal(env.KAFKA_TOPIC, 'chargebacks');
    assert.equal(env.DLQ_QUEUE_URL, ref(st, 'aws_sqs_queue', resource(st, 'aws_sqs_queue', 'stream-dlq'), 'url'));
    assert.equal(env.POWERTOOLS_SERVICE_NAME, 'chargeback-stream-processor');
    assert.deepEqual(sp.tracing_config, { mode: 'Active' });
    assert.ok(String(sp.kms_key_arn).includes('terraform_remote_state'), 'environment encrypted with the foundation key');
  });

  it('reads the table stream through an event source mapping with unlimited retries and record age, bisect, batch item failures and an SQS on-failure destination', () => {
    const esm = resource(st, 'aws_lambda_event_source_mapping');
    assert.match(String(esm.event_source_arn), /terraform_remote_state.*stream_arn/);
    assert.equal(esm.function_name, ref(st, 'aws_lambda_function', sp, 'arn'));
    assert.equal(esm.batch_size, 100);
    assert.equal(esm.maximum_batching_window_in_seconds, 1);
    assert.equal(esm.bisect_batch_on_function_error, true);
    // A Kafka outage of any length must block the shard, not give records up (only their sequence range would reach the DLQ).
    assert.equal(esm.maximum_retry_attempts, -1);
    assert.equal(esm.maximum_record_age_in_seconds, -1);
    assert.equal(esm.starting_position, 'TRIM_HORIZON');
    assert.deepEqual(esm.function_response_types, ['ReportBatchItemFailures']);
    assert.deepEqual(esm.destination_config, {
      on_failure: { destination_arn: ref(st, 'aws_sqs_queue', resource(st, 'aws_sqs_queue', 'stream-dlq'), 'arn') },
    });
    assert.ok(
      (esm.depends_on as string[]).some((d) => d.startsWith('aws_lambda_invocation.')),
      'starts after the topics exist',
    );
  });

  it('deploys the same event source mapping definition the local poller runs', () => {
    const esm = resource(st, 'aws_lambda_event_source_mapping');
    const d = STREAM_PROCESSOR_EVENT_SOURCE_MAPPING;
    assert.deepEqual(
      {
        batch_size: esm.batch_size,
        maximum_batching_window_in_seconds: esm.maximum_batching_window_in_seconds,
        starting_position: esm.starting_position,
        bisect_batch_on_function_error: esm.bisect_batch_on_function_error,
        maximum_retry_attempts: esm.maximum_retry_attempts,
        maximum_record_age_in_seconds: esm.maximum_record_age_in_seconds,
        function_response_types: esm.function_response_types,
        on_failure: Boolean(esm.destination_config),
      },
      {
        batch_size: d.batchSize,
        maximum_batching_window_in_seconds: d.maximumBatchingWindowSeconds,
        starting_position: d.startingPosition,
        bisect_batch_on_function_error: d.bisectBatchOnFunctionError,
        maximum_retry_attempts: d.maximumRetryAttempts,
        maximum_record_age_in_seconds: d.maximumRecordAgeSeconds,
        function_response_types: d.reportBatchItemFailures ? ['ReportBatchItemFailures'] : [],
        on_failure: d.onFailureDestination === 'dead-letter-queue',
      },
    );
  });

  it('keeps its dead letters in an encrypted queue for 14 days', () => {
    const q = resource(st, 'aws_sqs_queue', 'stream-dlq');
    assert.equal(q.name, 'chargeback-cdc-dev-stream-dlq');
    assert.equal(q.sqs_managed_sse_enabled, true);
    assert.equal(q.message_retention_seconds, 1209600);
  });

  it('may read the stream, send dead letters, and Connect/WriteData(Idempotently)/DescribeTopic on its cluster and topic — nothing more', () => {
    const policy = rolePolicy('stream-processor');
    const stream = statement(policy, 'ReadTableStream');
    assert.deepEqual(stream.Action, [
      'dynamodb:DescribeStream',
      'dynamodb:GetRecords',
      'dynamodb:GetShardIterator',
      'dynamodb:ListStreams',
    ]);
    assert.match(String(stream.Resource), /\/stream\/\*$/);
    assert.deepEqual(
      statement(policy, 'SendDeadLetters').Resource,
      ref(st, 'aws_sqs_queue', resource(st, 'aws_sqs_queue', 'stream-dlq'), 'arn'),
    );
    assert.deepEqual(statement(policy, 'ConnectToCluster'), {
      Sid: 'ConnectToCluster',
      Effect: 'Allow',
      Action: ['kafka-cluster:Connect', 'kafka-cluster:WriteDataIdempotently'],
      Resource: clusterArn,
    });
    assert.deepEqual(statement(policy, 'PublishChanges').Action, ['kafka-cluster:DescribeTopic', 'kafka-cluster:WriteData']);
    assert.equal(statement(policy, 'PublishChanges').Resource, kafkaArn('topic', 'chargebacks'));
    assert.ok(!JSON.stringify(policy).includes('kafka-cluster:ReadData'), 'the producer cannot read');
  });
});

describe('streaming stack: Managed Flink', () => {
  const app = resource(st, 'aws_kinesisanalyticsv2_application');
  // biome-ignore lint/suspicious/noExplicitAny: synthesized Terraform JSON, walked by path
  const conf = app.application_configuration as Record<string, any>;
  const jar = resource(st, 'aws_s3_object');

  it('runs the Flink 1.20 job from the JAR uploaded as an S3 object of the stack', () => {
    assert.equal(app.name, 'chargeback-cdc-dev-parquet-writer');
    assert.equal(app.runtime_environment, 'FLINK-1_20');
    assert.equal(app.application_mode, 'STREAMING');
    assert.equal(app.start_application, true);
    assert.match(String(jar.key), /^artifacts\/flink\/chargeback-flink-job-[0-9a-f]{16}\.jar$/);
    assert.match(String(jar.source), /^assets\/.+\/placeholder-flink-job\.jar$/);
    assert.equal(jar.server_side_encryption, 'aws:kms');
    const code = conf.application_code_configuration;
    assert.equal(code.code_content_type, 'ZIPFILE');
    assert.deepEqual(code.code_content.s3_content_location, {
      bucket_arn: code.code_content.s3_content_location.bucket_arn,
      file_key: ref(st, 'aws_s3_object', jar, 'key'),
      object_version: ref(st, 'aws_s3_object', jar, 'version_id'),
    });
    assert.match(code.code_content.s3_content_location.bucket_arn, /terraform_remote_state.*aws_s3_bucket.*arn/);
  });

  it('uses the Managed Flink runtime of the Flink version pipeline/flink-job builds against', () => {
    const pom = path.join(REPO_ROOT, 'pipeline/flink-job/pom.xml');
    const version = /<flink\.version>(\d+)\.(\d+)\.[^<]*<\/flink\.version>/.exec(readFileSync(pom, 'utf8'));
    assert.ok(version, 'flink.version in the pom');
    assert.equal(app.runtime_environment, `FLINK-${version[1]}_${version[2]}`);
  });

  it('hands the job its property group: bootstrap servers, topics, group, bucket, prefix, checkpoint interval, IAM auth', () => {
    const groups = conf.environment_properties.property_group as {
      property_group_id: string;
      property_map: Record<string, string>;
    }[];
    assert.equal(groups.length, 1);
    assert.equal(groups[0]!.property_group_id, FLINK_PROPERTY_GROUP);
    assert.deepEqual(groups[0]!.property_map, {
      'bootstrap.servers': ref(st, 'aws_msk_serverless_cluster', cluster, 'bootstrap_brokers_sasl_iam'),
      topic: 'chargebacks',
      'dlq.topic': 'chargebacks-dlq',
      'group.id': 'flink-parquet-writer',
      bucket: groups[0]!.property_map.bucket,
      prefix: 'landing/chargebacks/',
      'checkpoint.interval.ms': '60000',
      auth: 'msk-iam',
    });
    assert.match(groups[0]!.property_map.bucket!, /terraform_remote_state.*bucket/);
  });

  it('passes only property keys the job knows (it refuses unknown ones at start)', () => {
    const jobConfig = path.join(REPO_ROOT, 'pipeline/flink-job/src/main/java/dev/chargebackcdc/flink/JobConfig.java');
    const java = readFileSync(jobConfig, 'utf8');
    const known = new Set([...java.matchAll(/public static final String [A-Z_]+ = "([^"]+)";/g)].map((m) => m[1]));
    assert.match(java, new RegExp(`PROPERTY_GROUP = "${FLINK_PROPERTY_GROUP}"`));
    const groups = conf.environment_properties.property_group as { property_map: Record<string, string> }[];
    for (const key of Object.keys(groups[0]!.property_map)) assert.ok(known.has(key), `${key} is a JobConfig key`);
  });

  it('configures checkpointing, parallelism, snapshots, restore, monitoring and CloudWatch logging', () => {
    const flink = conf.flink_application_configuration;
    assert.deepEqual(flink.checkpoint_configuration, {
      configuration_type: 'CUSTOM',
      checkpointing_enabled: true,
      checkpoint_interval: 60000,
      min_pause_between_checkpoints: 5000,
    });
    assert.deepEqual(flink.parallelism_configuration, {
      configuration_type: 'CUSTOM',
      parallelism: 1,
      parallelism_per_kpu: 1,
      auto_scaling_enabled: false,
    });
    assert.deepEqual(flink.monitoring_configuration, {
      configuration_type: 'CUSTOM',
      log_level: 'INFO',
      metrics_level: 'APPLICATION',
    });
    assert.deepEqual(conf.application_snapshot_configuration, { snapshots_enabled: true });
    assert.equal(
      conf.run_configuration.application_restore_configuration.application_restore_type,
      'RESTORE_FROM_LATEST_SNAPSHOT',
    );
    const logGroup = resource(st, 'aws_cloudwatch_log_group', 'flink/logs/group');
    const logStream = resource(st, 'aws_cloudwatch_log_stream');
    assert.equal(logGroup.name, '/aws/kinesis-analytics/chargeback-cdc-dev-parquet-writer');
    assert.equal(logGroup.retention_in_days, 30);
    assert.deepEqual(app.cloudwatch_logging_options, {
      log_stream_arn: `${ref(st, 'aws_cloudwatch_log_group', logGroup, 'arn')}:log-stream:${ref(st, 'aws_cloudwatch_log_stream', logStream, 'name')}`,
    });
  });

  it('attaches to the private subnets with the Flink security group', () => {
    assert.equal(conf.vpc_configuration.subnet_ids.length, 3);
    assert.deepEqual(conf.vpc_configuration.security_group_ids, [sgId('flink')]);
  });

  it('may touch S3 only under the landing prefix and the JAR, and Kafka only on its topic, DLQ topic and group', () => {
    const policy = rolePolicy('flink');
    const objectResources = policy.Statement.filter((x) =>
      x.Action.some((a) => a.startsWith('s3:') && a !== 's3:ListBucket'),
    ).flatMap((x) => [x.Resource].flat());
    assert.equal(objectResources.length, 2);
    assert.ok(objectResources.some((r) => String(r).endsWith('/landing/chargebacks/*')));
    assert.ok(objectResources.some((r) => String(r).endsWith(`/${jar.key}`)));
    assert.deepEqual(statement(policy, 'ListLandingZone').Condition, {
      StringLike: { 's3:prefix': ['landing/chargebacks/', 'landing/chargebacks/*'] },
    });
    assert.deepEqual(statement(policy, 'ReadChangesTopic'), {
      Sid: 'ReadChangesTopic',
      Effect: 'Allow',
      Action: ['kafka-cluster:DescribeTopic', 'kafka-cluster:ReadData'],
      Resource: kafkaArn('topic', 'chargebacks'),
    });
    assert.deepEqual(statement(policy, 'WriteDeadLetterTopic').Resource, kafkaArn('topic', 'chargebacks-dlq'));
    assert.deepEqual(statement(policy, 'UseConsumerGroup'), {
      Sid: 'UseConsumerGroup',
      Effect: 'Allow',
      Action: ['kafka-cluster:DescribeGroup', 'kafka-cluster:AlterGroup'],
      Resource: kafkaArn('group', 'flink-parquet-writer'),
    });
    assert.equal(statement(policy, 'ConnectToCluster').Resource, clusterArn);
    const trust = policyOf(resource(st, 'aws_iam_role', 'flink/role'), 'assume_role_policy');
    assert.deepEqual(trust.Statement[0]!.Principal, { Service: 'kinesisanalytics.amazonaws.com' });
  });

  it('starts only after the topics exist', () => {
    assert.ok((app.depends_on as string[]).some((d) => d.startsWith('aws_lambda_invocation.')));
  });

  it('outputs flink_application_name, flink_log_group_name and lambda_log_group_name', () => {
    assert.equal(st.output?.flink_application_name?.value, ref(st, 'aws_kinesisanalyticsv2_application', app, 'name'));
    assert.equal(
      st.output?.flink_log_group_name?.value,
      ref(st, 'aws_cloudwatch_log_group', resource(st, 'aws_cloudwatch_log_group', 'flink/logs/group'), 'name'),
    );
    assert.equal(
      st.output?.lambda_log_group_name?.value,
      ref(
        st,
        'aws_cloudwatch_log_group',
        resource(st, 'aws_cloudwatch_log_group', 'stream-processor/logs/group') as TfBody,
        'name',
      ),
    );
  });
});

describe('streaming stack: hour closer', () => {
  const closer = fn('hour-closer/lambda');
  const closerArn = ref(st, 'aws_lambda_function', closer, 'arn');
  const dlq = resource(st, 'aws_sqs_queue', 'hour-closer/dlq');
  const dlqArn = ref(st, 'aws_sqs_queue', dlq, 'arn');
  const bucketArn = statement(rolePolicy('hour-closer/lambda'), 'ListLandingZoneAndState').Resource as string;
  const stateKey = '_state/completeness/flink-parquet-writer/chargebacks/closer.json';

  it('runs infra/lambdas/hour-closer.ts in the private subnets with the Lambda security group, one pass at a time', () => {
    assert.equal(closer.function_name, 'chargeback-cdc-dev-hour-closer');
    assert.equal(closer.handler, 'index.handler');
    assert.equal(closer.runtime, 'nodejs22.x');
    assert.match(String(closer.filename), /^assets\/.+\/[^/]*hour-closer\.zip$/);
    const vpc = closer.vpc_config as { subnet_ids: string[]; security_group_ids: string[] };
    assert.equal(vpc.subnet_ids.length, 3);
    assert.ok(vpc.subnet_ids.every((id) => id.includes('terraform_remote_state')));
    assert.deepEqual(vpc.security_group_ids, [sgId('lambda')]);
    assert.equal(closer.reserved_concurrent_executions, 1);
    assert.equal(closer.timeout, 300);
    assert.deepEqual(closer.dead_letter_config, { target_arn: dlqArn });
    assert.equal(dlq.name, 'chargeback-cdc-dev-hour-closer-dlq');
    assert.equal(dlq.sqs_managed_sse_enabled, true);
  });

  it("reads the closer's config from its environment: MSK IAM, the Flink job's group, the landing zone, grace and state key", () => {
    const env = (closer.environment as { variables: Record<string, string> }).variables;
    const { NODE_OPTIONS: _, LANDING_BUCKET, ...rest } = env;
    assert.match(LANDING_BUCKET!, /terraform_remote_state.*bucket/);
    assert.deepEqual(rest, {
      KAFKA_BROKERS: ref(st, 'aws_msk_serverless_cluster', cluster, 'bootstrap_brokers_sasl_iam'),
      KAFKA_AUTH: 'msk-iam',
      KAFKA_TOPIC: 'chargebacks',
      WRITER_GROUP_ID: 'flink-parquet-writer',
      LANDING_PREFIX: 'landing/chargebacks/',
      BUCKET_BY: 'processing-time',
      CLOSER_GRACE_MS: '30000',
      CLOSER_STATE_KEY: stateKey,
      POWERTOOLS_SERVICE_NAME: 'chargeback-hour-closer',
    });
    // The group the closer watches is the one the Flink application commits.
    const flinkProps = (
      resource(st, 'aws_kinesisanalyticsv2_application').application_configuration as {
        environment_properties: { property_group: { property_map: Record<string, string> }[] };
      }
    ).environment_properties.property_group[0]!.property_map;
    assert.equal(env.WRITER_GROUP_ID, flinkProps['group.id']);
    // The granted state key is the one the closer derives by default.
    const derived = resolveCloserConfig({
      brokers: ['b:9098'],
      groupId: 'flink-parquet-writer',
      topic: 'chargebacks',
      s3: { region: 'us-east-1' },
    });
    assert.equal(derived.stateKey, closerStateKey('flink-parquet-writer', 'chargebacks'));
    assert.equal(derived.stateKey, stateKey);
  });

  it('may connect, describe its topic and the writer group, read part files, put markers and its state, list the landing prefix and open uploads — exactly that', () => {
    const policy = rolePolicy('hour-closer/lambda');
    const own = policy.Statement.filter(
      (x) =>
        !['WriteOwnLogs', 'WriteTraces', 'DecryptOwnEnvironment', 'AttachToPrivateSubnets', 'SendFailedEvents'].includes(x.Sid!),
    );
    assert.deepEqual(own, [
      { Sid: 'ConnectToCluster', Effect: 'Allow', Action: ['kafka-cluster:Connect'], Resource: clusterArn },
      {
        Sid: 'ReadTopicLogEnds',
        Effect: 'Allow',
        Action: ['kafka-cluster:DescribeTopic'],
        Resource: kafkaArn('topic', 'chargebacks'),
      },
      {
        Sid: 'ReadWriterGroupOffsets',
        Effect: 'Allow',
        Action: ['kafka-cluster:DescribeGroup'],
        Resource: kafkaArn('group', 'flink-parquet-writer'),
      },
      {
        Sid: 'ReadLandedPartFiles',
        Effect: 'Allow',
        Action: ['s3:GetObject'],
        Resource: `${bucketArn}/landing/chargebacks/*.parquet`,
      },
      {
        Sid: 'WriteHourMarkers',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject'],
        Resource: `${bucketArn}/landing/chargebacks/*/_manifest.json`,
      },
      { Sid: 'KeepCloserState', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: `${bucketArn}/${stateKey}` },
      {
        Sid: 'ListLandingZoneAndState',
        Effect: 'Allow',
        Action: ['s3:ListBucket'],
        Resource: bucketArn,
        Condition: { StringLike: { 's3:prefix': ['landing/chargebacks/', 'landing/chargebacks/*', stateKey] } },
      },
      { Sid: 'ListOpenUploads', Effect: 'Allow', Action: ['s3:ListBucketMultipartUploads'], Resource: bucketArn },
      {
        Sid: 'UseLandingKeyThroughS3',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: (own.at(-1) as { Resource: string }).Resource,
        Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } },
      },
    ]);
    assert.match(String(own.at(-1)!.Resource), /terraform_remote_state/);
    assert.deepEqual(statement(policy, 'SendFailedEvents').Resource, dlqArn);
    assert.match(String(bucketArn), /terraform_remote_state.*arn/);
    for (const x of policy.Statement) for (const a of x.Action) assert.ok(!a.includes('*'), `${x.Sid}: ${a}`);
  });

  it('is invoked every 5 minutes by EventBridge Scheduler with its own role, a retry policy and the DLQ; Lambda retries a failed pass twice', () => {
    const sch = resource(st, 'aws_scheduler_schedule', 'hour-closer/schedule');
    assert.equal(sch.name, 'chargeback-cdc-dev-hour-closer');
    assert.equal(sch.schedule_expression, 'rate(5 minutes)');
    assert.equal(sch.state, 'ENABLED');
    const target = sch.target as Record<string, unknown>;
    const role = resource(st, 'aws_iam_role', 'hour-closer/scheduler-role');
    assert.equal(target.arn, closerArn);
    assert.equal(target.role_arn, ref(st, 'aws_iam_role', role, 'arn'));
    assert.deepEqual(JSON.parse(target.input as string), { scheduledTime: '<aws.scheduler.scheduled-time>' });
    assert.deepEqual(target.retry_policy, { maximum_retry_attempts: 3, maximum_event_age_in_seconds: 300 });
    assert.deepEqual(target.dead_letter_config, { arn: dlqArn });
    assert.deepEqual(policyOf(role, 'assume_role_policy').Statement[0]!.Principal, { Service: 'scheduler.amazonaws.com' });
    assert.deepEqual(policyOf(resource(st, 'aws_iam_role_policy', 'hour-closer/scheduler-policy')).Statement, [
      { Sid: 'InvokeHourCloser', Effect: 'Allow', Action: ['lambda:InvokeFunction'], Resource: closerArn },
      { Sid: 'SendUndeliveredPasses', Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: dlqArn },
    ]);
    const async = resource(st, 'aws_lambda_function_event_invoke_config', 'hour-closer/async');
    assert.equal(async.function_name, ref(st, 'aws_lambda_function', closer, 'function_name'));
    assert.equal(async.maximum_retry_attempts, 2);
    assert.equal(async.maximum_event_age_in_seconds, 900);
  });

  it('follows the configured rate and grace; disabled, the function stays without a schedule', () => {
    const one = synth({ hourCloser: { rateMinutes: 1, graceMs: 120_000 } }).streaming;
    assert.equal(resource(one, 'aws_scheduler_schedule', 'hour-closer/schedule').schedule_expression, 'rate(1 minute)');
    const env = (
      resource(one, 'aws_lambda_function', 'hour-closer/lambda/function').environment as { variables: Record<string, string> }
    ).variables;
    assert.equal(env.CLOSER_GRACE_MS, '120000');
    const off = synth({ hourCloser: { enabled: false } }).streaming;
    assert.equal(resources(off, 'aws_scheduler_schedule').length, 0);
    assert.equal(
      resource(off, 'aws_lambda_function', 'hour-closer/lambda/function').function_name,
      'chargeback-cdc-dev-hour-closer',
    );
  });

  it('outputs the function name and the DLQ URL', () => {
    assert.equal(st.output?.hour_closer_function_name?.value, ref(st, 'aws_lambda_function', closer, 'function_name'));
    assert.equal(st.output?.hour_closer_dlq_url?.value, ref(st, 'aws_sqs_queue', dlq, 'url'));
  });
});

describe('monitoring stack: hour closer', () => {
  it('alarms when the hour closer DLQ holds a failed pass', () => {
    const alarm = resources(s.monitoring, 'aws_cloudwatch_metric_alarm')
      .map(([, b]) => b)
      .find((b) => b.alarm_name === 'chargeback-cdc-dev-hour-closer-dlq-not-empty');
    assert.ok(alarm, 'alarm hour-closer-dlq-not-empty');
    assert.equal(alarm.namespace, 'AWS/SQS');
    assert.deepEqual(alarm.dimensions, { QueueName: resource(st, 'aws_sqs_queue', 'hour-closer/dlq').name });
    assert.equal(alarm.comparison_operator, 'GreaterThanThreshold');
    assert.equal(alarm.threshold, 0);
  });
});
