import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  evaluate,
  formatVerdict,
  parseCheckovJson,
  readSkipAnnotations,
  CheckovReportError,
  type Verdict,
} from './checkovReport.ts';

const CHECKOV_SH = fileURLToPath(new URL('../scripts/checkov.sh', import.meta.url));

/**
 * Static security scan of the synthesized Terraform JSON: checkov (pinned, own venv, see
 * scripts/checkov.sh) with `--framework terraform_json` over every `stacks/<stack>/cdk.tf.json`,
 * then our skips-in-code applied (checkovReport.ts).
 *
 *   npx tsx infra/security/scanStacks.ts [cdktf.out folder]     (after npm run synth)
 */
export function scanStacks(cdktfOut: string): Verdict {
  return scanSynths({ '.': cdktfOut })['.']!;
}

/**
 * Several synth outputs (e.g. one per config) in one checkov process — its start-up (~10 s of
 * CPU) is most of a scan — each in its own folder of the scanned tree, with one verdict per
 * synth: findings, skips and passed checks are told apart by that folder.
 */
export function scanSynths(outdirs: Record<string, string>): Record<string, Verdict> {
  const scanDir = mkdtempSync(path.join(tmpdir(), 'cdc-checkov-'));
  try {
    const filesOf: Record<string, string[]> = {};
    for (const [label, cdktfOut] of Object.entries(outdirs)) {
      const stacksDir = path.join(cdktfOut, 'stacks');
      if (!existsSync(stacksDir)) throw new CheckovReportError(`no synthesized stacks in ${stacksDir}: run npm run synth first`);
      const files = readdirSync(stacksDir)
        .filter((d) => existsSync(path.join(stacksDir, d, 'cdk.tf.json')))
        .map((d) => path.join(d, 'cdk.tf.json'));
      if (!files.length) throw new CheckovReportError(`no cdk.tf.json under ${stacksDir}`);
      filesOf[label] = files.map((f) => path.join(label, f));
      for (const file of files) {
        mkdirSync(path.join(scanDir, label, path.dirname(file)), { recursive: true });
        writeFileSync(
          path.join(scanDir, label, file),
          JSON.stringify(scannableCopy(JSON.parse(readFileSync(path.join(stacksDir, file), 'utf8'))), null, 2),
        );
      }
    }
    const report = runCheckov(scanDir);
    return Object.fromEntries(
      Object.entries(filesOf).map(([label, files]) => {
        const inLabel = (file: string) => files.includes(file);
        const passed = Object.entries(report.passedByFile)
          .filter(([file]) => inLabel(file))
          .reduce((sum, [, count]) => sum + count, 0);
        const findings = report.findings.filter((f) => inLabel(f.file));
        if (passed === 0 && findings.length === 0)
          throw new CheckovReportError(`checkov ran no check on the synthesized stacks of ${label}`);
        return [label, evaluate(passed, findings, readSkipAnnotations(scanDir, files))];
      }),
    );
  } finally {
    rmSync(scanDir, { recursive: true, force: true });
  }
}

/**
 * checkov's terraform_json parser fails on a file whose top-level blocks hold plain strings:
 * `terraform.required_version` (bridgecrewio/checkov#7454, still so in the pinned 3.3.30) and,
 * for the same reason, `import` blocks (`{"to": …, "id": …}`). Neither is a security setting
 * (a version constraint; the ids of resources to adopt), so the scan reads a copy without them;
 * every resource, data source and provider is scanned as synthesized.
 */
export function scannableCopy(stack: { terraform?: Record<string, unknown>; import?: unknown }): object {
  const { import: _imports, ...rest } = stack;
  if (!rest.terraform || !('required_version' in rest.terraform)) return rest;
  const { required_version: _version, ...terraform } = rest.terraform;
  return { ...rest, terraform };
}

function runCheckov(scanDir: string): ReturnType<typeof parseCheckovJson> {
  const run = spawnSync(
    'bash',
    [
      CHECKOV_SH,
      '--framework',
      'terraform_json',
      '--directory',
      scanDir,
      '--output',
      'json',
      // Not --quiet: it drops the passed checks, which tell the synths' passes apart.
      '--compact',
      // Offline: no guideline download from the vendor's API (it only adds links to the report).
      '--skip-download',
      // The cdktf assets (Lambda zips, the JAR) are not Terraform.
      '--skip-path',
      'assets',
    ],
    { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, BC_SKIP_MAPPING: 'TRUE' } },
  );
  if (run.error) throw new CheckovReportError(`could not run checkov: ${run.error.message}`);
  // checkov exits 1 when a check fails; anything else without a report is a crash.
  if (run.status !== 0 && run.status !== 1)
    throw new CheckovReportError(`checkov exited ${run.status}:\n${run.stderr.slice(-2000)}`);
  const report = parseCheckovJson(run.stdout);
  if (report.parsingErrors) throw new CheckovReportError(`checkov could not parse ${report.parsingErrors} synthesized file(s)`);
  return report;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outdir = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'cdktf.out'));
  try {
    const verdict = scanStacks(outdir);
    console.log(formatVerdict(verdict));
    process.exit(verdict.ok ? 0 : 1);
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
}
