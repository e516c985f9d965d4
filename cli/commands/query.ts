import { rmSync } from 'node:fs';
import { S3Client } from '@aws-sdk/client-s3';
import { awsClientConfigFromEnv } from '../../pipeline/aws/index.ts';
import { DEFAULT_LANDING_BUCKET, DEFAULT_LANDING_PREFIX } from '../../pipeline/parquet-writer/index.ts';
import { formatResult, type OutputFormat, parseLandingUri, queryLanding } from '../../pipeline/query/index.ts';

export interface QueryCommandOptions {
  /** `s3://bucket/prefix/`; default the local landing zone, s3://$LANDING_BUCKET/landing/chargebacks/. */
  from?: string;
  format: OutputFormat;
}

/**
 * `chargeback-cdc query "<SQL>"`: the result on stdout in the chosen format, progress on stderr,
 * so `--json`/`--csv` output can be piped as it is. Errors propagate to the CLI's one handler
 * (one line, exit 1).
 */
export async function runQuery(sql: string, o: QueryCommandOptions): Promise<void> {
  const from = o.from ?? `s3://${process.env.LANDING_BUCKET ?? DEFAULT_LANDING_BUCKET}/${DEFAULT_LANDING_PREFIX}`;
  const location = parseLandingUri(from);
  const s3 = new S3Client(awsClientConfigFromEnv());
  const tempDirs: string[] = [];
  // Ctrl-C during a long fetch: the downloaded copies go too (the finally blocks never run on a signal).
  const onSignal = () => {
    for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  try {
    const result = await queryLanding(s3, location, sql, {
      onProgress: (line) => console.error(line),
      onTempDir: (d) => tempDirs.push(d),
    });
    process.stdout.write(formatResult(result, o.format));
  } finally {
    process.off('SIGINT', onSignal);
    s3.destroy();
  }
}
