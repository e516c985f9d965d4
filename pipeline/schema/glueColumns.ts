import { type AvroField, type AvroRecordSchema, changeRecordAvroSchema } from './avroSchema.ts';
import { SchemaDefinitionError } from './errors.ts';

/**
 * Glue Data Catalog (Hive) columns of the landed Parquet, derived from the Avro schema so the
 * catalog cannot drift from what the writers write: the Avro types map to the Hive types
 * Athena reads the matching Parquet columns as (what parquet-avro and our encoder write for them).
 *
 * | Avro                                   | Parquet (written)                | Hive / Glue      |
 * | -------------------------------------- | -------------------------------- | ---------------- |
 * | string                                 | BYTE_ARRAY STRING                | `string`         |
 * | int · long                             | INT32 · INT64                    | `int` · `bigint` |
 * | boolean · float · double · bytes       | BOOLEAN · FLOAT · DOUBLE · BYTES | same names, `binary` |
 * | bytes/fixed + decimal(p,s)             | DECIMAL(p,s)                     | `decimal(p,s)`   |
 * | long + timestamp-millis/-micros        | TIMESTAMP(MILLIS/MICROS, UTC)    | `timestamp`      |
 * | int + date                             | DATE                             | `date`           |
 * | ["null", T] (either order)             | OPTIONAL                         | type of T        |
 *
 * Hive columns are all nullable, so a union with null only selects its other branch.
 * Athena's `timestamp` has no zone: it reads the UTC instant and shows it as UTC.
 */
export interface GlueColumn {
  readonly name: string;
  readonly type: string;
  readonly comment?: string;
}

/** Glue refuses a column comment longer than this. */
export const GLUE_COMMENT_MAX = 255;
/** Hive's (and Athena's) largest decimal precision. */
const HIVE_MAX_DECIMAL_PRECISION = 38;

const PRIMITIVES: Record<string, string> = {
  string: 'string',
  int: 'int',
  long: 'bigint',
  boolean: 'boolean',
  float: 'float',
  double: 'double',
  bytes: 'binary',
};

/** The Hive type of one Avro field type (a raw `.avsc` type: name, logical-type object or union). */
export function hiveTypeOf(fieldName: string, avroType: unknown): string {
  const fail = (why: string): never => {
    throw new SchemaDefinitionError(`schema: field ${fieldName} ${why}, which the Glue column mapping does not support`);
  };
  if (Array.isArray(avroType)) {
    const others = avroType.filter((t) => t !== 'null');
    if (avroType.length !== 2 || others.length !== 1) fail(`has the union ${JSON.stringify(avroType)} (only [null, T] is)`);
    return hiveTypeOf(fieldName, others[0]);
  }
  if (typeof avroType === 'string') return PRIMITIVES[avroType] ?? fail(`has Avro type ${avroType}`);
  if (typeof avroType !== 'object' || avroType === null) return fail(`has no Avro type (${JSON.stringify(avroType)})`);
  const t = avroType as { type?: unknown; logicalType?: unknown; precision?: unknown; scale?: unknown };
  switch (t.logicalType) {
    case 'decimal': {
      if (t.type !== 'bytes' && t.type !== 'fixed') fail(`has decimal on ${String(t.type)}`);
      const precision = t.precision;
      const scale = t.scale ?? 0;
      if (!Number.isInteger(precision) || (precision as number) < 1 || (precision as number) > HIVE_MAX_DECIMAL_PRECISION)
        fail(`has decimal precision ${String(precision)} (Hive takes 1 to ${HIVE_MAX_DECIMAL_PRECISION})`);
      if (!Number.isInteger(scale) || (scale as number) < 0 || (scale as number) > (precision as number))
        fail(`has decimal scale ${String(scale)} (0 to the precision)`);
      return `decimal(${precision},${scale})`;
    }
    case 'timestamp-millis':
    case 'timestamp-micros':
      return t.type === 'long' ? 'timestamp' : fail(`has ${t.logicalType} on ${String(t.type)}`);
    case 'date':
      return t.type === 'int' ? 'date' : fail(`has date on ${String(t.type)}`);
    case undefined:
      // A named type object without a logical type, e.g. {"type": "string"}.
      return typeof t.type === 'string' ? hiveTypeOf(fieldName, t.type) : fail(`has Avro type ${JSON.stringify(t.type)}`);
    default:
      return fail(`has logical type ${String(t.logicalType)}`);
  }
}

/** One Glue column per Avro field, in Avro (= Parquet) order, with the field's doc as comment. */
export function glueColumnsOf(schema: AvroRecordSchema = changeRecordAvroSchema): GlueColumn[] {
  return schema.fields.map((f: AvroField) => ({
    name: f.name,
    type: hiveTypeOf(f.name, f.type),
    ...(f.doc ? { comment: commentOf(f.doc) } : {}),
  }));
}

function commentOf(doc: string): string {
  return doc.length <= GLUE_COMMENT_MAX ? doc : `${doc.slice(0, GLUE_COMMENT_MAX - 1)}…`;
}

/** The change record's columns, as the `chargeback_changes` table declares them. */
export const CHANGE_RECORD_GLUE_COLUMNS: readonly GlueColumn[] = glueColumnsOf();
