import { spawn, type ChildProcess } from 'node:child_process';

/**
 * One AWS provider process shared by every `terraform validate` of a run, through Terraform's
 * TF_REATTACH_PROVIDERS (https://developer.hashicorp.com/terraform/plugin/debugging#running-terraform-with-a-provider-in-debug-mode).
 * Each validate otherwise starts the 700 MB provider itself and asks it for its whole schema:
 * about 6 s of CPU per stack, against under 2 s reattached. The provider is the mirror's own
 * binary, so what validates is unchanged; `init` still installs from the mirror first, which is
 * what proves the version constraint resolves.
 */
export interface ProviderServer {
  /** The value for TF_REATTACH_PROVIDERS. */
  reattach: string;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Starts `binary -debug` and resolves once it prints its reattach line; undefined if it does not within `timeoutMs`. */
export function startProviderServer(binary: string, timeoutMs = 120_000): Promise<ProviderServer | undefined> {
  return new Promise((resolve) => {
    const child = spawn(binary, ['-debug'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CHECKPOINT_DISABLE: '1' },
    });
    running.add(child);
    let out = '';
    const stop = () =>
      new Promise<void>((done) => {
        running.delete(child);
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      });
    const giveUp = () => {
      clearTimeout(timer);
      void stop().then(() => resolve(undefined));
    };
    const timer = setTimeout(giveUp, timeoutMs);
    child.on('error', giveUp);
    child.on('exit', () => {
      clearTimeout(timer);
      running.delete(child);
      resolve(undefined);
    });
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const m = /TF_REATTACH_PROVIDERS='([^']+)'/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout!.removeAllListeners('data').resume();
        resolve({ reattach: m[1]!, stop });
      }
    });
    child.stderr!.resume();
  });
}
