import { commitCheckpoint, type CommitterDeps } from './CheckpointCommitter.ts';
import type { PartitionWriter } from './PartitionWriter.ts';

/**
 * Starts checkpoints and knows which are still running. A partition's checkpoints run one after
 * the other on its `chain` (README.md § "Lifecycle and exactly once"); a partition writer stays in
 * `draining` until its last checkpoint finished, even after it was revoked, so its bytes still
 * count against the memory cap and a graceful stop waits for it.
 */
export class CheckpointScheduler {
  readonly draining = new Set<PartitionWriter>();

  constructor(
    private readonly committer: CommitterDeps,
    private readonly hooks: {
      /** After each committed checkpoint (its bytes are freed). */
      afterCommit: () => void;
      /** A checkpoint failed: the writer stops. */
      fail: (error: unknown) => void;
    },
  ) {}

  /** Closes the partition's open parts now and commits them after its earlier checkpoints. */
  checkpoint(pw: PartitionWriter, reason: string): void {
    const snap = pw.takeCheckpoint(reason);
    if (!snap) return;
    this.draining.add(pw);
    const run = pw.chain.then(async () => {
      await commitCheckpoint(pw, snap, this.committer);
      this.hooks.afterCommit();
    });
    pw.chain = run.catch((e: unknown) => this.hooks.fail(e));
    const chain = pw.chain;
    void chain.then(() => {
      if (pw.chain === chain) this.draining.delete(pw);
    });
  }

  /** Settles once no checkpoint of `owned()` or of a draining writer runs, including ones started meanwhile. */
  async drained(owned: () => Iterable<PartitionWriter>): Promise<void> {
    for (;;) {
      const pending = [...owned(), ...this.draining].map((pw) => pw.chain);
      await Promise.all(pending);
      if ([...owned(), ...this.draining].every((pw) => pending.includes(pw.chain))) return;
    }
  }
}
