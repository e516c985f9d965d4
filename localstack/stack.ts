import { containersBackend } from './backends/containers.ts';
import { probeDocker, type DockerProbe } from './backends/dockerProbe.ts';
import { externalBackend } from './backends/external.ts';
import { nativeBackend } from './backends/native.ts';
import { selectBackend } from './backends/selectBackend.ts';
import type { BackendContext, ServiceStatus, StackBackend } from './backends/StackBackend.ts';
import { Backend, loadStackConfig, type RunningBackend, type StackConfig } from './config.ts';
import { StackConflictError } from './errors.ts';
import { ensureResources, type StackResources } from './resources.ts';
import { stackPaths } from './StackPaths.ts';
import { clearStackState, readStackState, writeStackState } from './stackState.ts';

export interface StackOptions {
  /** Overrides LOCAL_STACK. */
  backend?: Backend;
  /** Progress and notices, one line each; default: stderr. */
  onProgress?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  /**
   * `stack reset` / `stack up --fresh`: start every service empty (Kafka storage re-formatted, moto
   * cleared). Without it Kafka keeps its data, and a broker that crashed restarts on it.
   */
  fresh?: boolean;
  /** For tests: replaces the Docker engine probe used by LOCAL_STACK=auto. */
  probeDocker?: () => Promise<DockerProbe>;
}

export interface StackInfo {
  backend: RunningBackend;
  /** True when every service was already up and was reused. */
  reused: boolean;
  tookMs: number;
  /** Undefined on the external backend against real AWS. */
  awsEndpoint?: string;
  region: string;
  kafkaBrokers: string[];
  names: StackConfig['names'];
  resources: StackResources;
  services: ServiceStatus[];
  logsDir: string;
}

export interface StackStatus {
  backend: RunningBackend | 'none';
  services: ServiceStatus[];
  logsDir: string;
}

const Backends: Record<RunningBackend, StackBackend> = {
  native: nativeBackend,
  containers: containersBackend,
  external: externalBackend,
};

const stderrLine = (line: string) => {
  process.stderr.write(`${line}\n`);
};

/** Starts (or reuses) the stack, health-checks it, creates the resources, and records which backend is up. */
export async function stackUp(opts: StackOptions = {}): Promise<StackInfo> {
  const started = Date.now();
  const ctx = await resolve(opts, 'up');
  const { backend, cfg, paths } = ctx;
  const { services, reused } = await backend.up(ctx, { fresh: opts.fresh === true });
  await writeStackState(paths.run, { backend: backend.name, startedAt: new Date().toISOString() });
  const resources = await ensureResources(cfg);
  return {
    backend: backend.name,
    reused,
    tookMs: Date.now() - started,
    ...(cfg.awsEndpoint ? { awsEndpoint: cfg.awsEndpoint } : {}),
    region: cfg.region,
    kafkaBrokers: cfg.kafkaBrokers,
    names: cfg.names,
    resources,
    services,
    logsDir: paths.logs,
  };
}

/** Stops the backend asked for, or with auto the one `stackUp` recorded (native when nothing is). */
export async function stackDown(opts: StackOptions = {}): Promise<void> {
  const ctx = await resolve(opts, 'existing');
  await ctx.backend.down(ctx);
  // Forget the record only when it is the backend just stopped, so another one is never orphaned.
  if ((await readStackState(ctx.paths.run))?.backend === ctx.backend.name) await clearStackState(ctx.paths.run);
}

export async function stackStatus(opts: StackOptions = {}): Promise<StackStatus> {
  const ctx = await resolve(opts, 'existing');
  const services = await ctx.backend.status(ctx);
  const anyUp = services.some((s) => s.state === 'up');
  return { backend: anyUp ? ctx.backend.name : 'none', services, logsDir: ctx.paths.logs };
}

/** Stops the Kafka broker alone, keeping its data, so a test can watch the pipeline ride out an outage. */
export async function stopKafka(opts: StackOptions = {}): Promise<void> {
  const ctx = await resolve(opts, 'existing');
  await ctx.backend.stopKafka(ctx);
}

/** Starts the Kafka broker again on the data it had; resolves once it is usable. */
export async function startKafka(opts: StackOptions = {}): Promise<ServiceStatus> {
  const ctx = await resolve(opts, 'existing');
  return ctx.backend.startKafka(ctx);
}

interface Resolved extends BackendContext {
  backend: StackBackend;
}

/**
 * Which backend a command acts on. `existing`: the one asked for, or with auto the one `stack up`
 * recorded (native when none is). `up`: the recorded one while it is still running (a second backend would fight
 * over the ports), else what LOCAL_STACK selects.
 */
async function resolve(opts: StackOptions, intent: 'up' | 'existing'): Promise<Resolved> {
  const onProgress = opts.onProgress ?? stderrLine;
  const env = opts.env ?? process.env;
  const requested = loadStackConfig(env, opts.backend ? { backend: opts.backend } : {});
  const paths = stackPaths(requested.home);
  const recorded = (await readStackState(paths.run))?.backend;
  const context = (name: RunningBackend): Resolved => {
    const cfg = name === requested.backend ? requested : loadStackConfig(env, { backend: name });
    return { backend: Backends[name], cfg, paths, onProgress };
  };

  if (intent === 'existing') {
    return context(requested.backend !== Backend.AUTO ? requested.backend : (recorded ?? Backend.NATIVE));
  }
  if (recorded && recorded !== Backend.EXTERNAL) {
    const ctx = context(recorded);
    const running = await ctx.backend.status(ctx).then(
      (services) => services.some((s) => s.state === 'up'),
      (e: Error) => {
        // E.g. the Docker engine that ran the containers stack is gone: then so are its containers.
        onProgress(`the ${recorded} stack recorded in ${paths.run} cannot be checked (${e.message}); starting afresh`);
        return false;
      },
    );
    if (running) {
      if (requested.backend === Backend.AUTO || requested.backend === recorded) return ctx;
      throw new StackConflictError(
        `the ${recorded} stack is up; run \`stack down\` before starting the ${requested.backend} one`,
      );
    }
  }
  const { backend, notice } = await selectBackend(requested.backend, opts.probeDocker ?? probeDocker);
  if (notice) onProgress(notice);
  return context(backend);
}
