import { SchemaDefinitionError } from './errors.ts';

/** One field of a mapped record: its name, and how its value is converted (omitted: copied as it is). */
export interface FieldMapping {
  readonly name: string;
  // biome-ignore lint/suspicious/noExplicitAny: each converter takes the value type of its own field
  readonly convert?: (value: any) => unknown;
}

/** Avro's name rule (letters, digits, underscore, not starting with a digit): always a valid JS identifier. */
const AVRO_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Builds, once, a function that makes a new object holding `fields` of its source, in that order,
 * each converted as told, and nothing else. It is generated code with the fields written out, not
 * a loop over the list: per record, an object literal is an order of magnitude cheaper than keyed
 * stores in a loop, and these mappers run on the writer's and the stream processor's hot paths.
 * The field list comes from the Avro schema in the repository; names are checked against Avro's
 * name rule so the generated text can only ever be property names.
 */
export function compileFieldMapper<Out>(fields: readonly FieldMapping[]): (source: object) => Out {
  for (const f of fields) {
    if (!AVRO_NAME.test(f.name) || f.name === '__proto__')
      throw new SchemaDefinitionError(
        `schema: field name ${JSON.stringify(f.name)} is not an Avro name; cannot build a record mapper`,
      );
  }
  const params = fields.map((_, i) => `convert${i}`);
  const props = fields.map((f, i) => `${f.name}: ${f.convert ? `convert${i}(source.${f.name})` : `source.${f.name}`}`);
  const factory = new Function(...params, `return function mapFields(source) { return { ${props.join(', ')} }; };`);
  return factory(...fields.map((f) => f.convert));
}
