import { ConditionalWriteConflictError, isBucketId, isLandedPartKey, type ObjectStore } from '../parquet-writer/index.ts';
import { readLandedMoneyFile, UnreadableLandedFileError } from '../reconcile/index.ts';
import type { CloserEvent } from './CloserEvent.ts';
import { type CloserState, CloserStateStore } from './CloserState.ts';
import { UnreadableHourError } from './errors.ts';
import { buildManifest, encodeManifest, type HourFile, MANIFEST_NAME } from './HourManifest.ts';
import { type HourId, hourOf, hoursBetween, lastEndedHour, nextHour, previousHour } from './hours.ts';
import { isComplete, type LogEndSnapshot, logWentBack } from './LogEndSnapshot.ts';
import type { OpenUploads } from './openUploads.ts';
import type { TopicProgress } from './TopicProgress.ts';

export interface HourCloserDeps {
  /** The landing bucket (markers, part files) — and the closer's state object, outside the landing prefix. */
  store: ObjectStore;
  progress: TopicProgress;
  openUploads: OpenUploads;
  /** Landing prefix, e.g. `landing/chargebacks/`. */
  prefix: string;
  stateKey: string;
  /** Allowance for writer clocks behind this one: an hour is considered only `graceMs` after it ended. */
  graceMs: number;
  now: () => number;
  emit: (e: CloserEvent) => void;
}

export interface PassResult {
  /** Hours whose marker this pass wrote or found already written, in order. */
  closed: HourId[];
  /** The first hour not closed yet. */
  next: HourId;
  /** Why `next` is not closed yet: it has not ended (+ grace), the writers are behind, or a Flink upload is open. */
  waitingFor: 'hour-end' | 'progress' | 'uploads';
}

/**
 * Writes each hour's marker once the hour is complete (README.md): one pass over the hours
 * that ended since the last closed one. Engine-independent — it reads committed progress only
 * (the topic's log ends, the writer group's committed offsets, the committed files).
 */
export class HourCloser {
  private readonly state: CloserStateStore;
  private lastWaiting = '';

  constructor(private readonly deps: HourCloserDeps) {
    this.state = new CloserStateStore(deps.store, deps.stateKey);
  }

  async closeReadyHours(): Promise<PassResult> {
    const d = this.deps;
    const state = await this.state.load();
    const next = state.closedThrough ? nextHour(state.closedThrough) : await this.firstHourToClose();
    const lastEnded = lastEndedHour(d.now(), d.graceMs);
    if (next > lastEnded) return { closed: [], next, waitingFor: 'hour-end' };

    // Remember where a cold start begins, so later passes do not list the whole landing zone again.
    state.closedThrough ??= previousHour(next);
    const snapshot = await this.snapshotFor(next, state);
    const verdict = isComplete(snapshot, await d.progress.committed());
    // Hour ids sort as strings in time order: the earlier of the two.
    const through = [snapshot.coversThrough, lastEnded].sort()[0]!;
    if (!verdict.complete) {
      this.emitWaiting({
        type: 'waiting-for-progress',
        hours: { first: next, last: through },
        behind: verdict.behind.map((b) => ({
          partition: b.partition,
          committed: b.committed?.toString() ?? null,
          logEnd: b.logEnd.toString(),
        })),
      });
      return { closed: [], next, waitingFor: 'progress' };
    }
    const closed: HourId[] = [];
    for (const hour of hoursBetween(next, through)) {
      const uploads = await d.openUploads(this.hourPrefix(hour));
      if (uploads.length > 0) {
        this.emitWaiting({ type: 'waiting-for-uploads', hour, uploads });
        return { closed, next: hour, waitingFor: 'uploads' };
      }
      await this.writeMarker(hour);
      state.closedThrough = hour;
      await this.state.save(state);
      closed.push(hour);
    }
    this.lastWaiting = '';
    const after = nextHour(through);
    return { closed, next: after, waitingFor: after > lastEnded ? 'hour-end' : 'progress' };
  }

  /**
   * The persisted snapshot when it covers `next` and the log has not gone back since; else a new
   * one, persisted before it is used. The clock is read before Kafka is asked, so every record at
   * or past the returned offsets became readable after `takenAtMs`.
   */
  private async snapshotFor(next: HourId, state: CloserState): Promise<LogEndSnapshot> {
    const d = this.deps;
    const old = state.snapshot;
    let reason: 'first' | 'newer-hours' | 'log-went-back' | undefined;
    if (!old) reason = 'first';
    else if (old.coversThrough < next) reason = 'newer-hours';
    else if (logWentBack(old, await d.progress.logEnd())) reason = 'log-went-back';
    if (!reason && old) return old;
    const takenAtMs = d.now();
    const logEnd = await d.progress.logEnd();
    const snapshot: LogEndSnapshot = { takenAtMs, coversThrough: lastEndedHour(takenAtMs, d.graceMs), logEnd };
    state.snapshot = snapshot;
    await this.state.save(state);
    d.emit({
      type: 'snapshot-taken',
      reason: reason ?? 'first',
      takenAt: new Date(takenAtMs).toISOString(),
      coversThrough: snapshot.coversThrough,
      logEnd: Object.fromEntries([...logEnd].map(([p, o]) => [String(p), o.toString()])),
    });
    return snapshot;
  }

