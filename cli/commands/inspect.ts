import { readFile } from 'node:fs/promises';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { awsClientConfigFromEnv } from '../../pipeline/aws/index.ts';
import { listLandedFiles, readParquetFile } from '../../pipeline/parquet-writer/index.ts';

/** `chargeback-cdc inspect <file | s3://bucket/key | s3://bucket/prefix/>`: schema and rows of Parquet files. */
export async function runInspect(target: string, o: { json: boolean; limit: number }): Promise<void> {
  const files = await resolve(target);
  if (files.length === 0) throw new Error(`no .parquet files at ${target}`);
  for (const f of files) {
    const { schema, rows, numRows } = await readParquetFile(await f.read());
    if (o.json) {
      console.log(JSON.stringify({ file: f.name, numRows, schema, rows: rows.slice(0, o.limit) }));
      continue;
    }
    console.log(`\n${f.name} — ${numRows} row(s)`);
    console.table(schema);
    if (rows.length)
      console.table(
        rows.slice(0, o.limit).map((r) => ({ ...r, reason: r.reason.length > 40 ? `${r.reason.slice(0, 37)}…` : r.reason })),
      );
    if (rows.length > o.limit) console.log(`… ${rows.length - o.limit} more (use --limit)`);
  }
}

async function resolve(target: string): Promise<Array<{ name: string; read(): Promise<Uint8Array> }>> {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(target);
  if (!m) return [{ name: target, read: async () => new Uint8Array(await readFile(target)) }];
  const [, bucket, key] = m as unknown as [string, string, string];
  const s3 = new S3Client(awsClientConfigFromEnv());
  const get = (k: string) => async () =>
    (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: k }))).Body!.transformToByteArray();
  if (key.endsWith('.parquet')) return [{ name: target, read: get(key) }];
  const listed = await listLandedFiles(s3, bucket, key);
  return listed.map((f) => ({ name: `s3://${bucket}/${f.key}`, read: get(f.key) }));
}
