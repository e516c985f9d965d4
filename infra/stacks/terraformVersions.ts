import type { InfraConfig } from '../config/InfraConfig.ts';

/**
 * The `hashicorp/aws` versions every synthesized stack accepts. The prebuilt bindings
 * (`@cdktf/provider-aws` 21.22.1) were generated from 6.25.0 and would pin exactly that; the
 * stacks use nothing that 5.100 lacks, and `terraform validate` proves it against the 5.100.0
 * mirror our machines carry (infra/terraform/validateStacks.test.ts). The upper bound keeps a
 * future major, with its removals, out until someone validates against it.
 */
export const AWS_PROVIDER_MIN = '5.100.0';
export const AWS_PROVIDER_MAX_EXCLUSIVE = '7.0.0';
export const AWS_PROVIDER_VERSIONS = `>= ${AWS_PROVIDER_MIN}, < ${AWS_PROVIDER_MAX_EXCLUSIVE}`;

/** Import blocks (table/bucket `import` mode) need 1.5. */
export const TERRAFORM_MIN_VERSION = '1.5.0';
/** The S3 backend's native state locking (`use_lockfile`) needs 1.10; older CLIs reject the key. */
export const TERRAFORM_LOCKFILE_MIN_VERSION = '1.10.0';

/** Whether the stacks' S3 backend locks its state with S3 itself (no DynamoDB lock table given). */
export function usesS3Lockfile(backend: InfraConfig['backend']): boolean {
  return backend.kind === 's3' && !backend.dynamodbTable;
}

/** `terraform.required_version` for this backend: never a range a CLI in it cannot honour. */
export function requiredTerraformVersion(backend: InfraConfig['backend']): string {
  return `>= ${usesS3Lockfile(backend) ? TERRAFORM_LOCKFILE_MIN_VERSION : TERRAFORM_MIN_VERSION}`;
}
