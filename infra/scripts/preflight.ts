/**
 * deploy.sh's last check before the CDKTF CLI runs: the config is valid and the Flink JAR is
 * built. Prints `NAME=value` lines for deploy.sh to export; on a problem, one line on stderr.
 *
 *   node --import tsx infra/scripts/preflight.ts deploy|destroy
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadInfraConfig, InfraConfigError } from '../config/InfraConfig.ts';
import { resolveFlinkJar, FlinkJarMissingError } from '../bundle/flinkJar.ts';
import { REPO_ROOT } from '../paths.ts';
import { outputsFile } from './deployOutputs.ts';

const action = process.argv[2];
try {
  const config = loadInfraConfig();
  const lines = [`CHARGEBACK_OUTPUTS_FILE=${process.env.CHARGEBACK_OUTPUTS_FILE || outputsFile(config)}`];
  try {
    resolveFlinkJar(path.resolve(REPO_ROOT, config.flink.jarPath));
  } catch (e) {
    if (!(e instanceof FlinkJarMissingError)) throw e;
    if (action !== 'destroy') {
      console.error(`${e.message} — nothing was changed`);
      process.exit(1);
    }
    // Destroying needs a synth, not the job: the stand-in only fills the S3 object's source.
    const standIn = path.join(mkdtempSync(path.join(tmpdir(), 'cdc-destroy-')), 'stand-in.jar');
    writeFileSync(standIn, 'stand-in for destroy\n');
    lines.push(`CHARGEBACK_FLINK_JAR_PLACEHOLDER=${standIn}`);
  }
  console.log(lines.join('\n'));
} catch (e) {
  if (e instanceof InfraConfigError) {
    console.error(`${e.message}\n— nothing was changed`);
    process.exit(1);
  }
  throw e;
}
