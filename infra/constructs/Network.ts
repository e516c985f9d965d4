import { Construct } from 'constructs';
import { Fn } from 'cdktf';
import { Vpc } from '@cdktf/provider-aws/lib/vpc/index.js';
import { Subnet } from '@cdktf/provider-aws/lib/subnet/index.js';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway/index.js';
import { Eip } from '@cdktf/provider-aws/lib/eip/index.js';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway/index.js';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table/index.js';
import { Route } from '@cdktf/provider-aws/lib/route/index.js';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association/index.js';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint/index.js';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group/index.js';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule/index.js';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group/index.js';
import { DataAwsAvailabilityZones } from '@cdktf/provider-aws/lib/data-aws-availability-zones/index.js';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import type { InfraConfig } from '../config/InfraConfig.ts';
import { assumeRolePolicy, policyDocument, renderPolicy } from '../iam/PolicyDocument.ts';
import { RetainedLogGroup } from './RetainedLogGroup.ts';
import { defaultZoneIds } from '../config/zoneIds.ts';

export interface NetworkProps {
  network: InfraConfig['network'];
  prefix: string;
  region: string;
  accountId: string;
  logRetentionDays: number;
  kmsKeyArn: string;
  flowLogGroupName: string;
}

/**
 * AWS APIs the pipeline calls from inside the private subnets, besides S3 and DynamoDB (free
 * gateway endpoints). Only SQS: the stream processor sends dead letters there. Its MSK IAM
 * token is signed locally with the function's credentials (no STS call unless a role ARN is
 * configured); Lambda and Managed Flink ship logs, metrics and traces through their own
 * service, and the event source mapping reads the table's stream from outside the VPC. With a
 * NAT gateway these go through it; without one, each gets an interface endpoint.
 */
export const INTERFACE_ENDPOINT_SERVICES = ['sqs'] as const;

/**
 * The private subnets that MSK Serverless, the stream-processor Lambda and Managed Flink share.
 *
 * `existing`: the ids from the config, untouched. `new`: a VPC with one private subnet per zone
 * (chosen by zone ID), either one public subnet holding a single NAT gateway or interface
 * endpoints for INTERFACE_ENDPOINT_SERVICES, gateway endpoints for S3 and DynamoDB (Flink's
 * Parquet uploads never cross the NAT), a default security group that allows nothing, and flow logs.
 */
