/**
 * `npm run synth` (and the `app` of infra/cdktf.json): synthesizes the four stacks into
 * infra/cdktf.out/stacks/<stack>/cdk.tf.json. Offline: no AWS credentials, no terraform.
 *
 * Env: CHARGEBACK_INFRA_CONFIG (JSON config file), CHARGEBACK_ENV, AWS_REGION,
 *      CHARGEBACK_FLINK_JAR_PLACEHOLDER (a stand-in JAR, for trying synth without Maven).
 */
import path from 'node:path';
import { loadInfraConfig, InfraConfigError } from './config/InfraConfig.ts';
import { FlinkJarMissingError } from './bundle/flinkJar.ts';
import { BundleError } from './bundle/bundleLambda.ts';
import { buildApp } from './app.ts';

const started = Date.now();
try {
  const config = loadInfraConfig();
  const { app } = buildApp(config, { flinkJarPlaceholder: process.env.CHARGEBACK_FLINK_JAR_PLACEHOLDER || undefined });
  app.synth();
  const rel = path.relative(process.cwd(), app.outdir) || '.';
  console.error(
    `synthesized ${config.project}-${config.environment} (${config.region}) into ${rel}/stacks in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
} catch (e) {
  if (e instanceof FlinkJarMissingError || e instanceof InfraConfigError || e instanceof BundleError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}
