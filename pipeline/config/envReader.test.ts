import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { definedOnly, envReader } from './envReader.ts';

class ExampleConfigError extends Error {}

describe('envReader', () => {
  it('treats an empty variable as unset and reads numbers', () => {
    const { str, num } = envReader({ A: '', B: 'x', N: '42', M: '' }, (m) => new ExampleConfigError(m));
    assert.equal(str('A'), undefined);
    assert.equal(str('B'), 'x');
    assert.equal(str('MISSING'), undefined);
    assert.equal(num('N'), 42);
    assert.equal(num('M'), undefined);
  });

  it("fails with the variable named, as the component's own error, when a number is not one", () => {
    const { num } = envReader({ ROLLOVER_MS: 'soon' }, (m) => new ExampleConfigError(m));
    assert.throws(
      () => num('ROLLOVER_MS'),
      (e: Error) => e instanceof ExampleConfigError && e.message === 'ROLLOVER_MS="soon" is not a number',
    );
  });

  it('definedOnly drops undefined values and keeps the others, falsy ones included', () => {
    assert.deepEqual(definedOnly({ a: undefined, b: 0, c: '', d: 'x' }), { b: 0, c: '', d: 'x' });
  });
});
