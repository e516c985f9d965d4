import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { S3Client } from '@aws-sdk/client-s3';
import { awsClientConfigFromEnv } from '../../pipeline/aws/index.ts';
import {
  formatMoneyReconciliation,
  LandingZone,
  readStreamHistory,
  reconcile,
  reconcileMoney,
  type MoneyGrouping,
} from '../../pipeline/reconcile/index.ts';
import { progressLine } from '../progressLine.ts';

/**
 * `chargeback-cdc reconcile`: every change in the table's DynamoDB stream against every landed
 * row. The expected rows come from the stream's raw images, not from the stream processor's
 * transform, so a transform bug shows as mismatches. Exit code 0 only when nothing is lost,
 * duplicated, mismatched or unexpected.
 */
export async function runReconcile(o: { json: boolean; by?: MoneyGrouping }): Promise<number> {
  const aws = awsClientConfigFromEnv();
  const line = progressLine();
  const progress = (text: string) => {
    if (!o.json) line.update(text);
  };
  if (o.by) {
    // `--by hour|chargeback`: the same two sources, compared in money terms instead of per change.
    const r = await reconcileMoney({
      by: o.by,
      ddb: new DynamoDBClient(aws),
      streams: new DynamoDBStreamsClient(aws),
      s3: new S3Client(aws),
      tableName: process.env.TABLE_NAME!,
      bucket: process.env.LANDING_BUCKET!,
      onProgress: progress,
    });
    if (o.json) console.log(JSON.stringify(r));
    else {
      line.clear();
      console.log(formatMoneyReconciliation(r).join('\n'));
    }
    return r.ok ? 0 : 2;
  }
  const history = await readStreamHistory(
    new DynamoDBClient(aws),
    new DynamoDBStreamsClient(aws),
    process.env.TABLE_NAME!,
    aws.region,
    (n) => progress(`reading the stream: ${n} records`),
  );
  const landing = new LandingZone(process.env.LANDING_BUCKET!);
  const rows = await landing.rows((read, total) => progress(`reading landed files: ${read}/${total}`));
  // Rows older than the oldest change still in the stream (AWS trims after 24 h) cannot be checked.
  const inWindow = history.oldestEventTime ? rows.filter((r) => r.row.event_time >= history.oldestEventTime!) : rows;
  const report = reconcile(history.changes, inWindow);
  if (!o.json) line.clear();
  const summary = {
    ...report,
    poisonInStream: history.poison.length,
    landedOutsideWindow: rows.length - inWindow.length,
    streamArn: history.streamArn,
  };
  if (o.json) console.log(JSON.stringify(summary));
  else {
    console.log(
      `expected ${report.expected} · landed ${report.landed} · lost ${report.lost} · duplicated ${report.duplicated} · mismatched ${report.mismatched} · unexpected ${report.unexpected} · poison in stream (dead-lettered, not landed) ${history.poison.length}`,
    );
    for (const [kind, list] of Object.entries(report.examples))
      if (list.length)
        console.log(`  ${kind}: ${list.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join('\n    ')}`);
    console.log(report.ok ? 'reconcile: OK — every change landed exactly once' : 'reconcile: DIFFERENCES FOUND');
  }
  return report.ok ? 0 : 2;
}
