import path from 'node:path';
import { LocalBackend, S3Backend, TerraformOutput, TerraformStack, type App } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity/index.js';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition/index.js';
import type { InfraConfig } from '../config/InfraConfig.ts';
import type { Names } from '../config/names.ts';
import { AWS_PROVIDER_VERSIONS, requiredTerraformVersion, usesS3Lockfile } from './terraformVersions.ts';

/** What every stack knows: the config, the names derived from it, and where things live on disk. */
export interface StackContext {
  config: InfraConfig;
  names: Names;
  /** Repository root: Lambda entries and the Flink JAR are resolved from here. */
  repoRoot: string;
  /** Folder for the Lambda bundles built during synth. */
  buildDir: string;
  /** Folder the local backend keeps state in (git-ignored). */
  stateDir: string;
}

/**
 * Base of the five stacks: AWS provider with default tags, the backend, and the account /
 * partition of whoever deploys (data sources, so synth needs no credentials).
 */
export abstract class ChargebackStack extends TerraformStack {
  readonly accountId: string;
  readonly partition: string;

  constructor(
    scope: App,
    id: string,
    readonly ctx: StackContext,
  ) {
    super(scope, id);
    const { config } = ctx;
    new AwsProvider(this, 'aws', {
      region: config.region,
      defaultTags: [
        { tags: { project: config.project, environment: config.environment, 'managed-by': 'cdktf', stack: id, ...config.tags } },
      ],
    });
    if (config.backend.kind === 's3') {
      new S3Backend(this, {
        bucket: config.backend.bucket,
        key: `${config.backend.keyPrefix}/${config.environment}/${id}.tfstate`,
        region: config.backend.region ?? config.region,
        encrypt: true,
        ...(config.backend.dynamodbTable ? { dynamodbTable: config.backend.dynamodbTable } : {}),
      });
      // S3-native state locking (Terraform >= 1.10); cdktf 0.21's S3BackendConfig predates it.
      if (usesS3Lockfile(config.backend)) this.addOverride('terraform.backend.s3.use_lockfile', true);
    } else {
      // Relative to the stack's folder (cdktf.out/stacks/<id>), so every stack and every
      // terraform_remote_state that reads it finds the same file wherever the repo is checked out.
      const stackDir = path.join(scope.outdir, 'stacks', id);
      new LocalBackend(this, { path: path.relative(stackDir, path.join(ctx.stateDir, `terraform.${id}.tfstate`)) });
    }
    this.addOverride('terraform.required_version', requiredTerraformVersion(config.backend));
    // A range instead of the bindings' exact 6.25.0 pin (why: terraformVersions.ts).
    this.addOverride('terraform.required_providers.aws.version', AWS_PROVIDER_VERSIONS);
    this.accountId = new DataAwsCallerIdentity(this, 'caller').accountId;
    this.partition = new DataAwsPartition(this, 'partition').partition;
  }

  /** A stack output with exactly this name in `terraform output` (the seed's names). */
  protected output(name: string, value: string, description: string, sensitive = false): TerraformOutput {
    const out = new TerraformOutput(this, name, { value, description, sensitive });
    out.overrideLogicalId(name);
    return out;
  }

  protected arn(service: string, resource: string, region: string = this.ctx.config.region): string {
    return `arn:${this.partition}:${service}:${region}:${this.accountId}:${resource}`;
  }
}
