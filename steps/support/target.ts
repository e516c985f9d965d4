import { CdcError } from '../../pipeline/errors/index.ts';

/**
 * What the acceptance suite runs against, chosen by one switch, CDC_TARGET:
 * - unset: the suite brings up the local stack and starts the API, poller and writer itself;
 * - `deployed`: a deployed stack (`npm run test:aws`), real AWS endpoints, MSK through IAM;
 * - `local`: an already running local stack and components (the rehearsal of test:aws).
 * Both targets start nothing: every endpoint and name comes from the environment, none has a
 * default, so a scenario can only reach what it was pointed at.
 */
export const TargetMode = { DEPLOYED: 'deployed', LOCAL: 'local' } as const;
export type TargetMode = (typeof TargetMode)[keyof typeof TargetMode];

/** The variables a target needs; AWS_ENDPOINT_URL only for `local` (refused for `deployed`). */
export const TARGET_ENV = ['CHARGEBACK_API_URL', 'LANDING_BUCKET', 'TABLE_NAME', 'KAFKA_BROKERS', 'KAFKA_AUTH'] as const;

export interface Target {
  mode: TargetMode;
  apiUrl: string;
  bucket: string;
  table: string;
  kafkaBrokers: string;
  kafkaAuth: string;
  /** Undefined for `deployed`: the SDK's own AWS endpoints. */
  awsEndpoint: string | undefined;
}

/** CDC_TARGET is set but the environment does not say where everything is; lists every problem. */
export class TargetConfigError extends CdcError {
  static override readonly code = 'ACCEPTANCE_TARGET';
}

/** A step tried to start a component (or the local stack) while the suite runs against a target. */
export class TargetSpawnError extends CdcError {
  static override readonly code = 'ACCEPTANCE_TARGET_SPAWN';
}

/** Rollover + poll interval + slack for a busy 2-core box; the deployed Flink job commits part files on 60 s checkpoints. */
const DEFAULT_LANDING_TIMEOUT_MS = 45_000;
const DEPLOYED_LANDING_TIMEOUT_MS = 180_000;

/** How long a scenario waits for a row to land here (CDC_LANDING_TIMEOUT_MS wins; readTarget rejects a bad one). */
export function landingTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const given = Number(env.CDC_LANDING_TIMEOUT_MS);
  if (Number.isInteger(given) && given > 0) return given;
  return env.CDC_TARGET === TargetMode.DEPLOYED ? DEPLOYED_LANDING_TIMEOUT_MS : DEFAULT_LANDING_TIMEOUT_MS;
}

/** The target named by CDC_TARGET, or undefined when the suite runs its own local stack. */
export function readTarget(env: NodeJS.ProcessEnv = process.env): Target | undefined {
  const mode = env.CDC_TARGET;
  if (!mode) return undefined;
  const problems: string[] = [];
  if (mode !== TargetMode.DEPLOYED && mode !== TargetMode.LOCAL)
    problems.push(`CDC_TARGET: "${mode}" is neither "${TargetMode.DEPLOYED}" nor "${TargetMode.LOCAL}"`);
  for (const name of TARGET_ENV) if (!env[name]) problems.push(`${name}: is required`);
  if (env.CHARGEBACK_API_URL && !URL.canParse(env.CHARGEBACK_API_URL))
    problems.push(`CHARGEBACK_API_URL: "${env.CHARGEBACK_API_URL}" is not a URL`);
  if (env.KAFKA_AUTH && env.KAFKA_AUTH !== 'msk-iam' && env.KAFKA_AUTH !== 'plaintext')
    problems.push(`KAFKA_AUTH: "${env.KAFKA_AUTH}" is neither msk-iam nor plaintext`);
  // A stray AWS_ENDPOINT_URL (left over from local work) would send a deployed run to an emulator.
  if (mode === TargetMode.DEPLOYED && env.AWS_ENDPOINT_URL)
    problems.push('AWS_ENDPOINT_URL: must be unset for a deployed target (the SDK goes to AWS)');
  if (mode === TargetMode.LOCAL && !env.AWS_ENDPOINT_URL) problems.push('AWS_ENDPOINT_URL: is required for a local target');
  const timeout = env.CDC_LANDING_TIMEOUT_MS;
  if (timeout !== undefined && !/^[1-9]\d*$/.test(timeout))
    problems.push(`CDC_LANDING_TIMEOUT_MS: "${timeout}" is not a positive number of milliseconds`);
  if (problems.length) throw new TargetConfigError(`CDC_TARGET=${mode} needs the target's endpoints: ${problems.join('; ')}`);
  return {
    mode: mode as TargetMode,
    apiUrl: env.CHARGEBACK_API_URL!.replace(/\/+$/, ''),
    bucket: env.LANDING_BUCKET!,
    table: env.TABLE_NAME!,
    kafkaBrokers: env.KAFKA_BROKERS!,
    kafkaAuth: env.KAFKA_AUTH!,
    awsEndpoint: env.AWS_ENDPOINT_URL || undefined,
  };
}
