/**
 * Errors of infra/, one hierarchy with a stable `code` (as in pipeline/*\/errors.ts). None is
 * retryable: each names what to fix (a config value, a missing build, a failed check).
 */
import { CdcError } from '../pipeline/errors/index.ts';

export class InfraError extends CdcError {
  static override readonly code: string = 'INFRA';
}

/** The infra config is invalid; the message lists every problem with its path. */
export class InfraConfigError extends InfraError {
  static override readonly code = 'INFRA_CONFIG';
}

/** The Flink job JAR is not built (synth and deploy stop with exactly this one line). */
export class FlinkJarMissingError extends InfraError {
  static override readonly code = 'FLINK_JAR_MISSING';
  constructor(readonly jarPath: string) {
    super('Flink JAR not built: run npm run build:flink');
  }
}

/** esbuild could not bundle a Lambda entry, or the entry exports no handler. */
export class BundleError extends InfraError {
  static override readonly code = 'LAMBDA_BUNDLE';
}

/** An Allow statement would grant a wildcard action. */
export class WildcardActionError extends InfraError {
  static override readonly code = 'IAM_WILDCARD_ACTION';
}

/** checkov did not run, or printed no report we can read. */
export class CheckovReportError extends InfraError {
  static override readonly code = 'CHECKOV_REPORT';
}

/** test:aws found no outputs of a deployed stack. */
export class MissingOutputsError extends InfraError {
  static override readonly code = 'DEPLOY_OUTPUTS_MISSING';
}

/** The topic creator got a bad event, or a topic is still missing after CreateTopics. */
export class TopicCreatorError extends InfraError {
  static override readonly code = 'TOPIC_CREATOR';
}

/** terraform init or validate did not run, or printed nothing we can read. */
export class TerraformRunError extends InfraError {
  static override readonly code = 'TERRAFORM_RUN';
}

/** `npm run synth` tried to build the missing Flink JAR and the build failed. */
export class FlinkJarBuildError extends InfraError {
  static override readonly code = 'FLINK_JAR_BUILD';
}
