import { runTsChild } from '../childProcess.ts';
import { memoryOf } from '../processMemory.ts';
import { progress } from '../progress.ts';

/** The landed day's shape: 24 hours of 4 part files each, as a 3–4 partition writer leaves them. */
export const CONSOLIDATION_HOURS = 24;
export const CONSOLIDATION_PARTS_PER_HOUR = 4;

export interface Timed {
  wallMs: number;
  /** User + system CPU of the whole process (GC threads included) over the same span. */
  cpuMs: number;
}

/** What bench/stages/consolidationWorker.ts measures, as it prints it. */
export interface ConsolidationRun {
  rows: number;
  inputs: number;
  hours: number;
  currencies: string[];
  landingPrefix: string;
  /** Building the landed day (encoding the part files, writing the hour manifests): not part of the job. */
  build: Timed;
  /** `consolidateDay()` over the in-memory store. */
  consolidate: Timed;
  /** The ceiling: every input read and decoded as the job does (readParquetFile + toParquetRow), nothing kept. */
  readDecode: Timed;
  /** `consolidateDay()` again over the same inputs. */
  rerun: Timed & { status: string; writes: number };
  /** Store writes (puts, deletes) of the first run: outputs, the CSV, the day manifest, the Athena symlink. */
  writes: number;
  bytesIn: number;
  /** The Parquet outputs. */
  bytesOut: number;
  /** The day's CSV the job writes beside them (not in bytesOut). */
  csvBytes?: number;
  outputs: number;
  targetBytes: number;
  /** process.resourceUsage().maxRSS, MiB: the high-water mark at the start, after building, after the job. */
  maxRssAtStartMb: number;
  maxRssAfterBuildMb: number;
  /** Resident set once the input is built (the store's bytes and the runtime), after a GC. */
  rssAfterBuildMb: number;
  maxRssAfterRunMb: number;
}

export interface ConsolidationBenchOptions {
  rows: number;
  runId: string;
  timeoutMs: number;
}

/**
 * The daily consolidation job (pipeline/consolidation) over a 1M-row day, in a process of its own
 * so that its peak RSS is the job's and not the benchmark's. While it works, a line every 30 s
 * says how far it is and the child's resident set.
 */
export async function measureConsolidation(o: ConsolidationBenchOptions): Promise<ConsolidationRun> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const stdout = await runTsChild('bench/stages/consolidationWorker.ts', [String(o.rows), o.runId], {
      timeoutMs: o.timeoutMs,
      // The job holds the day's rows to sort them; V8's default old-space limit may be below that on a large day.
      nodeArgs: ['--expose-gc', '--max-old-space-size=8192'],
      onSpawn: (pid) => {
        timer = setInterval(() => {
          const m = memoryOf(pid);
          if (m)
            progress(
              `  consolidation: ${Math.round((Date.now() - started) / 1000)} s, worker RSS ${Math.round(m.rssMb)} MiB (peak ${Math.round(m.peakMb)} MiB)`,
            );
        }, 30_000);
      },
    });
    return JSON.parse(stdout.trim().split('\n').pop()!) as ConsolidationRun;
  } finally {
    clearInterval(timer);
  }
}
