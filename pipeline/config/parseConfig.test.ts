import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { parseConfig } from './parseConfig.ts';

class ExampleConfigError extends Error {}
const Schema = z.object({ bucket: z.string().min(1), rolloverMs: z.number().int().min(1).default(60_000) });
const fail = (m: string) => new ExampleConfigError(m);

describe('parseConfig', () => {
  it('returns the parsed config with its defaults', () => {
    assert.deepEqual(parseConfig(Schema, { bucket: 'b' }, 'example', fail), { bucket: 'b', rolloverMs: 60_000 });
  });

  it("names every invalid field at once, in the component's own error", () => {
    assert.throws(
      () => parseConfig(Schema, { bucket: '', rolloverMs: 0.5 }, 'example', fail),
      (e: Error) => e instanceof ExampleConfigError && /^invalid example config: bucket: .+; rolloverMs: .+/.test(e.message),
    );
  });
});
