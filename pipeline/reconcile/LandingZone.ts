import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { awsClientConfigFromEnv } from '../aws/index.ts';
import { listLandedFiles, readParquetFile } from '../parquet-writer/index.ts';
import type { ChangeRecord } from '../schema/index.ts';
import type { LandedRow } from './reconcile.ts';

/**
 * Reads what has landed in s3://<bucket>/landing/chargebacks/. Committed part files never
 * change, so each is downloaded and decoded once and cached by key.
 */
export class LandingZone {
  private readonly s3 = new S3Client(awsClientConfigFromEnv());
  private readonly cache = new Map<string, ChangeRecord[]>();

  constructor(
    readonly bucket: string,
    readonly prefix = 'landing/chargebacks/',
  ) {}

  async rows(onProgress?: (filesRead: number, filesTotal: number) => void): Promise<LandedRow[]> {
    const files = await listLandedFiles(this.s3, this.bucket, this.prefix);
    const out: LandedRow[] = [];
    let read = 0;
    for (const f of files) {
      onProgress?.(++read, files.length);
      let rows = this.cache.get(f.key);
      if (!rows) {
        const obj = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: f.key }));
        rows = (await readParquetFile(await obj.Body!.transformToByteArray())).rows;
        this.cache.set(f.key, rows);
      }
      for (const row of rows) out.push({ key: f.key, row });
    }
    return out;
  }

  async rowsWhere(pred: (r: ChangeRecord) => boolean): Promise<LandedRow[]> {
    return (await this.rows()).filter((r) => pred(r.row));
  }

  /** Polls until `pred` matches at least `count` rows or the time is up; returns what matched. */
  async waitForRows(pred: (r: ChangeRecord) => boolean, count: number, timeoutMs: number): Promise<LandedRow[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rows = await this.rowsWhere(pred);
      if (rows.length >= count || Date.now() > deadline) return rows;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
