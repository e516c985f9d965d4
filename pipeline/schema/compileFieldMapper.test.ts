import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileFieldMapper } from './compileFieldMapper.ts';
import { SchemaDefinitionError } from './errors.ts';

test('keeps only the listed fields, in the listed order, converting those that say how', () => {
  const map = compileFieldMapper<Record<string, unknown>>([
    { name: 'b' },
    { name: 'a', convert: (v: number) => v * 10 },
    { name: 'missing' },
  ]);
  const out = map({ a: 1, b: 'x', extra: true });
  assert.deepEqual(Object.keys(out), ['b', 'a', 'missing']);
  assert.deepEqual(out, { b: 'x', a: 10, missing: undefined });
});

test('refuses names that are not Avro names, so the generated code can only hold property names', () => {
  for (const name of ['a-b', '1a', 'a; process.exit()', '__proto__', ''])
    assert.throws(
      () => compileFieldMapper([{ name }]),
      (e) => e instanceof SchemaDefinitionError && e.code === 'SCHEMA_DEFINITION' && /is not an Avro name/.test(e.message),
    );
});
