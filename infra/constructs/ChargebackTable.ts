import { Construct } from 'constructs';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table/index.js';
import { DataAwsDynamodbTable } from '@cdktf/provider-aws/lib/data-aws-dynamodb-table/index.js';
import type { InfraConfig } from '../config/InfraConfig.ts';

export interface ChargebackTableProps {
  table: InfraConfig['table'];
  name: string;
  kmsKeyArn: string;
}

/**
 * The chargebacks table (DESIGN §3): partition key `chargeback_id` (S), stream with
 * NEW_AND_OLD_IMAGES (the change record needs the old image for REMOVE), point-in-time recovery,
 * encrypted with the environment's key. An `existing` table is only read, and the plan fails
 * if its stream is off or carries less than both images.
 */
export class ChargebackTable extends Construct {
  readonly tableName: string;
  readonly tableArn: string;
  readonly streamArn: string;
  /** The key encrypting the table, when we manage it (stream readers need kms:Decrypt). */
  readonly kmsKeyArn: string | undefined;

  constructor(scope: Construct, id: string, props: ChargebackTableProps) {
    super(scope, id);
    if (props.table.mode === 'existing') {
      const existing = new DataAwsDynamodbTable(this, 'existing', {
        name: props.name,
        lifecycle: {
          postcondition: [
            {
              condition: '${self.stream_enabled && self.stream_view_type == "NEW_AND_OLD_IMAGES"}',
              errorMessage: `table ${props.name} needs DynamoDB Streams with NEW_AND_OLD_IMAGES (the change record carries the old image of a REMOVE)`,
            },
          ],
        },
      });
      this.tableName = existing.name;
      this.tableArn = existing.arn;
      this.streamArn = existing.streamArn;
      this.kmsKeyArn = undefined;
      return;
    }
    const table = new DynamodbTable(this, 'table', {
      name: props.name,
      billingMode: 'PAY_PER_REQUEST',
      hashKey: 'chargeback_id',
      attribute: [{ name: 'chargeback_id', type: 'S' }],
      streamEnabled: true,
      streamViewType: 'NEW_AND_OLD_IMAGES',
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: props.kmsKeyArn },
      deletionProtectionEnabled: props.table.deletionProtection,
    });
    if (props.table.mode === 'import') table.importFrom(props.name);
    this.tableName = table.name;
    this.tableArn = table.arn;
    this.streamArn = table.streamArn;
    this.kmsKeyArn = props.kmsKeyArn;
  }
}
