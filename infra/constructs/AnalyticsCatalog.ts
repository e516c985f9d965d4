import { Construct } from 'constructs';
import { GlueCatalogDatabase } from '@cdktf/provider-aws/lib/glue-catalog-database/index.js';
import { GlueCatalogTable } from '@cdktf/provider-aws/lib/glue-catalog-table/index.js';
import { AthenaWorkgroup } from '@cdktf/provider-aws/lib/athena-workgroup/index.js';
import { AthenaNamedQuery } from '@cdktf/provider-aws/lib/athena-named-query/index.js';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy/index.js';
import { chargebackChangesTable, type GlueColumn } from '../../pipeline/schema/index.ts';
// The files directly: the query stage's index also loads DuckDB's native binding, which synth has no use for.
import { CHARGEBACK_CHANGES_ALL_VIEW_SQL, CHARGEBACKS_CURRENT_VIEW_SQL, VIEW_NAMES } from '../../pipeline/query/views.ts';
import { consolidatedChangesTable } from '../../pipeline/query/consolidatedChangesTable.ts';
import { DEFAULT_CONSOLIDATED_PREFIX } from '../../pipeline/consolidation/index.ts';
import { policyDocument, renderPolicy } from '../iam/PolicyDocument.ts';

/** Athena writes query results here, beside the landing prefix and never under it (the table would read them). */
export const ATHENA_RESULTS_PREFIX = 'athena-results/';

export interface AnalyticsCatalogProps {
  databaseName: string;
  workgroupName: string;
  analystPolicyName: string;
  bucketName: string;
  bucketArn: string;
  landingPrefix: string;
  /** Where the consolidation job writes (`consolidated/chargebacks/`, its default). */
  consolidatedPrefix?: string;
  projectionStartDay: string;
  /** The environment's key: encrypts query results (SSE-KMS). */
  dataKeyArn: string;
  /** The key of the landing objects, when it is not the data key (an existing SSE-KMS bucket). */
  landingKmsKeyArn?: string;
  accountId: string;
  partition: string;
  region: string;
}

/**
 * Analysts' way in: the Glue database and the `chargeback_changes` table over the landing zone
 * (columns derived from the Avro schema, partitions by Athena partition projection — no crawler,
 * no partition-adding job), the `chargeback_changes_consolidated` table over the complete
 * consolidated days (their symlink files), an Athena workgroup whose results are SSE-KMS-encrypted
 * with the data key under `athena-results/` of the landing bucket (enforced: clients cannot
 * override it), the `chargeback_changes_all` view (each day once: consolidated when complete, else
 * landing; pipeline/query/README.md) and the `chargebacks_current` view over it as named queries,
 * and a least-privilege policy for people who query. The table definitions are
 * `pipeline/schema/chargebackChangesTable.ts` (which the local stack registers in moto's Glue too)
 * and `pipeline/query/consolidatedChangesTable.ts`.
 */
export class AnalyticsCatalog extends Construct {
  readonly database: GlueCatalogDatabase;
  readonly table: GlueCatalogTable;
  readonly consolidatedTable: GlueCatalogTable;
  readonly workgroup: AthenaWorkgroup;
  readonly analystPolicy: IamPolicy;

