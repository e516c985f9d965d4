import type { App } from 'cdktf';
import { ChargebackStack, type StackContext } from './ChargebackStack.ts';
import { DataKey } from '../constructs/DataKey.ts';
import { Network } from '../constructs/Network.ts';
import { ChargebackTable } from '../constructs/ChargebackTable.ts';
import { LandingBucket } from '../constructs/LandingBucket.ts';
import { AnalyticsCatalog } from '../constructs/AnalyticsCatalog.ts';

/**
 * Phase 1 of the seed: the environment's KMS key, the network, the chargebacks table (stream
 * NEW_AND_OLD_IMAGES, PITR) and the hardened landing bucket — each created, imported or (for the
 * table, the bucket and the VPC) referenced as it already exists — and the catalog analysts query
 * it through (Glue table with partition projection, Athena workgroup), which lives with the bucket.
 */
export class FoundationStack extends ChargebackStack {
  readonly dataKeyArn: string;
  readonly network: Network;
  readonly table: ChargebackTable;
  readonly landing: LandingBucket;
  readonly catalog: AnalyticsCatalog;

  constructor(scope: App, ctx: StackContext) {
    super(scope, ctx.names.stacks.foundation, ctx);
    const { config, names } = ctx;
    const key = new DataKey(this, 'data-key', {
      alias: names.kmsAlias,
      accountId: this.accountId,
      partition: this.partition,
      region: config.region,
    });
    this.dataKeyArn = key.key.arn;
    this.network = new Network(this, 'network', {
      network: config.network,
      prefix: names.prefix,
      region: config.region,
      accountId: this.accountId,
      logRetentionDays: config.monitoring.logRetentionDays,
      kmsKeyArn: this.dataKeyArn,
      flowLogGroupName: names.logGroups.vpcFlowLogs,
    });
    this.table = new ChargebackTable(this, 'chargebacks', { table: config.table, name: names.table, kmsKeyArn: this.dataKeyArn });
    this.landing = new LandingBucket(this, 'landing', {
      bucket: config.bucket,
      defaultName: `${names.prefix}-landing-${this.accountId}`,
      kmsKeyArn: this.dataKeyArn,
    });
    this.catalog = new AnalyticsCatalog(this, 'analytics', {
      databaseName: names.catalog.database,
      workgroupName: names.catalog.workgroup,
      analystPolicyName: names.catalog.analystPolicy,
      bucketName: this.landing.bucketName,
      bucketArn: this.landing.bucketArn,
      landingPrefix: config.landingPrefix,
      consolidatedPrefix: config.consolidation.consolidatedPrefix,
      projectionStartDay: config.catalog.projectionStartDay,
      dataKeyArn: this.dataKeyArn,
      landingKmsKeyArn: this.landing.kmsKeyArn,
      accountId: this.accountId,
      partition: this.partition,
      region: config.region,
    });

    this.output('parquet_bucket_name', this.landing.bucketName, 'Landing bucket; Parquet lands under the landing prefix');
    this.output('region', config.region, 'Region of every resource of this environment');
    this.output('dynamodb_table_name', this.table.tableName, 'The chargebacks table');
    this.output('landing_prefix', config.landingPrefix, 'Key prefix of the Parquet landing zone');
    this.output('glue_database', this.catalog.database.name, 'Glue database of the chargeback_changes table');
    this.output('athena_workgroup', this.catalog.workgroup.name, 'Athena workgroup to query the landing zone in');
    this.output('analyst_policy_arn', this.catalog.analystPolicy.arn, 'Attach to the people or roles who query');
  }
}
