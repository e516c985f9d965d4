/**
 * Re-renders a saved run: `tsx bench/report.ts bench/results/<timestamp>.json [--markdown]`.
 * Prints the report (as Markdown tables with --markdown, for docs/benchmarks.md) and rewrites the
 * plot beside the results file, so old runs can be shown with the current report and plot code.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { throughputBars, throughputSvg } from './plot.ts';
import { formatReport } from './formatReport.ts';
import { buildSummary, type BenchResults } from './summary.ts';

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: tsx bench/report.ts <results.json> [--markdown]\n');
    process.exit(2);
  }
  const { results } = JSON.parse(readFileSync(file, 'utf8')) as { results: BenchResults };
  const summary = buildSummary(results);
  writeFileSync(
    file.replace(/\.json$/, '.svg'),
    throughputSvg(
      throughputBars(summary, results),
      `chargeback-cdc bench (${results.mode}, ${results.startedAt.slice(0, 16)}Z, ${results.machine.cpus} cores)`,
    ),
  );
  console.log(formatReport(summary, results, process.argv.includes('--markdown')));
}
