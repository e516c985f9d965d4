import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CheckovSkip } from './checkovSkip.ts';
import { CheckovReportError } from '../errors.ts';

/**
 * Applies the skips declared in code (checkovSkip → the resource's `//` comment key in the
 * synthesized JSON) to a checkov JSON report, because checkov itself has no inline skip for
 * Terraform JSON. The verdict fails on any failed check without a skip, and on any skip that
 * matches no failure (a stale skip hides nothing today but would hide a regression tomorrow).
 */

/** One failed check as checkov reports it (`-o json`), reduced to what we match on. */
export interface Finding {
  checkId: string;
  checkName: string;
  /** Stack file relative to the scanned folder, e.g. `chargeback-cdc-dev-api/cdk.tf.json`. */
  file: string;
  /** checkov's resource id: `aws_s3_bucket.<logicalId>` (graph checks) or `resource.<logicalId>` / `data.<logicalId>`. */
  resource: string;
  logicalId: string;
}

export interface SkipAnnotation extends CheckovSkip {
  file: string;
  block: 'resource' | 'data';
  type: string;
  logicalId: string;
  /** Construct path, to point at the code that declared the skip. */
  constructPath: string;
}

export interface Verdict {
  passed: number;
  failed: Finding[];
  skipped: { finding: Finding; skip: SkipAnnotation }[];
  staleSkips: SkipAnnotation[];
  ok: boolean;
}

interface CheckovRecord {
  check_id: string;
  check_name: string;
  file_path: string;
  resource: string;
}

interface CheckovReport {
  check_type?: string;
  results?: { failed_checks?: CheckovRecord[]; passed_checks?: CheckovRecord[] };
  summary?: { passed: number; failed: number; parsing_errors?: number };
}

export { CheckovReportError };

/** Parses checkov's `-o json` output (one report object, or a list of them). */
export function parseCheckovJson(text: string): {
  passed: number;
  /** Passed checks per stack file (relative to the scanned folder), to tell several synths apart. */
  passedByFile: Record<string, number>;
  findings: Finding[];
  parsingErrors: number;
} {
  let raw: CheckovReport | CheckovReport[];
  try {
    raw = JSON.parse(text) as CheckovReport | CheckovReport[];
  } catch (e) {
    throw new CheckovReportError(`checkov did not print a JSON report: ${(e as Error).message}\n${text.slice(0, 500)}`);
  }
  const reports = Array.isArray(raw) ? raw : [raw];
  let passed = 0;
  let parsingErrors = 0;
  const findings: Finding[] = [];
  const passedByFile: Record<string, number> = {};
  for (const r of reports) {
    passed += r.summary?.passed ?? 0;
    parsingErrors += r.summary?.parsing_errors ?? 0;
    for (const p of r.results?.passed_checks ?? []) {
      const file = p.file_path.replace(/^\/+/, '');
      passedByFile[file] = (passedByFile[file] ?? 0) + 1;
    }
    for (const f of r.results?.failed_checks ?? []) {
      findings.push({
        checkId: f.check_id,
        checkName: f.check_name,
        file: f.file_path.replace(/^\/+/, ''),
        resource: f.resource,
        logicalId: f.resource.slice(f.resource.indexOf('.') + 1),
      });
    }
  }
  return { passed, passedByFile, findings, parsingErrors };
}

type TfJson = Partial<
  Record<
    'resource' | 'data',
    Record<string, Record<string, { '//'?: { checkov?: { skip?: CheckovSkip[] }; metadata?: { path?: string } } }>>
  >
>;

/** Reads every `"//": {"checkov": {"skip": [...]}}` of the stack files under `scanRoot`. */
export function readSkipAnnotations(scanRoot: string, files: string[]): SkipAnnotation[] {
  const out: SkipAnnotation[] = [];
  for (const file of files) {
    const json = JSON.parse(readFileSync(path.join(scanRoot, file), 'utf8')) as TfJson;
    for (const block of ['resource', 'data'] as const) {
      for (const [type, byId] of Object.entries(json[block] ?? {})) {
        for (const [logicalId, body] of Object.entries(byId)) {
          for (const skip of body['//']?.checkov?.skip ?? []) {
            out.push({ ...skip, file, block, type, logicalId, constructPath: body['//']?.metadata?.path ?? logicalId });
          }
        }
      }
    }
  }
  return out;
}

function matches(f: Finding, s: SkipAnnotation): boolean {
  if (f.checkId !== s.id || f.file !== s.file || f.logicalId !== s.logicalId) return false;
  const kind = f.resource.slice(0, f.resource.indexOf('.'));
  return kind === s.block || kind === s.type;
}

export function evaluate(passed: number, findings: Finding[], skips: SkipAnnotation[]): Verdict {
  const used = new Set<SkipAnnotation>();
  const failed: Finding[] = [];
  const skipped: Verdict['skipped'] = [];
  for (const f of findings) {
    const skip = skips.find((s) => matches(f, s));
    if (skip) {
      used.add(skip);
      skipped.push({ finding: f, skip });
    } else failed.push(f);
  }
  const staleSkips = skips.filter((s) => !used.has(s));
  return { passed, failed, skipped, staleSkips, ok: failed.length === 0 && staleSkips.length === 0 };
}

export function formatVerdict(v: Verdict): string {
  const lines: string[] = [];
  for (const f of v.failed) lines.push(`FAILED   ${f.checkId} ${f.resource} (${f.file}): ${f.checkName}`);
  for (const s of v.staleSkips)
    lines.push(`STALE    ${s.id} skipped on ${s.constructPath} but checkov no longer fails it: remove the checkovSkip`);
  for (const { skip } of v.skipped) lines.push(`skipped  ${skip.id} ${skip.constructPath}: ${skip.comment}`);
  lines.push(
    `checkov: ${v.passed} passed, ${v.failed.length} failed, ${v.skipped.length} skipped in code${v.staleSkips.length ? `, ${v.staleSkips.length} stale skips` : ''} — ${v.ok ? 'PASS' : 'FAIL'}`,
  );
  return lines.join('\n');
}
