import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Output kept per start: a writer prints a few lines per checkpoint, and a scenario reads back what it
 * said minutes ago (how it recovered after a restart).
 */
const KEPT_OUTPUT_CHARS = 400_000;

/** A program run instead of `chargeback-cdc run …`, e.g. the Flink job's run-local.sh (which execs its JVM). */
export interface Launch {
  command: string;
  args: string[];
}

/**
 * One pipeline component (`chargeback-cdc run <name>`, or another launch command) as a real child
 * process, so scenarios can kill and restart it like an operator would. Its output goes to
 * reports/logs/<name>.log.
 */
export class ComponentProcess {
  private child: ChildProcess | undefined;
  private output = '';
  /** The output of each earlier start (the tail of each), oldest first: what a restarted process said before. */
  private readonly earlier: string[] = [];
  /** A test entry point run instead of `chargeback-cdc run …` (a component with a fault injected). */
  private faultyEntry: string[] | undefined;

  constructor(
    readonly name: string,
    private readonly args: string[],
    private readonly readyPattern: RegExp,
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly launch?: Launch,
  ) {}

  /**
   * Restarts as a test entry point that runs the same component with a fault injected (e.g.
   * `['fixtures/faultyPoller.ts', '2']`, run through tsx), or, with `undefined`, as the real
   * `chargeback-cdc run …` again. Faults live in fixtures/, never in the production CLI.
   */
  async restartWithFault(entry: string[] | undefined): Promise<void> {
    await this.stop();
    this.faultyEntry = entry;
    await this.start();
  }

  /** Resident memory of the process in MiB (Linux /proc), or undefined when it is not running. */
  rssMiB(): number | undefined {
    if (!this.running || !this.pid) return undefined;
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]);
      return Number.isFinite(kb) ? kb / 1024 : undefined;
    } catch {
      return undefined;
    }
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** True while the process runs a fault-injecting entry point instead of the real component. */
  get injectedFaults(): boolean {
    return this.faultyEntry !== undefined;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(timeoutMs = 60_000): Promise<void> {
    mkdirSync('reports/logs', { recursive: true });
    const log = createWriteStream(join('reports/logs', `${this.name}.log`), { flags: 'a' });
    if (this.child) this.earlier.push(this.output);
    this.output = '';
    const argv = this.faultyEntry ? ['--import', 'tsx', ...this.faultyEntry] : ['bin/chargeback-cdc.js', 'run', ...this.args];
    const [command, commandArgs] =
      this.launch && !this.faultyEntry ? [this.launch.command, this.launch.args] : [process.execPath, argv];
    const child = spawn(command, commandArgs, {
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const onData = (d: Buffer) => {
      this.output = (this.output + d.toString()).slice(-KEPT_OUTPUT_CHARS);
      log.write(d);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${this.name} did not become ready in ${timeoutMs} ms; its output:\n${this.output}`)),
        timeoutMs,
      );
      const check = () => {
        if (this.readyPattern.test(this.output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', check);
      child.stderr!.on('data', check);
      child.once('exit', (code, sig) => {
        clearTimeout(timer);
        reject(new Error(`${this.name} exited (${code ?? sig}) before it was ready; its output:\n${this.output}`));
      });
    });
  }

  /** SIGKILL: the component gets no chance to flush or commit anything. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  async stop(): Promise<void> {
    await this.signal('SIGTERM', 20_000);
  }

  /** The output since the last start (its last 20,000 characters: short enough for an assertion message). */
  recentOutput(): string {
    return this.output.slice(-20_000);
  }

  /** The output of every start so far, oldest first (each start's last 400,000 characters). */
  outputOfEachStart(): string[] {
    return [...this.earlier, this.output];
  }

  private async signal(sig: NodeJS.Signals, graceMs = 5_000): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill(sig);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
}
