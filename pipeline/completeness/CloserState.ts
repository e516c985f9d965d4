import type { ObjectStore } from '../parquet-writer/index.ts';
import { CorruptCloserStateError } from './errors.ts';
import type { HourId } from './hours.ts';
import type { LogEndSnapshot } from './LogEndSnapshot.ts';

/**
 * What the closer remembers between runs, in one small S3 object: the last hour it closed (so it
 * never lists the whole landing zone again) and the log-end snapshot it is waiting on (so a
 * restarted closer waits for the same offsets instead of new, higher ones). Losing it is safe:
 * a fresh closer finds the first hour without a marker again, and a newer snapshot is only
 * more conservative. Markers never depend on it being right (README.md § "Exactly once").
 */
export interface CloserState {
  /** Every hour up to this one has its marker, or is older than the first hour this closer had to close. */
  closedThrough: HourId | undefined;
  snapshot: LogEndSnapshot | undefined;
}

interface StoredState {
  version: 1;
  closedThrough: HourId | null;
  snapshot: { takenAt: string; coversThrough: HourId; logEnd: Record<string, string> } | null;
}

export class CloserStateStore {
  constructor(
    private readonly store: ObjectStore,
    readonly key: string,
  ) {}

  async load(): Promise<CloserState> {
    const obj = await this.store.getObject(this.key);
    if (!obj) return { closedThrough: undefined, snapshot: undefined };
    let s: StoredState;
    try {
      s = JSON.parse(new TextDecoder().decode(obj.body)) as StoredState;
      if (s.version !== 1) throw new Error(`version ${JSON.stringify(s.version)}`);
    } catch (e) {
      throw new CorruptCloserStateError(
        `s3://${this.store.bucket}/${this.key} is not a closer state object (${(e as Error).message}); delete it and the closer starts over from the first hour without a marker`,
        { cause: e },
      );
    }
    return {
      closedThrough: s.closedThrough ?? undefined,
      snapshot: s.snapshot
        ? {
            takenAtMs: Date.parse(s.snapshot.takenAt),
            coversThrough: s.snapshot.coversThrough,
            logEnd: new Map(Object.entries(s.snapshot.logEnd).map(([p, o]) => [Number(p), BigInt(o)])),
          }
        : undefined,
    };
  }

  async save(state: CloserState): Promise<void> {
    const stored: StoredState = {
      version: 1,
      closedThrough: state.closedThrough ?? null,
      snapshot: state.snapshot
        ? {
            takenAt: new Date(state.snapshot.takenAtMs).toISOString(),
            coversThrough: state.snapshot.coversThrough,
            logEnd: Object.fromEntries([...state.snapshot.logEnd].map(([p, o]) => [String(p), o.toString()])),
          }
        : null,
    };
    await this.store.putObject(this.key, new TextEncoder().encode(`${JSON.stringify(stored)}\n`), undefined, 'application/json');
  }
}