export class Network extends Construct {
  readonly vpcId: string;
  readonly privateSubnetIds: string[];

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const net = props.network;
    if (net.mode === 'existing') {
      this.vpcId = net.vpcId;
      this.privateSubnetIds = net.privateSubnetIds;
      return;
    }
    const zones = net.availabilityZoneIds ?? defaultZoneIds(props.region);
    // Only a check: the plan fails with this message when a zone ID is not offered here.
    new DataAwsAvailabilityZones(this, 'azs', {
      filter: [{ name: 'zone-id', values: zones }],
      lifecycle: {
        postcondition: [
          {
            condition: `\${length(self.zone_ids) == ${zones.length}}`,
            errorMessage: `not every zone of network.availabilityZoneIds (${zones.join(', ')}${net.availabilityZoneIds ? '' : ', the default'}) is offered in ${props.region}: set it to 2 or 3 zone IDs that are`,
          },
        ],
      },
    });
    const vpc = new Vpc(this, 'vpc', {
      cidrBlock: net.cidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: `${props.prefix}-vpc` },
    });
    this.vpcId = vpc.id;
    new DefaultSecurityGroup(this, 'default-sg', { vpcId: vpc.id, tags: { Name: `${props.prefix}-default-deny-all` } });

    const privateRoutes = new RouteTable(this, 'private-routes', { vpcId: vpc.id, tags: { Name: `${props.prefix}-private` } });
    this.privateSubnetIds = [];
    zones.forEach((zoneId, i) => {
      const subnet = new Subnet(this, `private-${i}`, {
        vpcId: vpc.id,
        cidrBlock: Fn.cidrsubnet(net.cidr, 4, i),
        availabilityZoneId: zoneId,
        mapPublicIpOnLaunch: false,
        tags: { Name: `${props.prefix}-private-${zoneId}`, tier: 'private' },
      });
      new RouteTableAssociation(this, `private-${i}-routes`, { subnetId: subnet.id, routeTableId: privateRoutes.id });
      this.privateSubnetIds.push(subnet.id);
    });

    if (net.natGateway) {
      const igw = new InternetGateway(this, 'igw', { vpcId: vpc.id, tags: { Name: `${props.prefix}-igw` } });
      const publicSubnet = new Subnet(this, 'public-0', {
        vpcId: vpc.id,
        cidrBlock: Fn.cidrsubnet(net.cidr, 4, 15),
        availabilityZoneId: zones[0],
        // The NAT gateway has its own Elastic IP; nothing launched here gets a public address.
        mapPublicIpOnLaunch: false,
        tags: { Name: `${props.prefix}-public-0`, tier: 'public' },
      });
      const publicRoutes = new RouteTable(this, 'public-routes', { vpcId: vpc.id, tags: { Name: `${props.prefix}-public` } });
      new Route(this, 'public-default', { routeTableId: publicRoutes.id, destinationCidrBlock: '0.0.0.0/0', gatewayId: igw.id });
      new RouteTableAssociation(this, 'public-0-routes', { subnetId: publicSubnet.id, routeTableId: publicRoutes.id });
      const eip = new Eip(this, 'nat-eip', { domain: 'vpc', tags: { Name: `${props.prefix}-nat` } });
      const nat = new NatGateway(this, 'nat', {
        allocationId: eip.allocationId,
        subnetId: publicSubnet.id,
        tags: { Name: `${props.prefix}-nat` },
        dependsOn: [igw],
      });
      new Route(this, 'private-default', {
        routeTableId: privateRoutes.id,
        destinationCidrBlock: '0.0.0.0/0',
        natGatewayId: nat.id,
      });
    } else {
      this.interfaceEndpoints(vpc, net.cidr, props);
    }

    for (const service of ['s3', 'dynamodb'] as const) {
      new VpcEndpoint(this, `${service}-endpoint`, {
        vpcId: vpc.id,
        serviceName: `com.amazonaws.${props.region}.${service}`,
        vpcEndpointType: 'Gateway',
        routeTableIds: [privateRoutes.id],
        tags: { Name: `${props.prefix}-${service}` },
      });
    }

    if (net.flowLogs) {
      const logGroup = new RetainedLogGroup(this, 'flow-logs', {
        name: props.flowLogGroupName,
        retentionDays: props.logRetentionDays,
        kmsKeyArn: props.kmsKeyArn,
      });
      const role = new IamRole(this, 'flow-logs-role', {
        name: `${props.prefix}-vpc-flow-logs`,
        assumeRolePolicy: assumeRolePolicy('vpc-flow-logs.amazonaws.com', props.accountId),
      });
      new IamRolePolicy(this, 'flow-logs-policy', {
        role: role.id,
        name: 'deliver-to-log-group',
        policy: renderPolicy(
          policyDocument([
            {
              Sid: 'DeliverFlowLogs',
              Effect: 'Allow',
              Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
              Resource: [logGroup.logGroup.arn, `${logGroup.logGroup.arn}:*`],
            },
          ]),
        ),
      });
      new FlowLog(this, 'flow-log', {
        vpcId: vpc.id,
        trafficType: 'ALL',
        logDestinationType: 'cloud-watch-logs',
        logDestination: logGroup.logGroup.arn,
        iamRoleArn: role.arn,
        maxAggregationInterval: 600,
      });
    }
  }
  /** Interface endpoints (private DNS, so the SDKs' default endpoints resolve to them) reachable on 443 from the VPC. */
  private interfaceEndpoints(vpc: Vpc, cidr: string, props: NetworkProps): void {
    const sg = new SecurityGroup(this, 'endpoints-sg', {
      name: `${props.prefix}-endpoints`,
      description: 'Interface VPC endpoints: HTTPS from the private subnets only',
      vpcId: vpc.id,
      tags: { Name: `${props.prefix}-endpoints` },
    });
    new VpcSecurityGroupIngressRule(this, 'endpoints-https', {
      securityGroupId: sg.id,
      cidrIpv4: cidr,
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      description: 'HTTPS to the endpoints from inside the VPC',
    });
    for (const service of INTERFACE_ENDPOINT_SERVICES) {
      new VpcEndpoint(this, `${service}-endpoint`, {
        vpcId: vpc.id,
        serviceName: `com.amazonaws.${props.region}.${service}`,
        vpcEndpointType: 'Interface',
        privateDnsEnabled: true,
        subnetIds: this.privateSubnetIds,
        securityGroupIds: [sg.id],
        tags: { Name: `${props.prefix}-${service}` },
      });
    }
  }
}
