import { Construct } from 'constructs';
import { AssetType, TerraformAsset, type ITerraformDependable } from 'cdktf';
import { S3Object } from '@cdktf/provider-aws/lib/s3-object/index.js';
import { CloudwatchLogStream } from '@cdktf/provider-aws/lib/cloudwatch-log-stream/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { Kinesisanalyticsv2Application } from '@cdktf/provider-aws/lib/kinesisanalyticsv2-application/index.js';
import type { InfraConfig } from '../config/InfraConfig.ts';
import type { FlinkJar } from '../bundle/flinkJar.ts';
import { assumeRolePolicy, policyDocument, renderPolicy, type PolicyStatement } from '../iam/PolicyDocument.ts';
import type { KafkaCluster } from './KafkaCluster.ts';
import { RetainedLogGroup } from './RetainedLogGroup.ts';

/** Property group the Flink job reads with KinesisAnalyticsRuntime.getApplicationProperties(). */
export const FLINK_PROPERTY_GROUP = 'ChargebackCdc';

export interface FlinkApplicationProps {
  applicationName: string;
  flink: InfraConfig['flink'];
  kafka: InfraConfig['kafka'];
  jar: FlinkJar;
  jarKey: string;
  bucketName: string;
  bucketArn: string;
  /** Key of the landing bucket when it uses SSE-KMS. */
  bucketKmsKeyArn: string | undefined;
  landingPrefix: string;
  cluster: KafkaCluster;
  subnetIds: string[];
  logGroupName: string;
  logRetentionDays: number;
  logsKmsKeyArn: string;
  accountId: string;
  partition: string;
  region: string;
  /** Start only after these exist (the topics). */
  dependsOn: ITerraformDependable[];
}

/**
 * The Managed Service for Apache Flink application running pipeline/flink-job: the JAR uploaded
 * as an S3 object of this stack (its key carries its hash), the job's property group, the
 * service's checkpointing and parallelism, the VPC attachment next to MSK, and CloudWatch
 * logging to a log group with retention.
 */
export class FlinkApplication extends Construct {
  readonly application: Kinesisanalyticsv2Application;
  readonly role: IamRole;
  readonly logGroup: RetainedLogGroup;
  readonly jarObject: S3Object;
  readonly properties: Record<string, string>;

  constructor(scope: Construct, id: string, props: FlinkApplicationProps) {
    super(scope, id);
    const { flink, kafka, cluster } = props;

    const jarAsset = new TerraformAsset(this, 'jar-file', {
      path: props.jar.path,
      type: AssetType.FILE,
      assetHash: props.jar.hash,
    });
    this.jarObject = new S3Object(this, 'jar', {
      bucket: props.bucketName,
      key: props.jarKey,
      source: jarAsset.path,
      sourceHash: props.jar.hash,
      contentType: 'application/java-archive',
      // A new build is a new key: upload it before the old object goes, so the application
      // update never points at a deleted JAR.
      lifecycle: { createBeforeDestroy: true },
      ...(props.bucketKmsKeyArn
        ? { serverSideEncryption: 'aws:kms', kmsKeyId: props.bucketKmsKeyArn }
        : { serverSideEncryption: 'AES256' }),
    });

    this.logGroup = new RetainedLogGroup(this, 'logs', {
      name: props.logGroupName,
      retentionDays: props.logRetentionDays,
      kmsKeyArn: props.logsKmsKeyArn,
    });
    const logStream = new CloudwatchLogStream(this, 'log-stream', {
      name: 'application',
      logGroupName: this.logGroup.logGroup.name,
    });
    const logStreamArn = `${this.logGroup.logGroup.arn}:log-stream:${logStream.name}`;

    this.role = new IamRole(this, 'role', {
      name: props.applicationName,
      description: `Service execution role of the Managed Flink application ${props.applicationName}`,
      assumeRolePolicy: assumeRolePolicy('kinesisanalytics.amazonaws.com', props.accountId),
    });
    const policy = new IamRolePolicy(this, 'policy', {
      role: this.role.id,
      name: 'least-privilege',
      policy: renderPolicy(policyDocument(flinkStatements(props, this.logGroup.logGroup.arn, logStreamArn))),
    });

    this.properties = {
      'bootstrap.servers': cluster.bootstrapBrokers,
      topic: kafka.topic,
      'dlq.topic': kafka.dlqTopic,
      'group.id': kafka.consumerGroup,
      bucket: props.bucketName,
      prefix: props.landingPrefix,
      'checkpoint.interval.ms': String(flink.checkpointIntervalMs),
      auth: 'msk-iam',
    };

    this.application = new Kinesisanalyticsv2Application(this, 'application', {
      name: props.applicationName,
      description: 'chargeback-cdc Parquet writer (pipeline/flink-job): Kafka → s3://<bucket>/<prefix>YYYY-MM-DD/HH/',
      runtimeEnvironment: flink.runtime,
      applicationMode: 'STREAMING',
      serviceExecutionRole: this.role.arn,
      startApplication: flink.startApplication,
      applicationConfiguration: {
        applicationCodeConfiguration: {
          codeContentType: 'ZIPFILE',
          codeContent: {
            s3ContentLocation: {
              bucketArn: props.bucketArn,
              fileKey: this.jarObject.key,
              objectVersion: this.jarObject.versionId,
            },
          },
        },
        environmentProperties: { propertyGroup: [{ propertyGroupId: FLINK_PROPERTY_GROUP, propertyMap: this.properties }] },
        flinkApplicationConfiguration: {
          checkpointConfiguration: {
            configurationType: 'CUSTOM',
            checkpointingEnabled: true,
            checkpointInterval: flink.checkpointIntervalMs,
            minPauseBetweenCheckpoints: flink.minPauseBetweenCheckpointsMs,
          },
          monitoringConfiguration: { configurationType: 'CUSTOM', logLevel: flink.logLevel, metricsLevel: flink.metricsLevel },
          parallelismConfiguration: {
            configurationType: 'CUSTOM',
            parallelism: flink.parallelism,
            parallelismPerKpu: flink.parallelismPerKpu,
            autoScalingEnabled: flink.autoScaling,
          },
        },
        applicationSnapshotConfiguration: { snapshotsEnabled: flink.snapshotsEnabled },
        runConfiguration: {
          // Resume from the latest snapshot: the FileSink's pending part files and the Kafka
          // offsets are in it, so a redeploy neither loses nor duplicates rows.
          applicationRestoreConfiguration: {
            applicationRestoreType: flink.snapshotsEnabled ? 'RESTORE_FROM_LATEST_SNAPSHOT' : 'SKIP_RESTORE_FROM_SNAPSHOT',
          },
          flinkRunConfiguration: { allowNonRestoredState: false },
        },
        vpcConfiguration: { subnetIds: props.subnetIds, securityGroupIds: [cluster.flinkSg.id] },
      },
      cloudwatchLoggingOptions: { logStreamArn },
      dependsOn: [policy, logStream, ...props.dependsOn],
    });
  }
}

