/**
 * `npm run synth` (and the `app` of infra/cdktf.json): synthesizes the five stacks into
 * infra/cdktf.out/stacks/<stack>/cdk.tf.json. Offline: no AWS credentials, no terraform. A
 * missing Flink JAR is built first (bundle/ensureFlinkJar.ts), so the order needs no knowing.
 *
 * Env: CHARGEBACK_INFRA_CONFIG (JSON config file), CHARGEBACK_ENV, AWS_REGION,
 *      CHARGEBACK_FLINK_JAR_PLACEHOLDER (a stand-in JAR, for trying synth without Maven).
 */
import path from 'node:path';
import { loadInfraConfig, InfraConfigError } from './config/InfraConfig.ts';
import { resolveFlinkJar, FlinkJarMissingError } from './bundle/flinkJar.ts';
import { ensureFlinkJar, FlinkJarBuildError } from './bundle/ensureFlinkJar.ts';
import { BundleError } from './bundle/bundleLambda.ts';
import { INFRA_DIR, REPO_ROOT } from './paths.ts';

const started = Date.now();
try {
  const config = loadInfraConfig();
  const jarPath = path.resolve(REPO_ROOT, config.flink.jarPath);
  const placeholder = process.env.CHARGEBACK_FLINK_JAR_PLACEHOLDER || undefined;
  const flinkJar = placeholder
    ? resolveFlinkJar(jarPath, placeholder)
    : ensureFlinkJar(jarPath, { repoRoot: REPO_ROOT, buildDir: path.join(INFRA_DIR, '.build'), log: (l) => console.error(l) });
  // Loaded only now (cdktf and the provider bindings take seconds): a bad config or a missing
  // JAR is reported at once.
  const { buildApp } = await import('./app.ts');
  const { app } = buildApp(config, { flinkJar });
  app.synth();
  const rel = path.relative(process.cwd(), app.outdir) || '.';
  console.error(
    `synthesized ${config.project}-${config.environment} (${config.region}) into ${rel}/stacks in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
} catch (e) {
  if (
    e instanceof FlinkJarMissingError ||
    e instanceof FlinkJarBuildError ||
    e instanceof InfraConfigError ||
    e instanceof BundleError
  ) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}
