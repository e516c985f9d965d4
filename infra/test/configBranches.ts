import type { InfraConfigInput } from '../config/InfraConfig.ts';

/**
 * Configs that take the other branch of the choices the defaults make, shared by the checks that
 * read whole synthesized stacks (checkov, terraform validate), so each branch is checked by both.
 */

/** Existing VPC, imported table and bucket, SSE-S3, IAM-authorized routes, a year of logs, S3 state locked by S3. */
export const OTHER_BRANCHES: InfraConfigInput = {
  backend: { kind: 's3', bucket: 'acme-terraform-state' },
  network: { mode: 'existing', vpcId: 'vpc-0abc', privateSubnetIds: ['subnet-01', 'subnet-02'] },
  table: { mode: 'import', name: 'chargebacks' },
  bucket: { mode: 'import', name: 'seed-landing', encryption: 'SSE-S3' },
  api: { authorization: 'AWS_IAM', reservedConcurrency: 10 },
  monitoring: { logRetentionDays: 365 },
};

/** A new VPC without a NAT gateway, in two zones named by zone ID: the private subnets reach AWS APIs through endpoints. */
export const NO_NAT: InfraConfigInput = {
  network: { mode: 'new', natGateway: false, availabilityZoneIds: ['use1-az1', 'use1-az2'] },
};
