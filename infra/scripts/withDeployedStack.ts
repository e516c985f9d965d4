/**
 * Runs a command (the cucumber suite) against the deployed stack: reads the outputs that
 * `npm run deploy` wrote (or `terraform output -json` of the stack folders), turns them into
 * the `external` backend's environment, and execs the command with it.
 *
 *   node --import tsx infra/scripts/withDeployedStack.ts -- npx cucumber-js [args…]
 *   node --import tsx infra/scripts/withDeployedStack.ts --print      (show the environment)
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadInfraConfig } from '../config/InfraConfig.ts';
import { namesOf } from '../config/names.ts';
import { INFRA_DIR } from '../paths.ts';
import {
  acceptanceEnv,
  outputsFile,
  readOutputsFile,
  readTerraformOutputs,
  MissingOutputsError,
  type Outputs,
} from './deployOutputs.ts';
import { readTarget, TargetConfigError } from '../../steps/support/target.ts';

const args = process.argv.slice(2);
try {
  const config = loadInfraConfig();
  const stackIds = Object.values(namesOf(config).stacks);
  const file = process.env.CHARGEBACK_OUTPUTS_FILE || outputsFile(config);
  let outputs: Outputs;
  let source: string;
  if (existsSync(file)) {
    outputs = readOutputsFile(file, stackIds);
    source = `read ${path.relative(process.cwd(), file)}`;
  } else {
    const cdktfOut = path.join(INFRA_DIR, 'cdktf.out');
    outputs = readTerraformOutputs(cdktfOut, stackIds);
    source = `no ${path.relative(process.cwd(), file)}; terraform output in ${path.relative(process.cwd(), cdktfOut)}/stacks found ${Object.keys(outputs).length} outputs`;
  }
  const env = acceptanceEnv(outputs, source);
  if (args[0] === '--print') {
    for (const [k, v] of Object.entries(env)) console.log(`${k}=${v}`);
    process.exit(0);
  }
  const command = args[0] === '--' ? args.slice(1) : args;
  if (!command.length) throw new Error('no command to run: pass -- <command> [args…]');
  // The same check the suite makes, here so that a problem is one line and nothing starts.
  readTarget({ ...process.env, ...env });
  console.error(
    `running against ${env.CHARGEBACK_API_URL} (${env.AWS_REGION}), brokers ${env.KAFKA_BROKERS}, bucket ${env.LANDING_BUCKET}`,
  );
  const run = spawnSync(command[0]!, command.slice(1), { stdio: 'inherit', env: { ...process.env, ...env } });
  process.exit(run.status ?? 1);
} catch (e) {
  if (e instanceof MissingOutputsError) {
    console.error(e.message);
    process.exit(1);
  }
  if (e instanceof TargetConfigError) {
    console.error(`${e.message} — nothing was run`);
    process.exit(1);
  }
  throw e;
}
