/**
 * One engine's encode run in a process of its own, so its memory is its own:
 * `node --import tsx --expose-gc bench/engines/engineWorker.ts <engine> <rows> <runId> <out.parquet> <check.parquet>`.
 *
 * 1. builds the workload's first <rows> rows (the same rows the benchmark's topic holds) and the
 *    read-back check rows (contract edge values + the first 5 000 workload rows);
 * 2. warms the engine up on the check rows (JIT, native/WASM start-up) and writes that file;
 * 3. collects garbage, resets the peak-RSS mark, and times ONE encode of all rows into one file;
 * 4. prints {"engine","version","deviations","rows","ms","bytes","baselineRssMb","peakRssMb"} on stdout.
 */
import { writeFileSync } from 'node:fs';
import { contractRecords } from '../../fixtures/contractRecords.ts';
import { toParquetRow } from '../../pipeline/schema/index.ts';
import { changeRecords } from '../changeRecords.ts';
import { memoryOf, resetPeakMemory } from '../processMemory.ts';
import { CHECK_WORKLOAD_ROWS, isEngineName, loadEngine } from './ParquetEngine.ts';

const [name, rowsArg, runId, out, checkOut] = process.argv.slice(2);
if (!name || !isEngineName(name) || !rowsArg || !runId || !out || !checkOut) {
  process.stderr.write('usage: engineWorker.ts <engine> <rows> <runId> <out.parquet> <check.parquet>\n');
  process.exit(2);
}
const total = Number(rowsArg);
const engine = await loadEngine(name);
const workload = { total, runId };

const check = [...contractRecords(runId), ...changeRecords(workload, 0, Math.min(CHECK_WORKLOAD_ROWS, total))].map(toParquetRow);
writeFileSync(checkOut, await engine.encode(check));

const rows = changeRecords(workload, 0, total).map(toParquetRow);
globalThis.gc?.();
const baseline = memoryOf()!;
const peakResettable = resetPeakMemory();
const started = performance.now();
const bytes = await engine.encode(rows);
const ms = performance.now() - started;
const after = memoryOf()!;
writeFileSync(out, bytes);
process.stdout.write(
  `${JSON.stringify({
    engine: engine.name,
    version: engine.version.replace(/^v/, ''),
    deviations: engine.deviations,
    rows: total,
    ms,
    bytes: bytes.length,
    baselineRssMb: baseline.rssMb,
    // Without a resettable mark the peak may include building the rows; say so rather than guess.
    peakRssMb: after.peakMb,
    peakResettable,
  })}\n`,
);
