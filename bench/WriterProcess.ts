import { type ChildProcess, spawn } from 'node:child_process';
import { REPO_ROOT } from './childProcess.ts';
import type { WriterEvent } from '../pipeline/parquet-writer/index.ts';

/**
 * `tsx pipeline/parquet-writer/main.ts` as a child process with WRITER_LOG=json, its events parsed
 * from stdout as they come, so a stage can time what the writer does (assignment, checkpoints)
 * and SIGKILL it at any instant. `env` is layered over the bench's own environment.
 */
export class WriterProcess {
  readonly startedAt = Date.now();
  private readonly child: ChildProcess;
  private readonly listeners: Array<(e: WriterEvent, at: number) => void> = [];
  private stderrTail = '';
  /** Settles with the exit code (or signal name) once the process is gone. */
  readonly exited: Promise<number | string>;

  constructor(env: NodeJS.ProcessEnv) {
    this.child = spawn(process.execPath, ['--import', 'tsx', 'pipeline/parquet-writer/main.ts'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env, WRITER_LOG: 'json' },
    });
    let buf = '';
    this.child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop()!;
      const at = Date.now();
      for (const line of lines) {
        if (!line.startsWith('{')) continue;
        let e: WriterEvent;
        try {
          e = JSON.parse(line) as WriterEvent;
        } catch {
          continue; // a library's own stdout line that happens to start with "{"
        }
        for (const l of this.listeners) l(e, at);
      }
    });
    this.child.stderr!.on('data', (d: Buffer) => (this.stderrTail = (this.stderrTail + d.toString()).slice(-4000)));
    this.exited = new Promise((resolve) => this.child.on('exit', (code, sig) => resolve(code ?? sig ?? 'unknown')));
  }

  get pid(): number {
    return this.child.pid!;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Calls `fn` for every event from now on. */
  onEvent(fn: (e: WriterEvent, at: number) => void): void {
    this.listeners.push(fn);
  }

  /** Resolves with the time of the first event matching `pred`; rejects on exit or after `timeoutMs`. */
  waitFor(pred: (e: WriterEvent) => boolean, timeoutMs: number, what: string): Promise<number> {
    return new Promise((resolve, reject) => {
      let done = false;
      const timer = setTimeout(
        () => finish(new Error(`the writer did not report ${what} within ${timeoutMs / 1000} s`)),
        timeoutMs,
      );
      const finish = (r: number | Error) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        if (typeof r === 'number') resolve(r);
        else reject(r);
      };
      this.onEvent((e, at) => {
        if (pred(e)) finish(at);
      });
      void this.exited.then((code) =>
        finish(new Error(`the writer exited (${code}) before ${what}: ${this.stderrTail.trim().slice(-800)}`)),
      );
    });
  }

  /** SIGKILL: no flush, no commit, no LeaveGroup. */
  async kill(): Promise<void> {
    if (this.running) this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM (graceful stop), SIGKILL after `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  stderr(): string {
    return this.stderrTail;
  }
}
