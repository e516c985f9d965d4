import { AMOUNT_SCALE } from '../schema/index.ts';
import type { CurrencyTotal } from '../completeness/index.ts';

/**
 * Count and exact sum of `amount` per currency, on unscaled integers (DECIMAL(18,4)), printed at
 * the column's scale like the hour manifests ("3999.6000"), so the two compare as text.
 */
export class CurrencyTotals {
  private readonly sums = new Map<string, { rows: number; unscaled: bigint }>();

  add(currency: string, unscaled: bigint, rows = 1): void {
    const s = this.sums.get(currency) ?? { rows: 0, unscaled: 0n };
    s.rows += rows;
    s.unscaled += unscaled;
    this.sums.set(currency, s);
  }

  /** Adds totals as a manifest prints them (an hour manifest's `currencies`). */
  addPrinted(totals: Readonly<Record<string, CurrencyTotal>>): void {
    for (const [currency, t] of Object.entries(totals)) this.add(currency, parseFixed(t.amount), t.rows);
  }

  /** Adds one row whose amount is decimal text (a CSV cell, "99.9900"). */
  addText(currency: string, amount: string): void {
    this.add(currency, parseFixed(amount));
  }

  /** Currencies sorted, amounts at scale 4. */
  toJSON(): Record<string, CurrencyTotal> {
    const out: Record<string, CurrencyTotal> = {};
    for (const c of [...this.sums.keys()].sort()) {
      const s = this.sums.get(c)!;
      out[c] = { rows: s.rows, amount: fixedText(s.unscaled, AMOUNT_SCALE) };
    }
    return out;
  }
}

/** Unscaled integer → decimal text with exactly `scale` places ("3999.6000" at scale 4). */
export function fixedText(unscaled: bigint, scale: number): string {
  const sign = unscaled < 0n ? '-' : '';
  const digits = (unscaled < 0n ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  return scale === 0 ? `${sign}${digits}` : `${sign}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

function parseFixed(amount: string): bigint {
  const m = /^(-?)([0-9]+)(?:\.([0-9]{0,4}))?$/.exec(amount);
  if (!m) throw new TypeError(`amount ${JSON.stringify(amount)} is not a decimal with at most ${AMOUNT_SCALE} places`);
  const v = BigInt(`${m[2]}${(m[3] ?? '').padEnd(AMOUNT_SCALE, '0')}`);
  return m[1] ? -v : v;
}