  constructor(scope: Construct, id: string, props: AnalyticsCatalogProps) {
    super(scope, id);
    const def = chargebackChangesTable({
      bucket: props.bucketName,
      prefix: props.landingPrefix,
      projectionStartDay: props.projectionStartDay,
    });
    this.database = new GlueCatalogDatabase(this, 'database', {
      name: props.databaseName,
      description:
        'chargeback-cdc: the chargeback_changes (landing) and chargeback_changes_consolidated tables, the chargeback_changes_all and chargebacks_current views',
    });
    const columns = (cs: readonly GlueColumn[]) => cs.map((c) => ({ name: c.name, type: c.type, comment: c.comment }));
    this.table = new GlueCatalogTable(this, 'chargeback-changes', {
      databaseName: this.database.name,
      name: def.name,
      description: def.description,
      tableType: def.tableType,
      parameters: terraformLiteral(def.parameters, def.partitionKeys),
      partitionKeys: columns(def.partitionKeys),
      storageDescriptor: {
        location: def.location,
        inputFormat: def.storage.inputFormat,
        outputFormat: def.storage.outputFormat,
        serDeInfo: {
          serializationLibrary: def.storage.serializationLibrary,
          parameters: { ...def.storage.serdeParameters },
        },
        columns: columns(def.columns),
      },
    });
    const consolidatedPrefix = props.consolidatedPrefix ?? DEFAULT_CONSOLIDATED_PREFIX;
    const cdef = consolidatedChangesTable({
      bucket: props.bucketName,
      consolidatedPrefix,
      projectionStartDay: props.projectionStartDay,
    });
    this.consolidatedTable = new GlueCatalogTable(this, 'chargeback-changes-consolidated', {
      databaseName: this.database.name,
      name: cdef.name,
      description: cdef.description,
      tableType: cdef.tableType,
      parameters: terraformLiteral(cdef.parameters, cdef.partitionKeys),
      partitionKeys: columns(cdef.partitionKeys),
      storageDescriptor: {
        location: cdef.location,
        inputFormat: cdef.storage.inputFormat,
        outputFormat: cdef.storage.outputFormat,
        serDeInfo: {
          serializationLibrary: cdef.storage.serializationLibrary,
          parameters: { ...cdef.storage.serdeParameters },
        },
        columns: columns(cdef.columns),
      },
    });

    const resultsLocation = `s3://${props.bucketName}/${ATHENA_RESULTS_PREFIX}`;
    this.workgroup = new AthenaWorkgroup(this, 'workgroup', {
      name: props.workgroupName,
      description: 'Queries on the chargeback-cdc landing zone; results SSE-KMS-encrypted in the landing bucket',
      state: 'ENABLED',
      configuration: {
        // Clients cannot send results elsewhere or unencrypted (checkov CKV_AWS_82).
        enforceWorkgroupConfiguration: true,
        publishCloudwatchMetricsEnabled: true,
        // Trino-based: TRIM(LEADING … FROM …) of the current-state view needs it.
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: resultsLocation,
          expectedBucketOwner: props.accountId,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKeyArn: props.dataKeyArn },
        },
      },
    });
    new AthenaNamedQuery(this, 'chargeback-changes-all', {
      name: VIEW_NAMES.all,
      description:
        'Creates (or replaces) the chargeback_changes_all view: complete consolidated days from their copy, every other day from the landing zone, each change once. Run before chargebacks_current, once after a deploy that changed the schema.',
      database: this.database.name,
      workgroup: this.workgroup.name,
      query: CHARGEBACK_CHANGES_ALL_VIEW_SQL,
    });
    new AthenaNamedQuery(this, 'chargebacks-current', {
      name: VIEW_NAMES.current,
      description:
        'Creates (or replaces) the chargebacks_current view over chargeback_changes_all: the latest change per chargeback_id, removed ones excluded. Run after chargeback_changes_all, once after a deploy that changed the schema.',
      database: this.database.name,
      workgroup: this.workgroup.name,
      query: CHARGEBACKS_CURRENT_VIEW_SQL,
    });

    const { partition, region, accountId } = props;
    const glue = (what: string) => `arn:${partition}:glue:${region}:${accountId}:${what}`;
    const keys = [...new Set([props.dataKeyArn, props.landingKmsKeyArn ?? props.dataKeyArn])];
    this.analystPolicy = new IamPolicy(this, 'analyst-policy', {
      name: props.analystPolicyName,
      description: 'Query the chargeback-cdc landing zone and consolidated days in its Athena workgroup (read-only on the data)',
      policy: renderPolicy(
        policyDocument([
          {
            Sid: 'QueriesInTheWorkgroup',
            Effect: 'Allow',
            Action: [
              'athena:BatchGetNamedQuery',
              'athena:BatchGetQueryExecution',
              'athena:GetNamedQuery',
              'athena:GetQueryExecution',
              'athena:GetQueryResults',
              'athena:GetQueryRuntimeStatistics',
              'athena:GetWorkGroup',
              'athena:ListNamedQueries',
              'athena:ListQueryExecutions',
              'athena:StartQueryExecution',
              'athena:StopQueryExecution',
            ],
            Resource: [this.workgroup.arn],
          },
          {
            Sid: 'ReadTheCatalogTableAndView',
            Effect: 'Allow',
            Action: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartition', 'glue:GetPartitions'],
            Resource: [
              glue('catalog'),
              glue(`database/${props.databaseName}`),
              glue(`table/${props.databaseName}/${def.name}`),
              glue(`table/${props.databaseName}/${cdef.name}`),
              glue(`table/${props.databaseName}/${VIEW_NAMES.all}`),
              glue(`table/${props.databaseName}/${VIEW_NAMES.current}`),
            ],
          },
          {
            Sid: 'ReadLandedParts',
            Effect: 'Allow',
            Action: ['s3:GetObject'],
            Resource: [`${props.bucketArn}/${props.landingPrefix}*`],
          },
          {
            // The symlink files under `_athena/` and the Parquet files they list, in the day folders.
            Sid: 'ReadConsolidatedDays',
            Effect: 'Allow',
            Action: ['s3:GetObject'],
            Resource: [`${props.bucketArn}/${consolidatedPrefix}*`],
          },
          {
            Sid: 'ListLandingConsolidatedAndResultsOnly',
            Effect: 'Allow',
            Action: ['s3:ListBucket'],
            Resource: [props.bucketArn],
            Condition: {
              StringLike: { 's3:prefix': [`${props.landingPrefix}*`, `${consolidatedPrefix}*`, `${ATHENA_RESULTS_PREFIX}*`] },
            },
          },
          { Sid: 'BucketRegion', Effect: 'Allow', Action: ['s3:GetBucketLocation'], Resource: [props.bucketArn] },
          {
            Sid: 'WriteAndReadQueryResults',
            Effect: 'Allow',
            Action: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:PutObject'],
            Resource: [`${props.bucketArn}/${ATHENA_RESULTS_PREFIX}*`],
          },
          {
            // Landed parts and results are SSE-KMS: Athena uses the caller's rights on the key.
            Sid: 'DecryptPartsEncryptResults',
            Effect: 'Allow',
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
            Resource: keys,
          },
        ]),
      ),
    });
  }
}

/**
 * Terraform reads `${…}` in any string as an interpolation; the partition placeholders of
 * `storage.location.template` must reach Glue as they are, so they are escaped (`$${day}`).
 * Only those placeholders: the bucket's own `${aws_s3_bucket…}` reference must stay live.
 */
function terraformLiteral(parameters: Record<string, string>, keys: readonly GlueColumn[]): Record<string, string> {
  // A replacer function, not a replacement string: in one, `$$` would stand for a single `$`.
  const escapePlaceholders = (v: string) => keys.reduce((s, k) => s.replaceAll(`\${${k.name}}`, () => `$\${${k.name}}`), v);
  return Object.fromEntries(Object.entries(parameters).map(([k, v]) => [k, escapePlaceholders(v)]));
}
