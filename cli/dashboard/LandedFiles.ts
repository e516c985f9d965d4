import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  isLandedPartKey,
  listLandedFiles,
  readParquetFile,
  type ColumnDescription,
} from '../../pipeline/parquet-writer/index.ts';
import type { ChangeRecord } from '../../pipeline/schema/index.ts';

export interface LandedFile {
  key: string;
  /** `YYYY-MM-DD/HH`. */
  bucket: string;
  name: string;
  size: number;
  lastModified: string;
  /** Rows of the file; undefined until it has been read once. */
  rows: number | undefined;
}

export interface LandingSummary {
  totalFiles: number;
  totalBytes: number;
  latest: LandedFile[];
  /** Epoch ms of the last successful listing. */
  updatedAt: number | undefined;
  error: string | undefined;
}

export interface InspectedFile {
  key: string;
  size: number;
  numRows: number;
  schema: ColumnDescription[];
  rows: ChangeRecord[];
  /** Rows left out (the page shows at most `limit`). */
  more: number;
}

/**
 * The landing zone as the dashboard shows it: counts, and the latest committed part files with
 * their row counts. Committed part files never change, so each is read once and its row count
 * cached by key.
 */
export class LandedFiles {
  private readonly rowCounts = new Map<string, number>();
  private summary: LandingSummary = { totalFiles: 0, totalBytes: 0, latest: [], updatedAt: undefined, error: undefined };

  constructor(
    private readonly s3: S3Client,
    readonly bucket: string,
    readonly prefix: string,
    private readonly latestCount = 12,
  ) {}

  current(): LandingSummary {
    return this.summary;
  }

  /** Lists the landing zone and reads the row counts of the latest files not read yet. */
  async refresh(): Promise<void> {
    try {
      const files = await listLandedFiles(this.s3, this.bucket, this.prefix);
      const latest = [...files]
        .sort((a, b) => b.lastModified.getTime() - a.lastModified.getTime() || (a.key < b.key ? 1 : -1))
        .slice(0, this.latestCount);
      for (const f of latest) {
        if (!this.rowCounts.has(f.key)) this.rowCounts.set(f.key, (await this.read(f.key)).numRows);
      }
      this.summary = {
        totalFiles: files.length,
        totalBytes: files.reduce((n, f) => n + f.size, 0),
        latest: latest.map((f) => {
          const rel = f.key.slice(this.prefix.length);
          const i = rel.lastIndexOf('/');
          return {
            key: f.key,
            bucket: rel.slice(0, i),
            name: rel.slice(i + 1),
            size: f.size,
            lastModified: f.lastModified.toISOString(),
            rows: this.rowCounts.get(f.key),
          };
        }),
        updatedAt: Date.now(),
        error: undefined,
      };
    } catch (e) {
      const error = `could not list s3://${this.bucket}/${this.prefix}: ${(e as Error).message}`;
      this.summary = { ...this.summary, error };
      throw new Error(error, { cause: e });
    }
  }

  /** Schema and rows of one landed part file (what `chargeback-cdc inspect` prints). */
  async inspect(key: string, limit = 200): Promise<InspectedFile> {
    if (!isLandedPartKey(key, this.prefix)) throw new Error(`${key} is not a committed part file under ${this.prefix}`);
    const { numRows, schema, rows, size } = await this.read(key);
    this.rowCounts.set(key, numRows);
    return { key, size, numRows, schema, rows: rows.slice(0, limit), more: Math.max(0, rows.length - limit) };
  }

  private async read(key: string) {
    const obj = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    const bytes = await obj.Body!.transformToByteArray();
    return { ...(await readParquetFile(bytes)), size: bytes.length };
  }
}
