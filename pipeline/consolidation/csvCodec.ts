/**
 * RFC 4180 (https://www.rfc-editor.org/rfc/rfc4180): records end with CRLF; a field holding a
 * comma, a double quote, CR or LF is enclosed in double quotes, and a quote inside it is doubled.
 * Other fields are written bare, so a plain value reads the same in any tool. Text is JS strings
 * here; the caller encodes UTF-8 (no BOM: RFC 4180 has none, and a BOM becomes part of the first
 * header name in readers that do not strip it).
 */

export const CSV_LINE_END = '\r\n';
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One field, quoted only when it must be.
 *
 * @example
 * encodeCsvField('a, "b"') // '"a, ""b"""'
 */
export function encodeCsvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** One record, CRLF-terminated. */
export function encodeCsvRecord(fields: readonly string[]): string {
  return `${fields.map(encodeCsvField).join(',')}${CSV_LINE_END}`;
}

/** A text that is not RFC 4180: the position (UTF-16 index) and what is wrong there. */
export class CsvSyntaxError extends Error {
  constructor(
    readonly index: number,
    reason: string,
  ) {
    super(`CSV at character ${index}: ${reason}`);
  }
}

/**
 * Parses RFC 4180 strictly: every record ends with CRLF (the last one too), a bare field holds no
 * quote, CR or LF, a quoted field is followed by a comma or CRLF, and all records have as many
 * fields as the first. Anything else throws CsvSyntaxError, so a round trip through it proves the
 * encoder wrote RFC 4180 and not merely something a lenient reader accepts.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    let field: string;
    if (text[i] === '"') {
      let j = i + 1;
      let out = '';
      for (;;) {
        const q = text.indexOf('"', j);
        if (q === -1) throw new CsvSyntaxError(i, 'quoted field is not closed');
        out += text.slice(j, q);
        if (text[q + 1] === '"') {
          out += '"';
          j = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      field = out;
    } else {
      let j = i;
      while (j < n && text[j] !== ',' && text[j] !== '\r' && text[j] !== '\n' && text[j] !== '"') j++;
      if (text[j] === '"') throw new CsvSyntaxError(j, 'double quote inside a field that is not quoted');
      if (text[j] === '\n') throw new CsvSyntaxError(j, 'LF without CR (records end with CRLF)');
      field = text.slice(i, j);
      i = j;
    }
    record.push(field);
    if (text[i] === ',') {
      i++;
      if (i === n) throw new CsvSyntaxError(i, 'text ends after a comma (records end with CRLF)');
    } else if (text[i] === '\r' && text[i + 1] === '\n') {
      i += 2;
      if (records.length > 0 && record.length !== records[0]!.length)
        throw new CsvSyntaxError(
          i,
          `record ${records.length + 1} has ${record.length} fields, the first has ${records[0]!.length}`,
        );
      records.push(record);
      record = [];
    } else if (i === n) throw new CsvSyntaxError(i, 'the last record does not end with CRLF');
    else throw new CsvSyntaxError(i, `unexpected ${JSON.stringify(text[i])} after a field`);
  }
  return records;
}
