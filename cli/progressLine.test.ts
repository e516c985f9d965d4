import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { progressLine } from './progressLine.ts';

function sink(isTTY: boolean) {
  const written: string[] = [];
  return { written, stream: { isTTY, write: (s: string) => written.push(s) > 0 } };
}

describe('progressLine', () => {
  it('rewrites one line in place on a terminal and erases it on clear', () => {
    const { written, stream } = sink(true);
    const p = progressLine(stream);
    p.update('reading: 1/2');
    p.update('reading: 2/2');
    p.clear();
    assert.deepEqual(written, ['\r\x1b[2Kreading: 1/2', '\r\x1b[2Kreading: 2/2', '\r\x1b[2K']);
  });

  it('writes plain lines, at most one per interval, and no control codes where stderr is not a terminal', () => {
    const { written, stream } = sink(false);
    let t = 0;
    const p = progressLine(stream, 5_000, () => t);
    p.update('reading: 1/3');
    t = 1_000;
    p.update('reading: 2/3');
    t = 6_000;
    p.update('reading: 3/3');
    t = 7_000;
    p.update('reading: 4/4');
    p.clear();
    p.finish('done: 4/4');
    assert.deepEqual(written, ['reading: 1/3\n', 'reading: 3/3\n', 'done: 4/4\n']);
  });
});
