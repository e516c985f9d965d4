import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseJavaMajor, parsePythonVersion } from './toolchain.ts';

describe('parseJavaMajor', () => {
  it('reads modern and legacy version strings', () => {
    assert.equal(parseJavaMajor('openjdk version "17.0.15" 2025-04-15\nOpenJDK Runtime Environment'), 17);
    assert.equal(parseJavaMajor('openjdk version "21" 2023-09-19'), 21);
    assert.equal(parseJavaMajor('java version "1.8.0_392"'), 8);
    assert.equal(parseJavaMajor('openjdk version "25-ea" 2025-09-16'), 25);
  });

  it('gives undefined for output it does not recognise', () => {
    assert.equal(parseJavaMajor('command not found'), undefined);
  });
});

describe('parsePythonVersion', () => {
  it('reads major and minor', () => {
    assert.deepEqual(parsePythonVersion('Python 3.11.7'), [3, 11]);
    assert.deepEqual(parsePythonVersion('Python 3.9.2\n'), [3, 9]);
    assert.equal(parsePythonVersion('python: not found'), undefined);
  });
});
