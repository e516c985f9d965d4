import { rmSync } from 'node:fs';
import { S3Client } from '@aws-sdk/client-s3';
import { awsClientConfigFromEnv } from '../../pipeline/aws/index.ts';
import { DEFAULT_CONSOLIDATED_PREFIX } from '../../pipeline/consolidation/index.ts';
import { DEFAULT_LANDING_BUCKET, DEFAULT_LANDING_PREFIX } from '../../pipeline/parquet-writer/index.ts';
import {
  formatResult,
  type OutputFormat,
  queryChargebacks,
  queryLanding,
  resolveQueryTarget,
} from '../../pipeline/query/index.ts';

export interface QueryCommandOptions {
  /** `s3://bucket/` or `s3://bucket/prefix/`; default the environment's bucket (LANDING_BUCKET). */
  from?: string;
  /** `auto` (the read rule, pipeline/query/README.md), `landing` or `consolidated`. */
  source: string;
  format: OutputFormat;
}

/**
 * `chargeback-cdc query "<SQL>"`: the result on stdout in the chosen format, progress on stderr,
 * so `--json`/`--csv` output can be piped as it is. Errors propagate to the CLI's one handler
 * (one line, exit 1).
 */
export async function runQuery(sql: string, o: QueryCommandOptions): Promise<void> {
  const env = process.env;
  // The same variables, with the same defaults, as the writers and `consolidate` use.
  const target = resolveQueryTarget({
    from: o.from,
    source: o.source,
    defaults: {
      bucket: env.LANDING_BUCKET || DEFAULT_LANDING_BUCKET,
      landingPrefix: env.LANDING_PREFIX || DEFAULT_LANDING_PREFIX,
      consolidatedPrefix: env.CONSOLIDATED_PREFIX || DEFAULT_CONSOLIDATED_PREFIX,
    },
  });
  const s3 = new S3Client(awsClientConfigFromEnv());
  const tempDirs: string[] = [];
  // Ctrl-C during a long fetch: the downloaded copies go too (the finally blocks never run on a signal).
  const onSignal = () => {
    for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  try {
    const options = { onProgress: (line: string) => console.error(line), onTempDir: (d: string) => tempDirs.push(d) };
    if (target.kind === 'prefix' && target.note) console.error(target.note);
    const result =
      target.kind === 'zone'
        ? await queryChargebacks(s3, target.layout, target.source, sql, options)
        : await queryLanding(s3, target.location, sql, options);
    process.stdout.write(formatResult(result, o.format));
  } finally {
    process.off('SIGINT', onSignal);
    s3.destroy();
  }
}
