import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { contractRecords } from '../../fixtures/contractRecords.ts';
import { changeRecords } from '../changeRecords.ts';
import { runTsChild } from '../childProcess.ts';
import { progress } from '../progress.ts';
import { chooseEngine, ratePerSecond, type EngineRun } from '../summary.ts';
import { CHECK_WORKLOAD_ROWS, ENGINE_NAMES, type EngineName } from './ParquetEngine.ts';
import { compareRows, compareSchema, readWithFlinkReader, readWithPyarrow } from './readBack.ts';

interface WorkerReport {
  engine: EngineName;
  version: string;
  deviations: string[];
  rows: number;
  ms: number;
  bytes: number;
  baselineRssMb: number;
  peakRssMb: number;
  peakResettable: boolean;
}

/**
 * The Parquet engine comparison: every engine encodes the same rows (the benchmark topic's rows)
 * in a process of its own — rows/s, bytes/row, peak memory — and its read-back file (contract edge
 * values + workload rows) is read by pyarrow and by the Flink job's reader.
 */
export async function compareEngines(opts: {
  rows: number;
  runId: string;
  dir: string;
  engines?: readonly EngineName[];
}): Promise<{ runs: EngineRun[]; chosen?: string }> {
  mkdirSync(opts.dir, { recursive: true });
  const runs: EngineRun[] = [];
  const checkFiles = new Map<string, string>();
  for (const engine of opts.engines ?? ENGINE_NAMES) {
    const slug = engine.replace(/[@/]/g, '_').replace(/^_/, '');
    const out = join(opts.dir, `${slug}.parquet`);
    const check = join(opts.dir, `${slug}.check.parquet`);
    progress(`Parquet engine ${engine}: encoding ${opts.rows.toLocaleString('en-US')} rows`);
    try {
      const stdout = await runTsChild('bench/engines/engineWorker.ts', [engine, String(opts.rows), opts.runId, out, check], {
        timeoutMs: 20 * 60_000,
        nodeArgs: ['--expose-gc', '--max-old-space-size=6144'],
      });
      const r = JSON.parse(stdout.trim().split('\n').pop()!) as WorkerReport;
      checkFiles.set(engine, check);
      runs.push({
        engine,
        version: r.version,
        rows: r.rows,
        rowsPerS: ratePerSecond(r.rows, r.ms),
        bytesPerRow: Math.round((r.bytes / r.rows) * 10) / 10,
        peakExtraMb: Math.round(r.peakRssMb - r.baselineRssMb),
        peakRssMb: Math.round(r.peakRssMb),
        notes: [
          ...r.deviations,
          ...(r.peakResettable ? [] : ['peak RSS mark could not be reset: peak includes building the rows']),
        ],
      });
      progress(
        `Parquet engine ${engine}: ${runs.at(-1)!.rowsPerS?.toLocaleString('en-US')} rows/s, ${runs.at(-1)!.bytesPerRow} B/row`,
      );
    } catch (e) {
      runs.push({ engine, version: '?', rows: opts.rows, notes: [], error: (e as Error).message });
    }
  }

  progress("Parquet engines: reading every file back with pyarrow and with the Flink job's reader");
  const files = [...checkFiles.values()];
  const expected = [
    ...contractRecords(opts.runId),
    ...changeRecords({ total: opts.rows, runId: opts.runId }, 0, Math.min(CHECK_WORKLOAD_ROWS, opts.rows)),
  ];
  const [py, flink] = await Promise.all([
    readWithPyarrow(files).catch((e: Error) => e),
    readWithFlinkReader(files).catch((e: Error) => e),
  ]);
  for (const run of runs) {
    const file = checkFiles.get(run.engine);
    if (!file) continue;
    if (py instanceof Error) run.notes.push(`pyarrow could not run: ${py.message}`);
    else {
      const rows = compareRows(py.get(file), expected);
      const schema = compareSchema(py.get(file));
      run.pyarrowRowsIdentical = rows.identical;
      run.pyarrowSchemaIdentical = schema.identical;
      if (!rows.identical) run.notes.push(`pyarrow rows differ: ${rows.difference}`);
      if (!schema.identical) run.notes.push(`pyarrow schema differs: ${schema.difference}`);
    }
    if (flink instanceof Error) run.notes.push(`the Flink job's reader could not run: ${flink.message}`);
    else {
      const rows = compareRows(flink.get(file), expected);
      run.flinkReaderRowsIdentical = rows.identical;
      if (!rows.identical) run.notes.push(`Flink job's reader: ${rows.difference}`);
    }
  }
  return { runs, chosen: chooseEngine(runs) };
}
