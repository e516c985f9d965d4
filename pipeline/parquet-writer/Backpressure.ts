/**
 * The memory cap: bytes in open parts (encoded + estimated) plus parts being uploaded may not
 * exceed `maxBufferedBytes`. At the cap the writer rolls its biggest partition early (turning
 * buffered rows into an upload that frees them) and pauses the Kafka consumer instead of
 * buffering more; it resumes below `resumeRatio` of the cap, so it does not flap.
 */
export interface BackpressureDecision {
  /** Roll the partition with the most open bytes now. */
  rollBiggest: boolean;
  /** true: pause the consumer; false: resume it; undefined: leave it as it is. */
  pause?: boolean;
}

export class Backpressure {
  paused = false;

  constructor(
    readonly maxBufferedBytes: number,
    readonly resumeRatio = 0.8,
  ) {}

  decide(bufferedBytes: number): BackpressureDecision {
    if (bufferedBytes >= this.maxBufferedBytes) return { rollBiggest: true, ...(this.paused ? {} : { pause: true }) };
    if (this.paused && bufferedBytes < this.maxBufferedBytes * this.resumeRatio) return { rollBiggest: false, pause: false };
    return { rollBiggest: false };
  }
}
