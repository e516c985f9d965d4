import path from 'node:path';
import { Construct } from 'constructs';
import { AssetType, TerraformAsset } from 'cdktf';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function/index.js';
import { bundleLambdaCached, type Bundle } from '../bundle/bundleLambda.ts';
import { assumeRolePolicy, policyDocument, renderPolicy, type PolicyStatement } from '../iam/PolicyDocument.ts';
import { checkovSkip } from '../security/checkovSkip.ts';
import { RetainedLogGroup } from './RetainedLogGroup.ts';

export interface NodeFunctionProps {
  functionName: string;
  description: string;
  /** The TypeScript entry exporting `handler` (bundled with esbuild at synth). */
  entry: string;
  buildDir: string;
  runtime: string;
  memoryMb: number;
  timeoutSeconds: number;
  environment: Record<string, string>;
  /** What the function may do besides writing its own logs and traces. */
  statements: PolicyStatement[];
  logGroupName: string;
  logRetentionDays: number;
  kmsKeyArn: string;
  accountId: string;
  vpc?: { subnetIds: string[]; securityGroupIds: string[] };
  reservedConcurrency?: number;
  /**
   * SQS queue for the events of asynchronous invocations that failed every attempt (the function
   * may send to it). Only asynchronous invocations use it (a schedule, not an event source mapping).
   */
  deadLetterQueueArn?: string;
}

/**
 * A Node.js Lambda function built from `pipeline/` (or `infra/lambdas/`) source: esbuild bundle
 * → zip asset → function with its own role (logs to its own log group, X-Ray, the statements it
 * is given, nothing else), JSON logs, active tracing and a KMS-encrypted environment.
 */
export class NodeFunction extends Construct {
  readonly fn: LambdaFunction;
  readonly role: IamRole;
  readonly logGroup: RetainedLogGroup;
  readonly bundle: Bundle;

  constructor(scope: Construct, id: string, props: NodeFunctionProps) {
    super(scope, id);
    this.bundle = bundleLambdaCached({ entry: props.entry, outdir: path.join(props.buildDir, props.functionName) });
    const asset = new TerraformAsset(this, 'code', {
      path: this.bundle.zip,
      type: AssetType.FILE,
      assetHash: this.bundle.hash.slice(0, 32),
    });
    this.logGroup = new RetainedLogGroup(this, 'logs', {
      name: props.logGroupName,
      retentionDays: props.logRetentionDays,
      kmsKeyArn: props.kmsKeyArn,
    });

    this.role = new IamRole(this, 'role', {
      name: props.functionName,
      description: `Execution role of ${props.functionName}`,
      assumeRolePolicy: assumeRolePolicy('lambda.amazonaws.com', props.accountId),
    });
    const statements: PolicyStatement[] = [
      {
        Sid: 'WriteOwnLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: `${this.logGroup.logGroup.arn}:*`,
      },
      {
        // X-Ray has no resource-level permissions: its actions only accept "*".
        Sid: 'WriteTraces',
        Effect: 'Allow',
        Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
        Resource: '*',
      },
      {
        Sid: 'DecryptOwnEnvironment',
        Effect: 'Allow',
        Action: ['kms:Decrypt'],
        Resource: props.kmsKeyArn,
      },
      ...(props.vpc ? vpcNetworkInterfaceStatements() : []),
      ...(props.deadLetterQueueArn
        ? [{ Sid: 'SendFailedEvents', Effect: 'Allow' as const, Action: ['sqs:SendMessage'], Resource: props.deadLetterQueueArn }]
        : []),
      ...props.statements,
    ];
    const policy = new IamRolePolicy(this, 'policy', {
      role: this.role.id,
      name: 'least-privilege',
      policy: renderPolicy(policyDocument(statements)),
    });

    this.fn = new LambdaFunction(this, 'function', {
      functionName: props.functionName,
      description: props.description,
      role: this.role.arn,
      runtime: props.runtime,
      architectures: ['arm64'],
      handler: this.bundle.handler,
      filename: asset.path,
      sourceCodeHash: this.bundle.hash,
      memorySize: props.memoryMb,
      timeout: props.timeoutSeconds,
      kmsKeyArn: props.kmsKeyArn,
      environment: { variables: { NODE_OPTIONS: '--enable-source-maps', ...props.environment } },
      tracingConfig: { mode: 'Active' },
      loggingConfig: { logFormat: 'JSON', logGroup: this.logGroup.logGroup.name },
      ...(props.vpc ? { vpcConfig: { subnetIds: props.vpc.subnetIds, securityGroupIds: props.vpc.securityGroupIds } } : {}),
      ...(props.reservedConcurrency ? { reservedConcurrentExecutions: props.reservedConcurrency } : {}),
      ...(props.deadLetterQueueArn ? { deadLetterConfig: { targetArn: props.deadLetterQueueArn } } : {}),
      dependsOn: [this.logGroup.logGroup, policy],
    });

    checkovSkip(
      this.fn,
      'CKV_AWS_272',
      'code signing needs an AWS Signer profile and a signing step; the bundle is built from this repository in the same synth that deploys it, so there is no untrusted hop to guard',
    );
    if (!props.reservedConcurrency) {
      checkovSkip(
        this.fn,
        'CKV_AWS_115',
        'reserved concurrency is per-account capacity (a new account has 10 executions and must keep 10 unreserved); set reservedConcurrency in the config where the account allows it',
      );
    }
  }
}

/**
 * What the Lambda service needs, on the function's role, to attach the function to private
 * subnets. Describe* has no resource-level permissions, and AWS's own
 * AWSLambdaVPCAccessExecutionRole grants these on "*"; the actions stay explicit.
 */
function vpcNetworkInterfaceStatements(): PolicyStatement[] {
  return [
    {
      Sid: 'AttachToPrivateSubnets',
      Effect: 'Allow',
      Action: [
        'ec2:CreateNetworkInterface',
        'ec2:DescribeNetworkInterfaces',
        'ec2:DescribeSubnets',
        'ec2:DeleteNetworkInterface',
        'ec2:AssignPrivateIpAddresses',
        'ec2:UnassignPrivateIpAddresses',
      ],
      Resource: '*',
    },
  ];
}
