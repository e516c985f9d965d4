import path from 'node:path';
import { App } from 'cdktf';
import type { InfraConfig } from './config/InfraConfig.ts';
import { namesOf } from './config/names.ts';
import { resolveFlinkJar, type FlinkJar } from './bundle/flinkJar.ts';
import { INFRA_DIR, REPO_ROOT } from './paths.ts';
import type { StackContext } from './stacks/ChargebackStack.ts';
import { FoundationStack } from './stacks/FoundationStack.ts';
import { ApiStack } from './stacks/ApiStack.ts';
import { StreamingStack } from './stacks/StreamingStack.ts';
import { ConsolidationStack } from './stacks/ConsolidationStack.ts';
import { MonitoringStack } from './stacks/MonitoringStack.ts';

export { INFRA_DIR, REPO_ROOT };

export interface BuildOptions {
  /** Where `cdk.tf.json` and assets go. Default: $CDKTF_OUTDIR (set by cdktf-cli) or infra/cdktf.out. */
  outdir?: string;
  /** Lambda entries (default: the real pipeline/ and infra/lambdas/ paths). */
  entries?: {
    api?: string;
    streamProcessor?: string;
    topicCreator?: string;
    consolidation?: string;
    consolidationCheck?: string;
  };
  /** Stand-in for a missing Flink JAR (tests only; a real deploy needs `npm run build:flink`). */
  flinkJarPlaceholder?: string;
  /** The JAR already resolved (or built) by the caller, e.g. `npm run synth` (ensureFlinkJar). */
  flinkJar?: FlinkJar;
  /** Where Lambda bundles are built. Default: infra/.build (git-ignored). */
  buildDir?: string;
  /** Where the local backend keeps state. Default: infra/terraform-state (git-ignored). */
  stateDir?: string;
}

export interface ChargebackApp {
  app: App;
  foundation: FoundationStack;
  api: ApiStack;
  streaming: StreamingStack;
  consolidation: ConsolidationStack;
  monitoring: MonitoringStack;
}

/**
 * The whole deployment: five stacks whose constructor arguments are their dependencies
 * (foundation ← api, streaming, consolidation ← monitoring), so the order `cdktf deploy` follows is the one
 * the code shows.
 */
export function buildApp(config: InfraConfig, options: BuildOptions = {}): ChargebackApp {
  // Checked first: a missing JAR is the one expected failure, and it should read as one line.
  const flinkJar =
    options.flinkJar ?? resolveFlinkJar(path.resolve(REPO_ROOT, config.flink.jarPath), options.flinkJarPlaceholder);
  const app = new App({ outdir: options.outdir ?? process.env.CDKTF_OUTDIR ?? path.join(INFRA_DIR, 'cdktf.out') });
  const ctx: StackContext = {
    config,
    names: namesOf(config),
    repoRoot: REPO_ROOT,
    buildDir: options.buildDir ?? path.join(INFRA_DIR, '.build'),
    stateDir: options.stateDir ?? path.join(INFRA_DIR, 'terraform-state'),
  };
  const foundation = new FoundationStack(app, ctx);
  const api = new ApiStack(app, ctx, { foundation, entry: options.entries?.api });
  const streaming = new StreamingStack(app, ctx, {
    foundation,
    flinkJar,
    streamProcessorEntry: options.entries?.streamProcessor,
    topicCreatorEntry: options.entries?.topicCreator,
  });
  const consolidation = new ConsolidationStack(app, ctx, {
    foundation,
    jobEntry: options.entries?.consolidation,
    checkEntry: options.entries?.consolidationCheck,
  });
  const monitoring = new MonitoringStack(app, ctx, { foundation, api, streaming, consolidation });
  return { app, foundation, api, streaming, consolidation, monitoring };
}
