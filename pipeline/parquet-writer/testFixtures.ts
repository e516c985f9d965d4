import fc from 'fast-check';
import { canonicalAmount, CHARGEBACK_STATUSES, EVENT_TYPES, type ChangeRecord, type ChargebackStatus } from '../schema/index.ts';

/** Shared factories for the writer's tests (Prepare step): one valid change record, and an arbitrary of them. */

export function changeRecord(i: number, overrides: Partial<ChangeRecord> = {}): ChangeRecord {
  const t = Date.UTC(2026, 0, 31, 23, 59, 0) + i;
  return {
    schema_version: 1,
    event_id: `evt-${i.toString().padStart(8, '0')}`,
    event_type: 'INSERT',
    sequence_number: String(100_000_000_000_000_000_000n + BigInt(i)),
    event_time: new Date(t).toISOString(),
    chargeback_id: `cb-${i}`,
    merchant_id: `m-${i % 97}`,
    amount: `${(i % 100_000) + 1}.${String(i % 100).padStart(2, '0')}`,
    currency: 'USD',
    reason: `reason ${i}: item not received — ünïcødé ✓`,
    status: 'RECEIVED',
    previous_status: null,
    created_at: new Date(t - 1000).toISOString(),
    updated_at: new Date(t).toISOString(),
    ...overrides,
  };
}

/** What a record reads back as from Parquet: the same, with the amount in canonical form ("1.50" → "1.5"). */
export function asLanded(r: ChangeRecord): ChangeRecord {
  return { ...r, amount: canonicalAmount(r.amount) };
}

/** Currencies with every ISO 4217 exponent the schema supports (0, 2, 3, 4). */
const CURRENCIES: ReadonlyArray<readonly [string, number]> = [
  ['JPY', 0],
  ['USD', 2],
  ['EUR', 2],
  ['KWD', 3],
  ['BHD', 3],
  ['CLF', 4],
];

const nonBlank = (maxLength: number) =>
  fc.string({ unit: 'grapheme', minLength: 1, maxLength }).filter((s) => s.length <= maxLength && s.trim().length > 0);

const isoMillis = fc.integer({ min: Date.UTC(1971, 0, 1), max: Date.UTC(2199, 11, 31) }).map((ms) => new Date(ms).toISOString());

/** A positive amount with at most the currency's decimals and at most 14 integer digits (DECIMAL(18,4)). */
const amountFor = (decimals: number) =>
  fc.bigInt({ min: 1n, max: 10n ** BigInt(14 + decimals) - 1n }).map((unscaled) => {
    if (decimals === 0) return unscaled.toString();
    const digits = unscaled.toString().padStart(decimals + 1, '0');
    return `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
  });

export const changeRecordArbitrary: fc.Arbitrary<ChangeRecord> = fc
  .record({
    event_id: nonBlank(256),
    event_type: fc.constantFrom(...EVENT_TYPES),
    sequence_number: fc.bigInt({ min: 0n, max: 10n ** 40n - 1n }).map(String),
    event_time: isoMillis,
    chargeback_id: nonBlank(128),
    merchant_id: nonBlank(128),
    money: fc
      .constantFrom(...CURRENCIES)
      .chain(([currency, decimals]) => amountFor(decimals).map((amount) => ({ amount, currency }))),
    reason: fc.oneof(nonBlank(40), nonBlank(2000), fc.constant(`${'r'.repeat(1999)}é`)),
    status: fc.constantFrom(...CHARGEBACK_STATUSES),
    previous_status: fc.option(fc.constantFrom<ChargebackStatus>(...CHARGEBACK_STATUSES), { nil: null }),
    created_at: isoMillis,
    updated_at: isoMillis,
  })
  .map(({ money, ...r }) => ({ schema_version: 1, ...r, ...money }));