function flinkStatements(props: FlinkApplicationProps, logGroupArn: string, logStreamArn: string): PolicyStatement[] {
  const { bucketArn, landingPrefix, cluster, kafka, region, partition, accountId } = props;
  const landingObjects = `${bucketArn}/${landingPrefix}*`;
  return [
    {
      Sid: 'ReadApplicationJar',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:GetObjectVersion'],
      Resource: `${bucketArn}/${props.jarKey}`,
    },
    {
      // FileSink on S3: multipart uploads per part file, small pending parts as temporary
      // objects beside them, all under the landing prefix.
      Sid: 'WriteLandingZone',
      Effect: 'Allow',
      Action: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      Resource: landingObjects,
    },
    {
      Sid: 'ListLandingZone',
      Effect: 'Allow',
      Action: ['s3:ListBucket'],
      Resource: bucketArn,
      Condition: { StringLike: { 's3:prefix': [landingPrefix, `${landingPrefix}*`] } },
    },
    ...(props.bucketKmsKeyArn
      ? [
          {
            Sid: 'UseLandingKeyThroughS3',
            Effect: 'Allow' as const,
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
            Resource: props.bucketKmsKeyArn,
            Condition: { StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } },
          },
        ]
      : []),
    {
      Sid: 'ConnectToCluster',
      Effect: 'Allow',
      Action: ['kafka-cluster:Connect', 'kafka-cluster:DescribeCluster', 'kafka-cluster:WriteDataIdempotently'],
      Resource: cluster.clusterArn,
    },
    {
      Sid: 'ReadChangesTopic',
      Effect: 'Allow',
      Action: ['kafka-cluster:DescribeTopic', 'kafka-cluster:ReadData'],
      Resource: cluster.topicArn(kafka.topic),
    },
    {
      Sid: 'WriteDeadLetterTopic',
      Effect: 'Allow',
      Action: ['kafka-cluster:DescribeTopic', 'kafka-cluster:WriteData'],
      Resource: cluster.topicArn(kafka.dlqTopic),
    },
    {
      Sid: 'UseConsumerGroup',
      Effect: 'Allow',
      Action: ['kafka-cluster:DescribeGroup', 'kafka-cluster:AlterGroup'],
      Resource: cluster.groupArn(kafka.consumerGroup),
    },
    {
      Sid: 'FindLogGroup',
      Effect: 'Allow',
      Action: ['logs:DescribeLogGroups'],
      Resource: `arn:${partition}:logs:${region}:${accountId}:log-group:*`,
    },
    { Sid: 'FindLogStream', Effect: 'Allow', Action: ['logs:DescribeLogStreams'], Resource: `${logGroupArn}:log-stream:*` },
    { Sid: 'WriteApplicationLogs', Effect: 'Allow', Action: ['logs:PutLogEvents'], Resource: logStreamArn },
    {
      // Managed Flink creates the application's ENIs in our subnets with this role. EC2's
      // Describe* calls have no resource-level permissions; AWS documents these on "*".
      // https://docs.aws.amazon.com/managed-flink/latest/java/vpc-permissions.html
      Sid: 'AttachToPrivateSubnets',
      Effect: 'Allow',
      Action: [
        'ec2:DescribeVpcs',
        'ec2:DescribeSubnets',
        'ec2:DescribeSecurityGroups',
        'ec2:DescribeDhcpOptions',
        'ec2:DescribeNetworkInterfaces',
        'ec2:CreateNetworkInterface',
        'ec2:CreateNetworkInterfacePermission',
        'ec2:DeleteNetworkInterface',
      ],
      Resource: '*',
    },
  ];
}
