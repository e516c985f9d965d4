import { readFileSync, writeFileSync } from 'node:fs';

/**
 * Resident memory of a process from /proc/<pid>/status (Linux): VmRSS now, VmHWM the peak since
 * start or since the last reset. Reading never throws: a process that is gone reads as undefined.
 */
export function memoryOf(pid: number | 'self' = 'self'): { rssMb: number; peakMb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
    const rss = kb('VmRSS');
    const hwm = kb('VmHWM');
    if (Number.isNaN(rss)) return undefined;
    return { rssMb: rss / 1024, peakMb: hwm / 1024 };
  } catch {
    return undefined;
  }
}

/** Resets VmHWM to the current RSS (`echo 5 > /proc/<pid>/clear_refs`, Linux ≥ 4.0); false when not allowed. */
export function resetPeakMemory(pid: number | 'self' = 'self'): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Samples a child's VmHWM until stopped; `peakMb()` is the highest value seen (the kernel's own peak). */
export function samplePeakMemory(pid: number, everyMs = 200): { stop(): void; peakMb(): number | undefined } {
  let peak: number | undefined;
  const take = () => {
    const m = memoryOf(pid);
    if (m) peak = Math.max(peak ?? 0, m.peakMb);
  };
  const timer = setInterval(take, everyMs);
  return {
    stop: () => {
      take();
      clearInterval(timer);
    },
    peakMb: () => peak,
  };
}
