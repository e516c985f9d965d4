/**
 * Where a V8 CPU profile spends its time: `tsx bench/profileSummary.ts <file.cpuprofile> [top]`.
 * Self time per function (name, file:line), and inclusive time of the functions that matter for
 * the writer's hot path, so a profile can be quoted in docs/benchmarks.md.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface CpuProfile {
  nodes: CpuProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileLine {
  fn: string;
  selfPct: number;
  totalPct: number;
}

const label = (n: CpuProfileNode): string => {
  const url = n.callFrame.url.replace(/^file:\/\/.*?\/(node_modules|pipeline|bench)\//, '$1/').replace(/^node:/, 'node:');
  return `${n.callFrame.functionName || '(anonymous)'} ${url ? `${url}:${n.callFrame.lineNumber + 1}` : ''}`.trim();
};

/** Self and inclusive share of samples per function, heaviest self time first (idle and GC kept: they are part of the answer). */
export function summariseProfile(profile: CpuProfile, top = 25): ProfileLine[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const hits = new Map<number, number>();
  for (const s of profile.samples ?? []) hits.set(s, (hits.get(s) ?? 0) + 1);
  const total = profile.samples?.length ?? 0;
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, count] of hits) {
    const leaf = byId.get(id)!;
    self.set(label(leaf), (self.get(label(leaf)) ?? 0) + count);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const l = label(byId.get(cur)!);
      if (seen.has(l)) continue;
      seen.add(l);
      inclusive.set(l, (inclusive.get(l) ?? 0) + count);
    }
  }
  const pct = (v: number) => Math.round((v / Math.max(1, total)) * 1000) / 10;
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([fn, v]) => ({ fn, selfPct: pct(v), totalPct: pct(inclusive.get(fn) ?? v) }));
}

/** Inclusive share of every function whose label matches. */
export function inclusiveShare(profile: CpuProfile, match: RegExp): Array<{ fn: string; totalPct: number }> {
  const all = summariseProfile(profile, Number.MAX_SAFE_INTEGER);
  void all;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const total = profile.samples?.length ?? 0;
  const inclusive = new Map<string, number>();
  for (const s of profile.samples ?? []) {
    const seen = new Set<string>();
    for (let cur: number | undefined = s; cur !== undefined; cur = parent.get(cur)) {
      const l = label(byId.get(cur)!);
      if (!match.test(l) || seen.has(l)) continue;
      seen.add(l);
      inclusive.set(l, (inclusive.get(l) ?? 0) + 1);
    }
  }
  return [...inclusive]
    .sort((a, b) => b[1] - a[1])
    .map(([fn, v]) => ({ fn, totalPct: Math.round((v / Math.max(1, total)) * 1000) / 10 }));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [file, topArg, matchArg] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: tsx bench/profileSummary.ts <file.cpuprofile> [top] [inclusive-regex]\n');
    process.exit(2);
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  console.log(`${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s profiled, ${profile.samples?.length ?? 0} samples`);
  console.log('self%  total%  function');
  for (const l of summariseProfile(profile, Number(topArg ?? 25)))
    console.log(`${l.selfPct.toFixed(1).padStart(5)}  ${l.totalPct.toFixed(1).padStart(6)}  ${l.fn}`);
  if (matchArg) {
    console.log(`\ninclusive, matching ${matchArg}:`);
    for (const l of inclusiveShare(profile, new RegExp(matchArg)).slice(0, 30))
      console.log(`${l.totalPct.toFixed(1).padStart(6)}  ${l.fn}`);
  }
}
