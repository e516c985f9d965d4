/**
 * The embedded writer's per-record CPU path, without Kafka or S3:
 * `tsx bench/prototypes/hotPath.ts [records] [pipeline-root]`.
 *
 * Runs takeRecord (decode + validate → duplicate filter → bucket → Parquet row → append, with
 * row-group encoding) and the part's finish() over pre-encoded messages of the benchmark
 * workload, for the pipeline code under `pipeline-root` (default: this repo) — so a prototype
 * (a patched copy of pipeline/, see applyPrototypes.ts) can be timed against the code as it is.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { changeRecords } from '../changeRecords.ts';

export async function hotPath(
  records: number,
  root: string,
): Promise<{ records: number; ms: number; recordsPerS: number; decodeShare: number }> {
  const url = (p: string) => pathToFileURL(`${root}/pipeline/${p}`).href;
  const schema = (await import(url('schema/index.ts'))) as typeof import('../../pipeline/schema/index.ts');
  const { PartitionWriter } = (await import(
    url('parquet-writer/PartitionWriter.ts')
  )) as typeof import('../../pipeline/parquet-writer/PartitionWriter.ts');
  const { DuplicateFilter } = (await import(
    url('parquet-writer/DuplicateFilter.ts')
  )) as typeof import('../../pipeline/parquet-writer/DuplicateFilter.ts');
  const { takeRecord } = (await import(
    url('parquet-writer/takeRecord.ts')
  )) as typeof import('../../pipeline/parquet-writer/takeRecord.ts');
  const { createBucketAssigner } = (await import(
    url('parquet-writer/BucketAssigner.ts')
  )) as typeof import('../../pipeline/parquet-writer/BucketAssigner.ts');
  const messages = changeRecords({ total: records, runId: 'hotpath' }, 0, records).map((r) => schema.encodeChangeRecord(r));
  const assigner = createBucketAssigner('processing-time');
  const newWriter = () =>
    new PartitionWriter(
      0,
      {
        through: -1n,
        progress: { etag: '', progress: { checkpointId: 0, owner: 'bench', pending: [] } } as never,
        dedup: new DuplicateFilter(),
      },
      16 * 1024 * 1024,
      Date.now(),
    );
  // Warm up the JIT on a slice, then time everything.
  const warm = newWriter();
  for (let i = 0; i < Math.min(20_000, records); i++)
    await takeRecord(warm, BigInt(i), messages[i]!, { assigner, nowMs: Date.now(), deadLetter: async () => undefined });
  const pw = newWriter();
  const started = performance.now();
  let decodeMs = 0;
  for (let i = 0; i < records; i++) {
    await takeRecord(pw, BigInt(i), messages[i]!, { assigner, nowMs: Date.now(), deadLetter: async () => undefined });
    // Roll like the writer does on a 2 s rollover at ~50k records/s: a part per 100 000 records.
    if ((i + 1) % 100_000 === 0 || i === records - 1) for (const p of pw.takeCheckpoint('bench')?.parts ?? []) p.writer.finish();
  }
  const ms = performance.now() - started;
  const t = performance.now();
  for (let i = 0; i < records; i++) schema.decodeChangeRecord(messages[i]!);
  decodeMs = performance.now() - t;
  return { records, ms, recordsPerS: Math.round((records * 1000) / ms), decodeShare: Math.round((decodeMs / ms) * 100) / 100 };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const records = Number(process.argv[2] ?? 200_000);
  const root = process.argv[3] ?? fileURLToPath(new URL('../..', import.meta.url));
  console.log(JSON.stringify(await hotPath(records, root.replace(/\/$/, ''))));
}
