import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CsvSyntaxError, encodeCsvField, encodeCsvRecord, parseCsv } from './csvCodec.ts';

/** Strings weighted towards what CSV gets wrong: separators, quotes, CR, LF, emoji (surrogate pairs). */
const fieldArb = fc.oneof(
  fc.string({ unit: fc.constantFrom(',', '"', '\r', '\n', 'a', ' ', '😀', 'ä', '\u2028') }),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
);
const tableArb = fc
  .integer({ min: 1, max: 5 })
  .chain((width) => fc.array(fc.array(fieldArb, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 8 }));

describe('RFC 4180 field encoder', () => {
  it('round-trips arbitrary strings (emoji, CR, LF, quotes, commas) through a strict RFC 4180 parser', () => {
    fc.assert(
      fc.property(tableArb, (table) => {
        const text = table.map(encodeCsvRecord).join('');
        assert.deepEqual(parseCsv(text), table);
        // UTF-8 on the way to bytes and back loses nothing either (lone surrogates aside, which UTF-8 cannot hold).
        if (!/[\uD800-\uDFFF]/u.test(text.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, '')))
          assert.equal(new TextDecoder().decode(new TextEncoder().encode(text)), text);
      }),
      { numRuns: 500 },
    );
  });

  it('quotes exactly the fields holding a comma, quote, CR or LF, doubling quotes', () => {
    assert.equal(encodeCsvField('plain 😀'), 'plain 😀');
    assert.equal(encodeCsvField(''), '');
    assert.equal(encodeCsvField('a,b'), '"a,b"');
    assert.equal(encodeCsvField('say "hi"'), '"say ""hi"""');
    assert.equal(encodeCsvField('line\r\nnext'), '"line\r\nnext"');
    assert.equal(encodeCsvField('lf\n'), '"lf\n"');
    assert.equal(encodeCsvRecord(['a', 'b,c', '']), 'a,"b,c",\r\n');
  });

  it('the parser refuses what RFC 4180 does not allow, naming the place', () => {
    for (const bad of ['a,b\n', 'a,b', 'a"b\r\n', '"open\r\n', '"x"y\r\n', 'a,b\r\nc\r\n', 'a,\r\nb,c,d\r\n', 'a,']) {
      assert.throws(() => parseCsv(bad), CsvSyntaxError, JSON.stringify(bad));
    }
    assert.throws(() => parseCsv('a\nb\r\n'), /character 1: LF without CR/);
  });
});
