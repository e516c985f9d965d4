import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { parquetMetadata } from 'hyparquet';
import { eventually } from '../fixtures/eventually.ts';
import { DEFAULT_LANDING_PREFIX, isLandedPartKey } from '../pipeline/parquet-writer/index.ts';

/**
 * Counts what a reader can see: committed part files under the landing prefix (hidden and staging
 * objects skipped, as listLandedFiles does) and their rows, from each file's footer — the same
 * count for the embedded writer and the Flink job. A file is read once: committed files never change.
 */
export class LandedRowCounter {
  private readonly seen = new Map<string, number>();
  rows = 0;
  bytes = 0;

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly prefix = DEFAULT_LANDING_PREFIX,
  ) {}

  get files(): number {
    return this.seen.size;
  }

  /** Lists the prefix and reads the footers of files not seen before; returns the rows visible now. */
  async poll(): Promise<number> {
    let token: string | undefined;
    const fresh: Array<{ key: string; size: number }> = [];
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix, ContinuationToken: token }),
      );
      for (const o of page.Contents ?? []) {
        if (o.Key && !this.seen.has(o.Key) && isLandedPartKey(o.Key, this.prefix)) fresh.push({ key: o.Key, size: o.Size ?? 0 });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    await Promise.all(
      fresh.map(async (f) => {
        const rows = await this.footerRows(f.key, f.size);
        this.seen.set(f.key, rows);
        this.rows += rows;
        this.bytes += f.size;
      }),
    );
    return this.rows;
  }

  private async footerRows(key: string, size: number): Promise<number> {
    let tail = Math.min(size, 64 * 1024);
    for (;;) {
      const obj = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: `bytes=-${tail}` }));
      const bytes = await obj.Body!.transformToByteArray();
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const footerLength = view.getUint32(bytes.byteLength - 8, true);
      if (footerLength + 8 <= bytes.byteLength || tail >= size) {
        const buf = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
        return Number(parquetMetadata(buf).num_rows);
      }
      tail = Math.min(size, footerLength + 8);
    }
  }
}

/**
 * Polls until `expected` rows are visible or the deadline passes; resolves with when they were first
 * all visible. Reports the count through `onProgress` every 10 s, so a long run shows it is moving.
 */
export async function waitForRows(
  counter: LandedRowCounter,
  expected: number,
  opts: { timeoutMs: number; intervalMs?: number; onProgress?: (rows: number) => void },
): Promise<number> {
  let lastReport = 0;
  const count = (n: number) => n.toLocaleString('en-US');
  return eventually(
    () => `${count(expected)} rows visible (only ${count(counter.rows)})`,
    opts.timeoutMs,
    async () => {
      const rows = await counter.poll();
      if (rows >= expected) return Date.now();
      if (Date.now() - lastReport >= 10_000) {
        lastReport = Date.now();
        opts.onProgress?.(rows);
      }
      return undefined;
    },
    { intervalMs: opts.intervalMs ?? 250 },
  );
}
