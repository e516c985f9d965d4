import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ensureFlinkJarBuilt, flinkJarPath } from '../../pipeline/flink-job/index.ts';
import { canonicalAmount, parquetSchemaElements, type ChangeRecord } from '../../pipeline/schema/index.ts';
import { ensurePyarrow } from '../../steps/support/independentReader.ts';

/**
 * The two independent readers of the engine comparison, and what "identical" means:
 * - pyarrow (pinned, in its own venv — the acceptance suite's independent reader);
 * - the Flink job's reader: parquet-avro from the job's JAR with the job's Avro schema as the read
 *   schema (bench/java/ParquetReadBack.java).
 * Rows are identical when each reader returns exactly the source records (amounts in canonical
 * form, timestamps as ISO-8601 UTC millis), in any order. pyarrow's schema is identical when every
 * column has the contract's physical type, logical type and nullability (DESIGN §2); whether a
 * logical type was written as such or implied by a legacy converted type does not count.
 */
const run = promisify(execFile);
const HERE = fileURLToPath(new URL('.', import.meta.url));

export type ReadOutcome = { rows: Array<Record<string, unknown>>; schema?: SchemaColumn[] } | { error: string };
export interface SchemaColumn {
  name: string;
  physical_type: string;
  logical_type: string;
  nullable: boolean;
}

export async function readWithPyarrow(files: string[]): Promise<Map<string, ReadOutcome>> {
  const python = await ensurePyarrow();
  const { stdout } = await run(python, [`${HERE}../../scripts/parquet_dump.py`, ...files], { maxBuffer: 1024 * 1024 * 1024 });
  return byPath((JSON.parse(stdout) as { files: Array<{ path: string } & ReadOutcome> }).files);
}

export async function readWithFlinkReader(files: string[]): Promise<Map<string, ReadOutcome>> {
  await ensureFlinkJarBuilt();
  const jar = flinkJarPath();
  const classpath = `${jar}:${readFileSync(jar.replace(/chargeback-flink-job\.jar$/, 'provided-classpath.txt'), 'utf8').trim()}`;
  const { stdout } = await run('java', ['-cp', classpath, `${HERE}../java/ParquetReadBack.java`, ...files], {
    maxBuffer: 1024 * 1024 * 1024,
  });
  const json = stdout.slice(stdout.indexOf('{"files"'));
  return byPath((JSON.parse(json) as { files: Array<{ path: string } & ReadOutcome> }).files);
}

function byPath(files: Array<{ path: string } & ReadOutcome>): Map<string, ReadOutcome> {
  return new Map(files.map(({ path, ...rest }) => [path, rest as ReadOutcome]));
}

const canon = (r: object): string => JSON.stringify(Object.fromEntries(Object.entries(r).sort(([a], [b]) => a.localeCompare(b))));

export interface Comparison {
  identical: boolean;
  /** The first difference, for the report. */
  difference?: string;
}

export function compareRows(outcome: ReadOutcome | undefined, expected: readonly ChangeRecord[]): Comparison {
  if (!outcome) return { identical: false, difference: 'the reader returned nothing for this file' };
  if ('error' in outcome) return { identical: false, difference: outcome.error };
  const want = new Map(expected.map((r) => [r.event_id, canon({ ...r, amount: canonicalAmount(r.amount) })]));
  if (outcome.rows.length !== want.size)
    return { identical: false, difference: `${outcome.rows.length} rows read, ${want.size} written` };
  for (const row of outcome.rows) {
    const got = canon(row);
    const w = want.get(String(row.event_id));
    if (got !== w)
      return { identical: false, difference: `row ${String(row.event_id)}: read ${got}, wrote ${w ?? '(no such event_id)'}` };
  }
  return { identical: true };
}

/** The contract's columns in pyarrow's vocabulary, derived from the one schema. */
export function contractSchema(): SchemaColumn[] {
  return parquetSchemaElements()
    .slice(1)
    .map((el) => {
      const lt = el.logical_type;
      const logical =
        lt?.type === 'STRING'
          ? 'String'
          : lt?.type === 'DECIMAL'
            ? `Decimal(precision=${lt.precision}, scale=${lt.scale})`
            : lt?.type === 'TIMESTAMP'
              ? `Timestamp(isAdjustedToUTC=${lt.isAdjustedToUTC}, timeUnit=milliseconds)`
              : 'None';
      return { name: el.name, physical_type: el.type!, logical_type: logical, nullable: el.repetition_type === 'OPTIONAL' };
    });
}

/** pyarrow prints how a logical type was derived; that is not a difference readers see. */
export function normaliseLogicalType(s: string): string {
  return s.replace(/, is_from_converted_type=\w+, force_set_converted_type=\w+/, '');
}

export function compareSchema(outcome: ReadOutcome | undefined): Comparison {
  if (!outcome || 'error' in outcome || !outcome.schema)
    return { identical: false, difference: outcome && 'error' in outcome ? outcome.error : 'no schema read' };
  const want = contractSchema();
  // Only what the contract names: the dump script also reports e.g. converted_type, which readers derive.
  const got = outcome.schema.map((c) => ({
    name: c.name,
    physical_type: c.physical_type,
    logical_type: normaliseLogicalType(c.logical_type),
    nullable: c.nullable,
  }));
  for (const w of want) {
    const g = got.find((c) => c.name === w.name);
    if (!g) return { identical: false, difference: `column ${w.name} missing` };
    if (canon(g) !== canon(w)) {
      return {
        identical: false,
        difference: `${w.name}: ${g.physical_type} ${g.logical_type}${g.nullable ? ' OPTIONAL' : ''}, contract ${w.physical_type} ${w.logical_type}${w.nullable ? ' OPTIONAL' : ''}`,
      };
    }
  }
  return got.length === want.length
    ? { identical: true }
    : { identical: false, difference: `${got.length} columns, contract ${want.length}` };
}
