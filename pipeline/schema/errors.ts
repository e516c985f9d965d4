/** Schema errors. Bad records are never errors here (they are field errors, see FieldError.ts): only a broken schema is. */
import { CdcError } from '../errors/index.ts';

/**
 * The Avro schema, or something derived from it, cannot be used: a field with no validation rule, a
 * type the Parquet mapping does not know, a name that is not an Avro name. Raised at module load,
 * so a schema change that the code does not follow fails at start-up instead of on a record.
 */
export class SchemaDefinitionError extends CdcError {
  static override readonly code: string = 'SCHEMA_DEFINITION';
}
