import cc from 'currency-codes';

/**
 * Exact money. Amounts travel as decimal strings ("99.99"), are stored in DynamoDB as N
 * (exact up to 38 digits) and land in Parquet as DECIMAL(18,4). No code path ever turns
 * an amount into a binary float.
 */

/** Scale and precision of the landed DECIMAL column; scale 4 holds every ISO 4217 minor unit (0..4). */
export const AMOUNT_SCALE = 4;
export const AMOUNT_PRECISION = 18;

const DECIMAL = /^(0|[1-9][0-9]*)(\.([0-9]+))?$/;

/** ISO 4217 minor unit (number of decimals) of a currency, or undefined for an unknown code. */
export function minorUnitOf(currency: string): number | undefined {
  // currency-codes looks codes up by a linear scan; every record asks twice, so remember the answers.
  const known = MINOR_UNITS.get(currency);
  if (known !== undefined || MINOR_UNITS.has(currency)) return known;
  if (!/^[A-Z]{3}$/.test(currency)) return undefined;
  const entry = cc.code(currency);
  MINOR_UNITS.set(currency, entry ? entry.digits : undefined);
  return entry ? entry.digits : undefined;
}

/** Valid-looking codes only (three capitals), so the cache holds at most the 17 576 possible ones. */
const MINOR_UNITS = new Map<string, number | undefined>();

/** Every problem with an amount for a given currency (empty when valid). */
export function amountProblems(amount: string, currency: string | undefined): string[] {
  const m = DECIMAL.exec(amount);
  if (!m) return ['must be a positive decimal number such as "99.99" (no sign, exponent or spaces)'];
  const problems: string[] = [];
  const integerDigits = m[1]!.length;
  const decimals = m[3]?.length ?? 0;
  if (/^0(\.0*)?$/.test(amount)) problems.push('must be greater than 0');
  if (integerDigits > AMOUNT_PRECISION - AMOUNT_SCALE) {
    problems.push(`has ${integerDigits} integer digits; at most ${AMOUNT_PRECISION - AMOUNT_SCALE} are allowed`);
  }
  const minor = currency === undefined ? undefined : minorUnitOf(currency);
  if (minor !== undefined && decimals > minor) {
    problems.push(`has ${decimals} decimal places but ${currency} allows at most ${minor}`);
  } else if (minor === undefined && decimals > AMOUNT_SCALE) {
    problems.push(`has ${decimals} decimal places; no currency allows more than ${AMOUNT_SCALE}`);
  }
  return problems;
}

/** The unscaled integer of an amount at `scale` (exact; throws if the amount has more decimals). */
export function toUnscaled(amount: string, scale = AMOUNT_SCALE): bigint {
  const m = DECIMAL.exec(amount);
  if (!m) throw new RangeError(`not a decimal amount: ${JSON.stringify(amount)}`);
  const frac = m[3] ?? '';
  if (frac.length > scale) throw new RangeError(`amount ${amount} has more than ${scale} decimal places`);
  return BigInt(m[1]! + frac.padEnd(scale, '0'));
}

/** Canonical decimal string of an unscaled integer: no trailing fractional zeros ("99.9", "1000"). */
export function fromUnscaled(unscaled: bigint, scale = AMOUNT_SCALE): string {
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const int = digits.slice(0, digits.length - scale);
  const frac = digits.slice(digits.length - scale).replace(/0+$/, '');
  return `${negative ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;
}

/** Canonical form of a decimal string, so "99.10" and "99.1" compare equal. */
export function canonicalAmount(amount: string): string {
  const m = DECIMAL.exec(amount);
  if (!m) throw new RangeError(`not a decimal amount: ${JSON.stringify(amount)}`);
  const frac = (m[3] ?? '').replace(/0+$/, '');
  return frac ? `${m[1]}.${frac}` : m[1]!;
}
