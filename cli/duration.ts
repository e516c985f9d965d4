/** Parses `500ms`, `5s`, `1m`, `1h` (or bare milliseconds) into milliseconds, with a clear error. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new Error(`invalid duration ${JSON.stringify(text)}: use e.g. 500ms, 5s, 1m`);
  const n = Number(m[1]);
  const unit = m[2] ?? 'ms';
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit]!;
  const ms = Math.round(n * factor);
  if (ms <= 0) throw new Error(`invalid duration ${JSON.stringify(text)}: must be greater than 0`);
  return ms;
}
