import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InfraConfig } from '../config/InfraConfig.ts';
import { namesOf } from '../config/names.ts';
import { MissingOutputsError } from '../errors.ts';

const INFRA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Where `npm run deploy` writes the stacks' outputs (`cdktf deploy --outputs-file`). */
export function outputsFile(config: InfraConfig): string {
  return path.join(INFRA_DIR, 'outputs', `${namesOf(config).prefix}.json`);
}

export type Outputs = Record<string, string>;

/**
 * Flattens a cdktf outputs file — `{ "<stack>": { "<output>": value } }`, outputs of nested
 * constructs nested under their construct ids — into one map of output name → value. Only the
 * stacks of this environment count.
 */
export function readOutputsFile(file: string, stackIds: string[]): Outputs {
  const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const out: Outputs = {};
  const walk = (node: unknown) => {
    if (!node || typeof node !== 'object' || Array.isArray(node)) return;
    for (const [name, value] of Object.entries(node)) {
      if (typeof value === 'string' || typeof value === 'number') out[name] = String(value);
      else walk(value);
    }
  };
  for (const stack of stackIds) walk(json[stack]);
  return out;
}

/** `terraform output -json` of each synthesized and initialised stack folder (the fallback). */
export function readTerraformOutputs(cdktfOut: string, stackIds: string[]): Outputs {
  const out: Outputs = {};
  for (const stack of stackIds) {
    const dir = path.join(cdktfOut, 'stacks', stack);
    if (!existsSync(path.join(dir, '.terraform'))) continue;
    const run = spawnSync('terraform', ['output', '-json'], { cwd: dir, encoding: 'utf8' });
    if (run.status !== 0) continue;
    for (const [name, o] of Object.entries(JSON.parse(run.stdout) as Record<string, { value: unknown }>)) {
      if (typeof o.value === 'string' || typeof o.value === 'number') out[name] = String(o.value);
    }
  }
  return out;
}

/** The acceptance suite's target (steps/support/target.ts), pointed at the deployed stack. */
export const ACCEPTANCE_ENV = {
  AWS_REGION: 'region',
  KAFKA_BROKERS: 'msk_bootstrap_brokers',
  CHARGEBACK_API_URL: 'api_gateway_url',
  LANDING_BUCKET: 'parquet_bucket_name',
  TABLE_NAME: 'dynamodb_table_name',
} as const;

/** Also exported when present: handy for steps that look at the topic or the DLQ. */
const OPTIONAL_ENV = {
  KAFKA_TOPIC: 'kafka_topic',
  LANDING_PREFIX: 'landing_prefix',
  DLQ_QUEUE_URL: 'dlq_queue_url',
  FLINK_APPLICATION_NAME: 'flink_application_name',
} as const;

export { MissingOutputsError };

export function acceptanceEnv(outputs: Outputs, source: string): Record<string, string> {
  const missing = Object.values(ACCEPTANCE_ENV).filter((name) => !outputs[name]);
  if (missing.length) {
    throw new MissingOutputsError(
      `test:aws needs the deployed stack's outputs ${missing.join(', ')} (${source}): run npm run deploy first, or set CHARGEBACK_OUTPUTS_FILE`,
    );
  }
  const env: Record<string, string> = { CDC_TARGET: 'deployed', LOCAL_STACK: 'external', KAFKA_AUTH: 'msk-iam' };
  for (const [k, name] of Object.entries({ ...ACCEPTANCE_ENV, ...OPTIONAL_ENV })) if (outputs[name]) env[k] = outputs[name];
  env.AWS_DEFAULT_REGION = env.AWS_REGION!;
  return env;
}
