import { stringify } from 'lossless-json';
import type { Cell } from './cellValue.ts';
import type { QueryResult } from './QuerySession.ts';

export const OUTPUT_FORMATS = ['table', 'json', 'csv'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/**
 * A query result as text, ending in a newline.
 * - `table`: aligned columns for people; numbers right-aligned, NULL as `NULL`, control
 *   characters escaped so one row stays one line, then `(N rows)`.
 * - `json`: one JSON array of objects keyed by column name. DECIMAL values are strings with
 *   their exact digits (as the API takes amounts); 64/128-bit integers are JSON numbers written
 *   with every digit (parse them with a lossless parser beyond 2^53); timestamps ISO-8601.
 * - `csv`: RFC 4180 — a header line, CRLF line ends, fields quoted when they hold a comma,
 *   quote, CR or LF, quotes doubled; NULL is an empty field.
 *
 * @example
 * process.stdout.write(formatResult(result, 'csv'));
 */
export function formatResult(result: QueryResult, format: OutputFormat): string {
  switch (format) {
    case 'json':
      return `${formatJson(result)}\n`;
    case 'csv':
      return formatCsv(result);
    case 'table':
      return formatTable(result);
  }
}

function formatJson(result: QueryResult): string {
  const objects = result.rows.map((row) => {
    const o: Record<string, unknown> = {};
    result.columns.forEach((c, i) => {
      o[c.name] = jsonSafe(row[i]!);
    });
    return o;
  });
  return stringify(objects) ?? '[]';
}

/** JSON has no NaN or Infinity: a DOUBLE holding one is written as its name in a string. */
function jsonSafe(cell: Cell): unknown {
  if (typeof cell === 'number' && !Number.isFinite(cell)) return String(cell);
  if (Array.isArray(cell)) return cell.map(jsonSafe);
  if (cell !== null && typeof cell === 'object')
    return Object.fromEntries(Object.entries(cell).map(([k, v]) => [k, jsonSafe(v)]));
  return cell;
}

/** Text of one cell for the table and CSV: strings as they are, nested values as JSON. */
export function cellText(cell: Cell): string | null {
  if (cell === null) return null;
  if (typeof cell === 'string') return cell;
  if (typeof cell === 'object') return stringify(jsonSafe(cell)) ?? '';
  return String(cell);
}

function formatCsv(result: QueryResult): string {
  const field = (s: string | null) => (s === null ? '' : /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
  const lines = [result.columns.map((c) => field(c.name)).join(',')];
  for (const row of result.rows) lines.push(row.map((cell) => field(cellText(cell))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

const NUMERIC_TYPE =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL)/;

function formatTable(result: QueryResult): string {
  const header = result.columns.map((c) => escapeControl(c.name));
  const body = result.rows.map((row) => row.map((cell) => escapeControl(cellText(cell) ?? 'NULL')));
  const widths = header.map((h, i) => Math.max(width(h), ...body.map((r) => width(r[i]!))));
  const right = result.columns.map((c) => NUMERIC_TYPE.test(c.type));
  const line = (cells: string[], alignRight: boolean[]) =>
    cells
      .map((s, i) => {
        const pad = ' '.repeat(widths[i]! - width(s));
        return alignRight[i] ? pad + s : s + pad;
      })
      .join(' | ')
      .trimEnd();
  const out = [
    line(
      header,
      header.map(() => false),
    ),
    widths.map((w) => '-'.repeat(w)).join('-+-'),
    ...body.map((r) => line(r, right)),
  ];
  const n = result.rows.length;
  out.push(`(${n} ${n === 1 ? 'row' : 'rows'})`);
  return `${out.join('\n')}\n`;
}

/** A row stays on one line: newlines, tabs and other control characters are shown as escapes. */
function escapeControl(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is what this does
  return s.replace(/[\u0000-\u001f\u007f]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}

/** Display width in code points (close enough for aligned columns; wide CJK glyphs may drift). */
function width(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}
