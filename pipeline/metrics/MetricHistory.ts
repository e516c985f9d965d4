/** One sample of every series: flat numbers by series key (see `flatten` in snapshot.ts). */
export interface HistoryPoint {
  /** Epoch ms. */
  t: number;
  v: Record<string, number>;
}

/**
 * A bounded, time-ordered ring of samples: what the local dashboard charts and what the local
 * alarms are evaluated on. Memory is fixed by `capacity` whatever the uptime.
 */
export class MetricHistory {
  private readonly points: HistoryPoint[] = [];

  constructor(readonly capacity = 900) {}

  push(point: HistoryPoint): void {
    const last = this.points[this.points.length - 1];
    if (last && point.t <= last.t) return; // time must move forward
    this.points.push(point);
    if (this.points.length > this.capacity) this.points.splice(0, this.points.length - this.capacity);
  }

  /** Points with t > since (all when since is undefined). */
  since(since?: number): HistoryPoint[] {
    if (since === undefined) return [...this.points];
    let lo = 0;
    let hi = this.points.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.points[mid]!.t <= since) lo = mid + 1;
      else hi = mid;
    }
    return this.points.slice(lo);
  }

  latest(): HistoryPoint | undefined {
    return this.points[this.points.length - 1];
  }

  get size(): number {
    return this.points.length;
  }
}
