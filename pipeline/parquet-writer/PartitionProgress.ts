import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ConditionalWriteConflictError, PartitionFencedError, RecoveryError } from './errors.ts';
import type { ObjectStore } from './ObjectStore.ts';
import type { DedupSnapshot } from './DuplicateFilter.ts';

/**
 * The checkpoint of one Kafka partition (Flink's checkpoint metadata for the FileSink): one small
 * JSON object per partition, `<statePrefix>partition-<n>.json`, only ever written by
 * compare-and-swap on its ETag. Its role: README.md § "Lifecycle and exactly once".
 */
const PendingPartSchema = z.object({
  bucket: z.string(),
  name: z.string(),
  finalKey: z.string(),
  stagingKey: z.string(),
  firstOffset: z.string().regex(/^\d+$/),
  lastOffset: z.string().regex(/^\d+$/),
  rows: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
});
export type PendingPart = z.infer<typeof PendingPartSchema>;

const ProgressSchema = z.object({
  version: z.literal(1),
  topic: z.string(),
  partition: z.number().int().nonnegative(),
  /** Last offset whose record is landed, dead-lettered or dropped as a duplicate; "-1" before any. */
  committedThrough: z.string().regex(/^-?\d+$/),
  checkpointId: z.number().int().nonnegative(),
  owner: z.object({ writerId: z.string(), epoch: z.number().int().nonnegative() }),
  /** Unique per write: lets a writer recognise its own write after a lost response. */
  writeId: z.string(),
  pending: z.array(PendingPartSchema),
  dedup: z.object({ eventIds: z.array(z.string()), sequences: z.array(z.tuple([z.string(), z.string()])) }),
  updatedAt: z.string(),
});
export type PartitionProgress = z.infer<typeof ProgressSchema>;

export interface StoredProgress {
  progress: PartitionProgress;
  etag: string;
}

export function emptyDedup(): DedupSnapshot {
  return { eventIds: [], sequences: [] };
}

export class ProgressStore {
  constructor(
    private readonly store: ObjectStore,
    /** e.g. `_state/flink-parquet-writer/chargebacks/` */
    readonly statePrefix: string,
    readonly topic: string,
  ) {}

  progressKey(partition: number): string {
    return `${this.statePrefix}partition-${partition}.json`;
  }

  /** Where a checkpoint's parts wait (pending) until the progress object that names them is written. */
  stagingPrefix(partition: number): string {
    return `${this.statePrefix}partition-${partition}/pending/`;
  }

  stagingKey(partition: number, bucket: string, name: string): string {
    return `${this.stagingPrefix(partition)}${bucket}/${name}`;
  }

  async read(partition: number): Promise<StoredProgress | undefined> {
    const key = this.progressKey(partition);
    const got = await this.store.getObject(key);
    if (!got) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder().decode(got.body));
    } catch (e) {
      throw new RecoveryError(
        `progress object s3://${this.store.bucket}/${key} is not JSON; restore it or delete it to rebuild progress from the landed files`,
        { cause: e },
      );
    }
    const r = ProgressSchema.safeParse(parsed);
    if (!r.success) {
      const issues = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
      throw new RecoveryError(
        `progress object s3://${this.store.bucket}/${key} is invalid (${issues}); restore it or delete it to rebuild progress from the landed files`,
      );
    }
    if (r.data.partition !== partition || r.data.topic !== this.topic) {
      throw new RecoveryError(
        `progress object s3://${this.store.bucket}/${key} belongs to ${r.data.topic}/${r.data.partition}, not ${this.topic}/${partition}; check statePrefix`,
      );
    }
    return { progress: r.data, etag: got.etag };
  }

  /**
   * Writes the progress if the stored one still has `expectedEtag` (null: must not exist yet).
   * A lost race is a PartitionFencedError. A retried write whose first attempt did land (the
   * response was lost) is recognised by its writeId and counts as success.
   */
  async write(progress: Omit<PartitionProgress, 'writeId' | 'updatedAt'>, expectedEtag: string | null): Promise<StoredProgress> {
    const full: PartitionProgress = { ...progress, writeId: randomUUID(), updatedAt: new Date().toISOString() };
    const key = this.progressKey(progress.partition);
    const body = new TextEncoder().encode(JSON.stringify(full));
    try {
      const etag = await this.store.putObject(
        key,
        body,
        expectedEtag === null ? { ifNoneMatch: '*' } : { ifMatch: expectedEtag },
        'application/json',
      );
      return { progress: full, etag };
    } catch (e) {
      if (!(e instanceof ConditionalWriteConflictError)) throw e;
      const now = await this.store.getObject(key);
      if (now) {
        const text = new TextDecoder().decode(now.body);
        if (text.includes(full.writeId)) return { progress: full, etag: now.etag };
      }
      throw new PartitionFencedError(
        progress.partition,
        `partition ${progress.partition}: the progress object s3://${this.store.bucket}/${key} was changed by another writer (${describeOwner(now?.body)}); this writer no longer owns the partition`,
      );
    }
  }
}

function describeOwner(body: Uint8Array | undefined): string {
  if (!body) return 'it was deleted';
  try {
    const p = JSON.parse(new TextDecoder().decode(body)) as Partial<PartitionProgress>;
    return `owner ${p.owner?.writerId ?? '?'} epoch ${p.owner?.epoch ?? '?'}`;
  } catch {
    return 'unreadable';
  }
}
