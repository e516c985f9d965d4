import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group/index.js';
import { checkovSkip } from '../security/checkovSkip.ts';

export interface RetainedLogGroupProps {
  name: string;
  retentionDays: number;
  kmsKeyArn: string;
}

/**
 * A log group created before the thing that logs into it, with the environment's retention and
 * KMS encryption. It lives in the stack of its writer: Lambda creates `/aws/lambda/<fn>` by
 * itself (without retention) on its first invocation, and Managed Flink needs the stream ARN
 * at creation, so the group has to exist first — the monitoring stack, deployed last, could not
 * own it.
 */
export class RetainedLogGroup extends Construct {
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: RetainedLogGroupProps) {
    super(scope, id);
    this.logGroup = new CloudwatchLogGroup(this, 'group', {
      name: props.name,
      retentionInDays: props.retentionDays,
      kmsKeyId: props.kmsKeyArn,
    });
    if (props.retentionDays < 365) {
      checkovSkip(
        this.logGroup,
        'CKV_AWS_338',
        `retention is set per environment (monitoring.logRetentionDays, now ${props.retentionDays} days); these are operational logs, the records of record are the DynamoDB table (PITR) and the versioned landing bucket`,
      );
    }
  }
}
