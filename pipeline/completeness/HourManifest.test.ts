import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { buildManifest, encodeManifest, type HourFile } from './HourManifest.ts';

const HOUR = '2026-01-31/23';
const LOC = 's3://b/landing/chargebacks/2026-01-31/23/';

describe('hour manifest', () => {
  it('lists the files, the row count and count and exact sum per currency', () => {
    const files: HourFile[] = [
      {
        key: `${LOC}part-1.parquet`,
        bytes: 10,
        rows: [
          { currency: 'USD', amount: '0.1' },
          { currency: 'JPY', amount: '125000' },
        ],
      },
      {
        key: `${LOC}part-0.parquet`,
        bytes: 20,
        rows: [
          { currency: 'USD', amount: '0.2' },
          { currency: 'KWD', amount: '12.345' },
        ],
      },
    ];
    assert.deepEqual(buildManifest(HOUR, LOC, files), {
      manifestVersion: 1,
      hour: HOUR,
      location: LOC,
      files: [
        { key: `${LOC}part-0.parquet`, bytes: 20, rows: 2 },
        { key: `${LOC}part-1.parquet`, bytes: 10, rows: 2 },
      ],
      rows: 4,
      // 0.1 + 0.2 is 0.3 exactly (a float would say 0.30000000000000004)
      currencies: {
        JPY: { rows: 1, amount: '125000.0000' },
        KWD: { rows: 1, amount: '12.3450' },
        USD: { rows: 2, amount: '0.3000' },
      },
    });
  });

  it('an empty hour has a manifest too: no files, zero rows', () => {
    assert.deepEqual(buildManifest(HOUR, LOC, []), {
      manifestVersion: 1,
      hour: HOUR,
      location: LOC,
      files: [],
      rows: 0,
      currencies: {},
    });
  });

  const amountArb = fc
    .tuple(fc.bigInt({ min: 0n, max: 99_999_999_999_999n }), fc.integer({ min: 0, max: 4 }))
    .filter(([u]) => u > 0n)
    .map(([u, d]) => {
      const s = u.toString().padStart(d + 1, '0');
      return { text: d === 0 ? s : `${s.slice(0, -d)}.${s.slice(-d)}`, unscaled: u * 10n ** BigInt(4 - d) };
    });
  const filesArb = fc.uniqueArray(
    fc.record({
      name: fc.stringMatching(/^part-[0-9a-f]{1,6}\.parquet$/),
      rows: fc.array(fc.record({ currency: fc.constantFrom('USD', 'EUR', 'JPY', 'KWD'), amount: amountArb }), { maxLength: 20 }),
    }),
    { maxLength: 6, selector: (f) => f.name },
  );

  it('sums exactly whatever the amounts, and is the same bytes in any file order (property)', () => {
    fc.assert(
      fc.property(filesArb, fc.nat(), (specs, seed) => {
        const files: HourFile[] = specs.map((s, i) => ({
          key: `${LOC}${s.name}`,
          bytes: i,
          rows: s.rows.map((r) => ({ currency: r.currency, amount: r.amount.text })),
        }));
        const m = buildManifest(HOUR, LOC, files);
        const expected = new Map<string, bigint>();
        for (const s of specs)
          for (const r of s.rows) expected.set(r.currency, (expected.get(r.currency) ?? 0n) + r.amount.unscaled);
        for (const [c, u] of expected) assert.equal(BigInt(m.currencies[c]!.amount.replace('.', '')), u, c);
        assert.equal(
          m.rows,
          specs.reduce((n, s) => n + s.rows.length, 0),
        );
        const shuffled = [...files].sort(() => (seed % 2 ? 1 : -1));
        assert.deepEqual(encodeManifest(buildManifest(HOUR, LOC, shuffled.reverse())), encodeManifest(m));
      }),
    );
  });
});
