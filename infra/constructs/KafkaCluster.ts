import { Construct } from 'constructs';
import { MskServerlessCluster } from '@cdktf/provider-aws/lib/msk-serverless-cluster/index.js';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group/index.js';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule/index.js';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule/index.js';
import { checkovSkip } from '../security/checkovSkip.ts';

/** MSK's IAM-authenticated listener (SASL/SCRAM is 9096, TLS 9094, plaintext 9092 — none of them here). */
export const MSK_IAM_PORT = 9098;

export interface KafkaClusterProps {
  clusterName: string;
  prefix: string;
  vpcId: string;
  subnetIds: string[];
  accountId: string;
  partition: string;
  region: string;
}

/**
 * MSK Serverless with IAM auth, and the three security groups around it: the cluster's accepts
 * 9098 only from the Lambda group and the Flink group; those two may leave only to the cluster
 * on 9098 and to AWS APIs on 443.
 */
export class KafkaCluster extends Construct {
  readonly cluster: MskServerlessCluster;
  readonly clusterSg: SecurityGroup;
  readonly lambdaSg: SecurityGroup;
  readonly flinkSg: SecurityGroup;
  readonly bootstrapBrokers: string;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: KafkaClusterProps,
  ) {
    super(scope, id);
    const sg = (name: string, description: string) =>
      new SecurityGroup(this, `${name}-sg`, {
        name: `${props.prefix}-${name}`,
        description,
        vpcId: props.vpcId,
        tags: { Name: `${props.prefix}-${name}` },
      });
    this.clusterSg = sg('msk', 'MSK Serverless brokers: IAM listener 9098 from the pipeline Lambdas and Flink only');
    this.lambdaSg = sg(
      'lambda',
      'Pipeline Lambdas in the VPC (stream processor, topic creator): out to MSK 9098 and AWS APIs 443',
    );
    this.flinkSg = sg('flink', 'Managed Flink application: out to MSK 9098 and AWS APIs (S3) 443');

    for (const [client, group] of [
      ['lambda', this.lambdaSg],
      ['flink', this.flinkSg],
    ] as const) {
      new VpcSecurityGroupIngressRule(this, `msk-from-${client}`, {
        securityGroupId: this.clusterSg.id,
        referencedSecurityGroupId: group.id,
        ipProtocol: 'tcp',
        fromPort: MSK_IAM_PORT,
        toPort: MSK_IAM_PORT,
        description: `Kafka (IAM auth) from the ${client} security group`,
      });
      new VpcSecurityGroupEgressRule(this, `${client}-to-msk`, {
        securityGroupId: group.id,
        referencedSecurityGroupId: this.clusterSg.id,
        ipProtocol: 'tcp',
        fromPort: MSK_IAM_PORT,
        toPort: MSK_IAM_PORT,
        description: 'Kafka (IAM auth) to MSK Serverless',
      });
      new VpcSecurityGroupEgressRule(this, `${client}-to-aws-apis`, {
        securityGroupId: group.id,
        cidrIpv4: '0.0.0.0/0',
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        description: 'HTTPS to AWS APIs (S3 through the gateway endpoint; SQS, STS, CloudWatch through NAT or endpoints)',
      });
    }

    this.cluster = new MskServerlessCluster(this, 'cluster', {
      clusterName: props.clusterName,
      clientAuthentication: { sasl: { iam: { enabled: true } } },
      vpcConfig: [{ subnetIds: props.subnetIds, securityGroupIds: [this.clusterSg.id] }],
    });
    this.bootstrapBrokers = this.cluster.bootstrapBrokersSaslIam;

    // Our synth tests assert both attachments (StreamingStack.test.ts).
    checkovSkip(
      this.clusterSg,
      'CKV2_AWS_5',
      "attached to the aws_msk_serverless_cluster vpc_config, a resource type checkov's graph does not know",
    );
    checkovSkip(
      this.flinkSg,
      'CKV2_AWS_5',
      "attached to the aws_kinesisanalyticsv2_application vpc_configuration, a resource type checkov's graph does not know",
    );
  }

  get clusterArn(): string {
    return this.cluster.arn;
  }

  /** `arn:aws:kafka:<region>:<account>:topic/<cluster-name>/<cluster-uuid>/<topic>` */
  topicArn(topic: string): string {
    return this.resourceArn('topic', topic);
  }

  /** `arn:aws:kafka:<region>:<account>:group/<cluster-name>/<cluster-uuid>/<group>` */
  groupArn(group: string): string {
    return this.resourceArn('group', group);
  }

  private resourceArn(kind: 'topic' | 'group', name: string): string {
    const { partition, region, accountId, clusterName } = this.props;
    return `arn:${partition}:kafka:${region}:${accountId}:${kind}/${clusterName}/${this.cluster.clusterUuid}/${name}`;
  }
}
