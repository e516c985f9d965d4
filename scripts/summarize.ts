/**
 * Totals over every suite of `npm test`, printed as one plain last line "N passed, N failed"
 * (", N skipped" when any were skipped — skipped tests never count as passed). Sources:
 * node:test TAP files, cucumber's JSON report, Maven Surefire XML reports, and the suite
 * status file (a suite that failed without reporting any test counts as one failure).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}
const rows: Array<[string, Counts]> = [];
/** The reports folder: `reports` for npm test, `reports/fast` for test:fast. */
const dir = process.argv[2] ?? 'reports';

function tap(file: string, name: string) {
  if (!existsSync(file)) return;
  const text = readFileSync(file, 'utf8');
  const num = (k: string) => Number(new RegExp(`^# ${k} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  rows.push([name, { passed: num('pass'), failed: num('fail') + num('cancelled'), skipped: num('skipped') + num('todo') }]);
}

function cucumber(file: string) {
  if (!existsSync(file)) return;
  const c: Counts = { passed: 0, failed: 0, skipped: 0 };
  for (const feature of JSON.parse(readFileSync(file, 'utf8')) as Array<{
    elements?: Array<{ type: string; steps: Array<{ result: { status: string } }> }>;
  }>) {
    for (const el of feature.elements ?? []) {
      if (el.type !== 'scenario') continue;
      const statuses = el.steps.map((s) => s.result.status);
      if (statuses.every((s) => s === 'passed')) c.passed++;
      else if (statuses.some((s) => s === 'failed' || s === 'undefined' || s === 'ambiguous' || s === 'pending')) c.failed++;
      else c.skipped++;
    }
  }
  rows.push(['acceptance scenarios', c]);
}

function surefire(dir: string, name: string) {
  if (!existsSync(dir)) return;
  const c: Counts = { passed: 0, failed: 0, skipped: 0 };
  for (const f of readdirSync(dir).filter((f) => /^TEST-.*\.xml$/.test(f))) {
    const head = /<testsuite[^>]*>/.exec(readFileSync(join(dir, f), 'utf8'))?.[0] ?? '';
    const attr = (k: string) => Number(new RegExp(`\\b${k}="(\\d+)"`).exec(head)?.[1] ?? 0);
    const failed = attr('failures') + attr('errors');
    const skipped = attr('skipped');
    c.failed += failed;
    c.skipped += skipped;
    c.passed += attr('tests') - failed - skipped;
  }
  rows.push([name, c]);
}

tap(join(dir, 'unit.tap'), 'unit and property tests');
tap(join(dir, 'infra.tap'), 'infra tests');
tap(join(dir, 'integration.tap'), 'integration tests');
// Surefire's reports live in Maven's target/: read them only when this run ran the Java suite.
const statusText = existsSync(join(dir, 'suite-status.txt')) ? readFileSync(join(dir, 'suite-status.txt'), 'utf8') : '';
if (/^flink job \(maven\) /m.test(statusText)) surefire('pipeline/flink-job/target/surefire-reports', 'flink job tests');
cucumber(join(dir, 'cucumber.json'));

// Suites that failed without a report of their own (type errors, a stack that would not start).
const reported = new Set(rows.map(([n]) => n));
const byStatus: Record<string, string> = {
  'unit and property tests': 'unit and property tests',
  'acceptance (cucumber)': 'acceptance scenarios',
  'integration tests (real stack)': 'integration tests',
  'flink job (maven)': 'flink job tests',
  'infra (synth, validate, bundles, checkov)': 'infra tests',
};
if (statusText) {
  for (const line of statusText.trim().split('\n')) {
    const m = /^(.*) (\d+)$/.exec(line);
    if (!m || m[2] === '0') continue;
    const reportName = byStatus[m[1]!];
    const row = rows.find(([n]) => n === reportName);
    if (!reportName || !reported.has(reportName)) rows.push([`${m[1]} (suite failed)`, { passed: 0, failed: 1, skipped: 0 }]);
    else if (row && row[1].failed === 0) row[1].failed = 1; // failed suite whose report shows no failing test (e.g. a crash)
  }
}

const total: Counts = { passed: 0, failed: 0, skipped: 0 };
for (const [name, c] of rows) {
  console.log(
    `${name.padEnd(40)} ${String(c.passed).padStart(5)} passed ${String(c.failed).padStart(4)} failed ${String(c.skipped).padStart(4)} skipped`,
  );
  total.passed += c.passed;
  total.failed += c.failed;
  total.skipped += c.skipped;
}
console.log(`${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