  /**
   * Puts the hour's manifest if no marker exists (If-None-Match: *). A marker already there is
   * the outcome of an earlier attempt whose response was lost, or of another closer: the same
   * bytes mean done; other bytes are reported and left alone (a marker is never rewritten).
   */
  private async writeMarker(hour: HourId): Promise<void> {
    const d = this.deps;
    const key = `${this.hourPrefix(hour)}${MANIFEST_NAME}`;
    const uri = `s3://${d.store.bucket}/${key}`;
    const manifest = buildManifest(hour, `s3://${d.store.bucket}/${this.hourPrefix(hour)}`, await this.readHour(hour));
    const body = encodeManifest(manifest);
    try {
      await d.store.putObject(key, body, { ifNoneMatch: '*' }, 'application/json');
    } catch (e) {
      if (!(e instanceof ConditionalWriteConflictError)) throw e;
      const existing = await d.store.getObject(key);
      const same = existing !== undefined && Buffer.from(existing.body).equals(Buffer.from(body));
      d.emit({ type: same ? 'marker-exists' : 'marker-differs', hour, uri });
      return;
    }
    d.emit({
      type: 'marker-written',
      hour,
      uri,
      files: manifest.files.length,
      rows: manifest.rows,
      currencies: manifest.currencies,
    });
  }

  /** Every committed part file of the hour, read on its own terms (reconcile's independent reader). */
  private async readHour(hour: HourId): Promise<HourFile[]> {
    const d = this.deps;
    const prefix = this.hourPrefix(hour);
    const files: HourFile[] = [];
    for (const o of await d.store.listObjects(prefix)) {
      // The same visibility rule every reader uses; the hour's own folder only (no deeper levels).
      if (!isLandedPartKey(o.key, d.prefix) || o.key.slice(prefix.length).includes('/')) continue;
      const obj = await d.store.getObject(o.key);
      if (!obj) throw new UnreadableHourError(`s3://${d.store.bucket}/${o.key} was listed in hour ${hour} but is gone`);
      try {
        const { changes, problems } = await readLandedMoneyFile(obj.body, o.key);
        if (problems.length > 0)
          throw new UnreadableHourError(
            `hour ${hour} has rows the manifest cannot account for, so it stays open: ${problems
              .slice(0, 5)
              .map((p) => `${p.key} row ${p.row}: ${p.field} ${p.problem}`)
              .join('; ')}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''}`,
          );
        files.push({ key: o.key, bytes: obj.body.length, rows: changes });
      } catch (e) {
        if (e instanceof UnreadableLandedFileError)
          throw new UnreadableHourError(`hour ${hour} stays open: ${e.message}`, { cause: e });
        throw e;
      }
    }
    return files;
  }

  /**
   * Without state: the hour after the newest marker, else the oldest hour with a committed file,
   * else the hour that is ending now. Lists the landing prefix once.
   */
  private async firstHourToClose(): Promise<HourId> {
    const d = this.deps;
    let newestMarker: HourId | undefined;
    let oldestFile: HourId | undefined;
    for (const o of await d.store.listObjects(d.prefix)) {
      const rel = o.key.slice(d.prefix.length);
      const hour = rel.slice(0, 13);
      if (!isBucketId(hour)) continue;
      if (rel === `${hour}/${MANIFEST_NAME}`) {
        if (!newestMarker || hour > newestMarker) newestMarker = hour;
      } else if (isLandedPartKey(o.key, d.prefix) && (!oldestFile || hour < oldestFile)) oldestFile = hour;
    }
    if (newestMarker) return nextHour(newestMarker);
    return oldestFile ?? hourOf(d.now() - d.graceMs);
  }

  private hourPrefix(hour: HourId): string {
    return `${this.deps.prefix}${hour}/`;
  }

  /** A waiting line once per distinct reason, not on every poll. */
  private emitWaiting(e: CloserEvent): void {
    const k = JSON.stringify(e);
    if (k === this.lastWaiting) return;
    this.lastWaiting = k;
    this.deps.emit(e);
  }
}
