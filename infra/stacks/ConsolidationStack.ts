import path from 'node:path';
import type { App } from 'cdktf';
import { ChargebackStack, type StackContext } from './ChargebackStack.ts';
import type { FoundationStack } from './FoundationStack.ts';
import { ConsolidationJob } from '../constructs/ConsolidationJob.ts';

export interface ConsolidationStackProps {
  foundation: FoundationStack;
  /** Entry of the job; defaults to pipeline/consolidation/scheduledHandler.ts. */
  jobEntry?: string;
  /** Entry of the deadline check; defaults to infra/lambdas/consolidation-check.ts. */
  checkEntry?: string;
}

/**
 * The daily consolidation of the landing zone (pipeline/consolidation) and its schedules. A stack
 * of its own, needing only the foundation (bucket and key): it reads and writes S3 and nothing of
 * the streaming stack, so it keeps running — and can be deployed or changed — while the streaming
 * stack (MSK, Flink: most of the cost) is destroyed or redeployed.
 */
export class ConsolidationStack extends ChargebackStack {
  readonly consolidation: ConsolidationJob;

  constructor(scope: App, ctx: StackContext, props: ConsolidationStackProps) {
    super(scope, ctx.names.stacks.consolidation, ctx);
    this.addDependency(props.foundation);
    const { config, names } = ctx;
    const { landing, dataKeyArn } = props.foundation;

    this.consolidation = new ConsolidationJob(this, 'consolidation', {
      config,
      names,
      jobEntry: props.jobEntry ?? path.join(ctx.repoRoot, 'pipeline/consolidation/scheduledHandler.ts'),
      checkEntry: props.checkEntry ?? path.join(ctx.repoRoot, 'infra/lambdas/consolidation-check.ts'),
      buildDir: ctx.buildDir,
      bucketName: landing.bucketName,
      bucketArn: landing.bucketArn,
      bucketKmsKeyArn: landing.kmsKeyArn,
      dataKeyArn,
      accountId: this.accountId,
      region: config.region,
    });

    this.output(
      'consolidation_function_name',
      this.consolidation.job.fn.functionName,
      'Daily consolidation function (invoke with {"day":"YYYY-MM-DD"} to consolidate a given day)',
    );
    this.output('consolidation_dlq_url', this.consolidation.deadLetterQueue.url, 'Consolidation runs that failed every attempt');
    this.output('consolidated_prefix', config.consolidation.consolidatedPrefix, 'Key prefix of the consolidated days');
  }
}
