import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from './tempDir.ts';
import { parseInfraConfig, type InfraConfig, type InfraConfigInput } from '../config/InfraConfig.ts';
import { namesOf, type Names } from '../config/names.ts';
import { buildApp, type BuildOptions, type ChargebackApp } from '../app.ts';
import type { PolicyDocument } from '../iam/PolicyDocument.ts';

/**
 * Synthesizes the whole app into a temp folder (with a stand-in Flink JAR) and returns each
 * stack's Terraform JSON, exactly what `cdktf deploy` and checkov get.
 */
export type TfBody = Record<string, unknown> & {
  '//'?: { metadata?: { path?: string }; checkov?: { skip?: { id: string; comment: string }[] } };
};
export interface TfJson {
  resource?: Record<string, Record<string, TfBody>>;
  data?: Record<string, Record<string, TfBody>>;
  output?: Record<string, { value: unknown; description?: string; sensitive?: boolean }>;
  terraform?: Record<string, unknown>;
  provider?: Record<string, unknown>;
  import?: { to: string; id: string }[];
}

export interface Synthesized {
  config: InfraConfig;
  names: Names;
  outdir: string;
  app: ChargebackApp;
  foundation: TfJson;
  api: TfJson;
  streaming: TfJson;
  consolidation: TfJson;
  monitoring: TfJson;
}

const scratch = tempDir('cdc-infra-test');
/** One bundle folder per test process: bundles are cached in it across synths. */
const buildDir = path.join(scratch, 'build');

export function placeholderJar(): string {
  const jar = path.join(scratch, 'placeholder-flink-job.jar');
  writeFileSync(jar, 'stand-in for pipeline/flink-job/target/chargeback-flink-job.jar (tests only)\n');
  return jar;
}

let counter = 0;

export function synth(input: InfraConfigInput = {}, options: BuildOptions = {}): Synthesized {
  // Always the stand-in JAR, whether or not someone has run npm run build:flink.
  const config = parseInfraConfig(
    { ...input, flink: { jarPath: path.join(scratch, 'no-such-flink-job.jar'), ...input.flink } },
    'test',
  );
  const outdir = mkdtempSync(path.join(scratch, `out-${++counter}-`));
  const app = buildApp(config, {
    outdir,
    buildDir,
    stateDir: path.join(scratch, 'state'),
    flinkJarPlaceholder: placeholderJar(),
    ...options,
  });
  app.app.synth();
  const read = (stackId: string) =>
    JSON.parse(readFileSync(path.join(outdir, 'stacks', stackId, 'cdk.tf.json'), 'utf8')) as TfJson;
  const names = namesOf(config);
  return {
    config,
    names,
    outdir,
    app,
    foundation: read(names.stacks.foundation),
    api: read(names.stacks.api),
    streaming: read(names.stacks.streaming),
    consolidation: read(names.stacks.consolidation),
    monitoring: read(names.stacks.monitoring),
  };
}

/** All resources of one type in a stack, as [logicalId, body]. */
export function resources(stack: TfJson, type: string): [string, TfBody][] {
  return Object.entries(stack.resource?.[type] ?? {});
}

/** The one resource of a type whose construct path ends with `pathSuffix` (or the only one). */
export function resource(stack: TfJson, type: string, pathSuffix?: string): TfBody {
  const all = resources(stack, type).filter(([, b]) => !pathSuffix || (b['//']?.metadata?.path ?? '').endsWith(pathSuffix));
  if (all.length !== 1)
    throw new Error(
      `expected one ${type}${pathSuffix ? ` at …${pathSuffix}` : ''}, found ${all.length}: ${all.map(([id]) => id).join(', ')}`,
    );
  return all[0]![1];
}

export function dataSource(stack: TfJson, type: string): TfBody[] {
  return Object.values(stack.data?.[type] ?? {});
}

/** `${aws_x.logical.attr}` reference to a resource of the same stack. */
export function ref(stack: TfJson, type: string, body: TfBody, attr: string): string {
  const id = Object.entries(stack.resource?.[type] ?? {}).find(([, b]) => b === body)?.[0];
  if (!id) throw new Error(`resource not in stack: ${type}`);
  return `\${${type}.${id}.${attr}}`;
}

export function policyOf(body: TfBody, attr = 'policy'): PolicyDocument {
  return JSON.parse(body[attr] as string) as PolicyDocument;
}

/** The statement with this Sid (fails the test when absent). */
export function statement(doc: PolicyDocument, sid: string) {
  const s = doc.Statement.find((x) => x.Sid === sid);
  if (!s) throw new Error(`no statement ${sid} in ${doc.Statement.map((x) => x.Sid).join(', ')}`);
  return s;
}

export function stacksOf(s: Synthesized): [string, TfJson][] {
  return [
    ['foundation', s.foundation],
    ['api', s.api],
    ['streaming', s.streaming],
    ['consolidation', s.consolidation],
    ['monitoring', s.monitoring],
  ];
}
