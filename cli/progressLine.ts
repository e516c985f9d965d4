/**
 * A progress line on stderr: rewritten in place on a terminal; where stderr is not a terminal
 * (CI logs, pipes, files) a plain line at most every `minIntervalMs`, so a log gets a few readable
 * lines instead of a smear of carriage returns and erase codes.
 */
export interface ProgressLine {
  update(line: string): void;
  /** Removes the line on a terminal, so what is printed next starts on a clean line. */
  clear(): void;
  /** The last state, always written, ending the line. */
  finish(line: string): void;
}

export function progressLine(
  stream: Pick<NodeJS.WriteStream, 'write' | 'isTTY'> = process.stderr,
  minIntervalMs = 5_000,
  now: () => number = Date.now,
): ProgressLine {
  let lastAt = Number.NEGATIVE_INFINITY;
  return {
    update(line) {
      if (stream.isTTY) stream.write(`\r\x1b[2K${line}`);
      else if (now() - lastAt >= minIntervalMs) {
        stream.write(`${line}\n`);
        lastAt = now();
      }
    },
    clear() {
      if (stream.isTTY) stream.write('\r\x1b[2K');
    },
    finish(line) {
      stream.write(stream.isTTY ? `\r\x1b[2K${line}\n` : `${line}\n`);
    },
  };
}
