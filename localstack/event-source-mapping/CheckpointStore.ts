import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Where the event source mapping has got to in each shard: the last sequence number it handed
 * off successfully. Kept in a small JSON file (written atomically by rename) so a restarted
 * poller resumes instead of re-reading the stream from TRIM_HORIZON.
 */
export class CheckpointStore {
  private state: Record<string, string>;

  constructor(private readonly file: string) {
    try {
      this.state = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      this.state = {};
    }
  }

  get(streamArn: string, shardId: string): string | undefined {
    return this.state[`${streamArn}|${shardId}`];
  }

  set(streamArn: string, shardId: string, sequenceNumber: string): void {
    this.state[`${streamArn}|${shardId}`] = sequenceNumber;
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.state));
    renameSync(tmp, this.file);
  }
}
