import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ChangeRecord } from './changeRecord.ts';
import { SchemaDefinitionError } from './errors.ts';

/**
 * The one schema (DESIGN §2) lives in `chargeback-change.avsc`. This module reads it and is the
 * only place TypeScript learns field names and types; validators and the Parquet schema are
 * derived from it, and `avroSchema.test.ts` fails when they drift apart.
 */

export type AvroPrimitive = 'int' | 'long' | 'string' | 'bytes' | 'boolean' | 'double' | 'float' | 'null';
export interface AvroLogical {
  type: AvroPrimitive;
  logicalType: 'decimal' | 'timestamp-millis';
  precision?: number;
  scale?: number;
}
export type AvroFieldType = AvroPrimitive | AvroLogical | ['null', AvroPrimitive | AvroLogical];
export interface AvroField {
  name: string;
  type: AvroFieldType;
  doc?: string;
  default?: unknown;
}
export interface AvroRecordSchema {
  type: 'record';
  name: string;
  namespace: string;
  fields: AvroField[];
}

export const AVRO_SCHEMA_PATH = fileURLToPath(new URL('./chargeback-change.avsc', import.meta.url));

export const changeRecordAvroSchema: AvroRecordSchema = JSON.parse(readFileSync(AVRO_SCHEMA_PATH, 'utf8'));

/** A change-record field name; `avroSchema.test.ts` checks the Avro names are exactly the TypeScript type's keys. */
export type ChangeRecordFieldName = keyof ChangeRecord;

/** The change record's field names in Avro order: the wire JSON's key order and the Parquet column order. */
export const CHANGE_RECORD_FIELDS: readonly ChangeRecordFieldName[] = changeRecordAvroSchema.fields.map(
  (f) => f.name as ChangeRecordFieldName,
);

/** What a change-record field holds, in the terms code on both sides of the topic needs. */
export interface ChangeRecordFieldSpec {
  readonly name: ChangeRecordFieldName;
  /** Avro primitive, or the logical type when there is one (decimal on bytes, timestamp-millis on long). */
  readonly kind: AvroPrimitive | AvroLogical['logicalType'];
  readonly nullable: boolean;
  readonly precision?: number;
  readonly scale?: number;
}

/** One spec per field, in Avro order (same order as CHANGE_RECORD_FIELDS). */
export const CHANGE_RECORD_FIELD_SPECS: readonly ChangeRecordFieldSpec[] = changeRecordAvroSchema.fields.map(specOf);

function specOf(field: AvroField): ChangeRecordFieldSpec {
  const t = baseType(field);
  const name = field.name as ChangeRecordFieldName;
  const nullable = isNullable(field);
  if (typeof t === 'string') return { name, kind: t, nullable };
  return t.logicalType === 'decimal'
    ? { name, kind: t.logicalType, nullable, precision: t.precision ?? 18, scale: t.scale ?? 0 }
    : { name, kind: t.logicalType, nullable };
}

/** A field is nullable exactly when its Avro type is a union with null. */
export function isNullable(field: AvroField): boolean {
  return Array.isArray(field.type) && field.type[0] === 'null';
}

export function baseType(field: AvroField): AvroPrimitive | AvroLogical {
  return Array.isArray(field.type) ? field.type[1] : field.type;
}

/**
 * Parquet schema elements (hyparquet-writer's SchemaElement shape) for the change record,
 * mirroring what parquet-avro writes for the same Avro schema in the Flink job:
 * string → BYTE_ARRAY/STRING, int → INT32, bytes+decimal → BYTE_ARRAY/DECIMAL,
 * long+timestamp-millis → INT64/TIMESTAMP(MILLIS, UTC), union with null → OPTIONAL.
 */
export interface ParquetSchemaElement {
  name: string;
  type?: 'BOOLEAN' | 'INT32' | 'INT64' | 'FLOAT' | 'DOUBLE' | 'BYTE_ARRAY' | 'FIXED_LEN_BYTE_ARRAY';
  repetition_type?: 'REQUIRED' | 'OPTIONAL';
  converted_type?: 'UTF8' | 'DECIMAL' | 'TIMESTAMP_MILLIS';
  logical_type?:
    | { type: 'STRING' }
    | { type: 'DECIMAL'; precision: number; scale: number }
    | { type: 'TIMESTAMP'; isAdjustedToUTC: boolean; unit: 'MILLIS' };
  precision?: number;
  scale?: number;
  num_children?: number;
}

export function parquetSchemaElements(schema: AvroRecordSchema = changeRecordAvroSchema): ParquetSchemaElement[] {
  const root: ParquetSchemaElement = { name: schema.name, num_children: schema.fields.length };
  return [root, ...schema.fields.map(parquetElementOf)];
}

function parquetElementOf(field: AvroField): ParquetSchemaElement {
  const repetition_type = isNullable(field) ? 'OPTIONAL' : 'REQUIRED';
  const t = baseType(field);
  if (typeof t === 'string') {
    switch (t) {
      case 'string':
        return {
          name: field.name,
          repetition_type,
          type: 'BYTE_ARRAY',
          converted_type: 'UTF8',
          logical_type: { type: 'STRING' },
        };
      case 'int':
        return { name: field.name, repetition_type, type: 'INT32' };
      case 'long':
        return { name: field.name, repetition_type, type: 'INT64' };
      default:
        throw new SchemaDefinitionError(
          `schema: field ${field.name} has Avro type ${t}, which the Parquet mapping does not support`,
        );
    }
  }
  if (t.logicalType === 'decimal' && t.type === 'bytes') {
    const precision = t.precision ?? 18;
    const scale = t.scale ?? 0;
    return {
      name: field.name,
      repetition_type,
      type: 'BYTE_ARRAY',
      converted_type: 'DECIMAL',
      precision,
      scale,
      logical_type: { type: 'DECIMAL', precision, scale },
    };
  }
  if (t.logicalType === 'timestamp-millis' && t.type === 'long') {
    return {
      name: field.name,
      repetition_type,
      type: 'INT64',
      converted_type: 'TIMESTAMP_MILLIS',
      logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
    };
  }
  throw new SchemaDefinitionError(
    `schema: field ${field.name} has logical type ${t.logicalType} on ${t.type}, which is not supported`,
  );
}
