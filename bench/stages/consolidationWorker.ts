/**
 * One consolidation run in a process of its own, so its peak RSS is the job's:
 * `node --import tsx --expose-gc bench/stages/consolidationWorker.ts <rows> <runId>`.
 *
 * 1. builds a landed day of <rows> workload rows (bench/changeRecords.ts: five currencies) in 96
 *    part files, 24 hours × 4, with the writer's encoder and the hour manifests the hour closer
 *    writes (fixtures/consolidationDay.ts), one hour at a time so that building holds one hour's
 *    records at most; maxRSS before and after building;
 * 2. `consolidateDay()` over an in-memory store (no S3 round trips), wall and CPU time, maxRSS after;
 * 3. the same call again: it must find the day up to date and write nothing;
 * 4. the ceiling: every input read and decoded as the job reads it, rows dropped file by file
 *    (last, so that its garbage is not in the job's peak);
 * 5. prints one ConsolidationRun as JSON on stdout. Progress goes to stderr.
 */
import { closeHours, DAY, type LandedPart, LANDING, landParts } from '../../fixtures/consolidationDay.ts';
import { InMemoryObjectStore } from '../../fixtures/InMemoryObjectStore.ts';
import { consolidateDay } from '../../pipeline/consolidation/index.ts';
import { formatPartFileName, readParquetFile } from '../../pipeline/parquet-writer/index.ts';
import { toParquetRow } from '../../pipeline/schema/index.ts';
import { changeRecords } from '../changeRecords.ts';
import { progress } from '../progress.ts';
import { CONSOLIDATION_HOURS, CONSOLIDATION_PARTS_PER_HOUR, type ConsolidationRun, type Timed } from './consolidation.ts';

const [rowsArg, runId] = process.argv.slice(2);
const rows = Number(rowsArg);
if (!Number.isInteger(rows) || rows < CONSOLIDATION_HOURS * CONSOLIDATION_PARTS_PER_HOUR || !runId) {
  process.stderr.write(`usage: consolidationWorker.ts <rows ≥ ${CONSOLIDATION_HOURS * CONSOLIDATION_PARTS_PER_HOUR}> <runId>\n`);
  process.exit(2);
}

/** process.resourceUsage().maxRSS is in KiB: the process's high-water mark so far. */
const maxRssMb = () => process.resourceUsage().maxRSS / 1024;
const gc = () => (globalThis as { gc?: () => void }).gc?.();

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; time: Timed }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = await fn();
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { value, time: { wallMs, cpuMs: (used.user + used.system) / 1000 } };
}

const workload = { total: rows, runId };
const store = new InMemoryObjectStore();
const parts = CONSOLIDATION_HOURS * CONSOLIDATION_PARTS_PER_HOUR;
const maxRssAtStartMb = maxRssMb();
progress(`  consolidation: building a ${rows.toLocaleString('en-US')}-row day in ${parts} part files`);
const build = await timed(async () => {
  for (let h = 0; h < CONSOLIDATION_HOURS; h++) {
    const hour = String(h).padStart(2, '0');
    const landed: LandedPart[] = [];
    for (let q = 0; q < CONSOLIDATION_PARTS_PER_HOUR; q++) {
      const k = h * CONSOLIDATION_PARTS_PER_HOUR + q;
      const [from, to] = [Math.floor((k * rows) / parts), Math.floor(((k + 1) * rows) / parts)];
      const name = formatPartFileName({ partition: q, firstOffset: BigInt(from), lastOffset: BigInt(to - 1) });
      landed.push({ hour, name, records: changeRecords(workload, from, to) });
    }
    await landParts(store, landed);
    await closeHours(store, landed, [hour]);
    if (h % 6 === 5) progress(`  consolidation: built hours 00–${hour}`);
  }
});
gc();
const maxRssAfterBuildMb = maxRssMb();
const rssAfterBuildMb = process.memoryUsage().rss / 2 ** 20;
const mutationsBuilt = store.mutations;

progress('  consolidation: consolidateDay over the in-memory store');
const run = await timed(() => consolidateDay({ store, day: DAY }));
const maxRssAfterRunMb = maxRssMb();
const r = run.value;
if (r.status !== 'consolidated' || r.manifest.rows !== rows)
  throw new Error(`consolidateDay returned ${r.status} with ${r.manifest.rows} rows, expected consolidated with ${rows}`);
const writes = store.mutations - mutationsBuilt;

progress('  consolidation: rerun (must be up to date)');
const rerun = await timed(() => consolidateDay({ store, day: DAY }));
const rerunWrites = store.mutations - mutationsBuilt - writes;

gc();
progress('  consolidation: read + decode of the same inputs alone (the ceiling)');
const inputKeys = r.manifest.inputs.map((i) => i.key);
const read = await timed(async () => {
  let n = 0;
  for (const key of inputKeys) {
    const contents = await readParquetFile((await store.getObject(key))!.body);
    for (const row of contents.rows) {
      toParquetRow(row);
      n++;
    }
  }
  return n;
});
if (read.value !== rows) throw new Error(`the read pass decoded ${read.value} rows, expected ${rows}`);

const report: ConsolidationRun = {
  rows,
  inputs: inputKeys.length,
  hours: CONSOLIDATION_HOURS,
  currencies: Object.keys(r.manifest.currencies).sort(),
  landingPrefix: LANDING,
  build: build.time,
  consolidate: run.time,
  readDecode: read.time,
  rerun: { ...rerun.time, status: rerun.value.status, writes: rerunWrites },
  writes,
  bytesIn: r.manifest.inputs.reduce((n, i) => n + i.bytes, 0),
  bytesOut: r.manifest.outputs.reduce((n, o) => n + o.bytes, 0),
  csvBytes: r.manifest.csv.bytes,
  outputs: r.manifest.outputs.length,
  targetBytes: r.manifest.targetBytes,
  maxRssAtStartMb,
  maxRssAfterBuildMb,
  rssAfterBuildMb,
  maxRssAfterRunMb,
};
process.stdout.write(`${JSON.stringify(report)}\n`);
