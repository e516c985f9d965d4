import {
  DuckDBArrayValue,
  DuckDBDecimalValue,
  DuckDBListValue,
  DuckDBMapValue,
  DuckDBStructValue,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBUnionValue,
  type DuckDBValue,
} from '@duckdb/node-api';

/**
 * One value of a query result in a form every output format can print exactly: a DECIMAL is
 * its exact decimal text (never a binary float), a 64/128-bit integer a bigint, a timestamp
 * ISO-8601 text (`Z` when the value is an instant, i.e. TIMESTAMP WITH TIME ZONE), nested
 * values arrays and objects.
 */
export type Cell = null | boolean | number | bigint | string | Cell[] | { [key: string]: Cell };

export function cellValue(value: DuckDBValue): Cell {
  if (value === null || typeof value === 'boolean' || typeof value === 'number' || typeof value === 'bigint') return value;
  if (typeof value === 'string') return value;
  if (value instanceof DuckDBDecimalValue) return value.toString();
  if (value instanceof DuckDBTimestampTZValue) return isoTimestamp(value.micros, 1_000_000n, true) ?? value.toString();
  if (value instanceof DuckDBTimestampValue) return isoTimestamp(value.micros, 1_000_000n, false) ?? value.toString();
  if (value instanceof DuckDBTimestampMillisecondsValue) return isoTimestamp(value.millis, 1_000n, false) ?? value.toString();
  if (value instanceof DuckDBTimestampSecondsValue) return isoTimestamp(value.seconds, 1n, false) ?? value.toString();
  if (value instanceof DuckDBTimestampNanosecondsValue)
    return isoTimestamp(value.nanos, 1_000_000_000n, false) ?? value.toString();
  if (value instanceof DuckDBListValue || value instanceof DuckDBArrayValue) return value.items.map(cellValue);
  if (value instanceof DuckDBStructValue)
    return Object.fromEntries(Object.entries(value.entries).map(([k, v]) => [k, cellValue(v)]));
  if (value instanceof DuckDBMapValue) return value.entries.map((e) => ({ key: cellValue(e.key), value: cellValue(e.value) }));
  if (value instanceof DuckDBUnionValue) return cellValue(value.value);
  // DATE, TIME, INTERVAL, UUID, BLOB, BIT, …: DuckDB's own text is exact and unambiguous.
  return value.toString();
}

const MAX_DATE_MS = 8_640_000_000_000_000n;

/**
 * ISO-8601 text of `units` since the epoch at `perSecond` units per second, with as many
 * fraction digits as the value needs (3 for our millisecond columns, up to 9), or undefined
 * when the value is infinite or outside what ISO-8601 years of four to six digits cover.
 */
export function isoTimestamp(units: bigint, perSecond: bigint, zoned: boolean): string | undefined {
  const seconds = floorDiv(units, perSecond);
  const ms = seconds * 1000n;
  if (ms > MAX_DATE_MS || ms < -MAX_DATE_MS) return undefined;
  const sub = units - seconds * perSecond;
  const digits = perSecond === 1n ? 0 : perSecond.toString().length - 1;
  let fraction = digits === 0 ? '' : sub.toString().padStart(digits, '0');
  // Keep millisecond precision at least (what the schema stores), drop trailing zeros below it.
  while (fraction.length > 3 && fraction.endsWith('0')) fraction = fraction.slice(0, -1);
  if (fraction.length < 3) fraction = fraction.padEnd(3, '0');
  const base = new Date(Number(ms)).toISOString().slice(0, -5); // drop ".000Z"
  return `${base}.${fraction}${zoned ? 'Z' : ''}`;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}
