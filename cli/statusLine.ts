/**
 * One live status line on a terminal (rewritten in place), or a plain line every interval when
 * stdout is not a TTY (CI logs, pipes), so long runs always show progress.
 */
export function startStatusLine(render: () => string, intervalMs = 1000): { stop(): void } {
  const tty = process.stdout.isTTY;
  let last = '';
  const tick = () => {
    const line = render();
    if (tty) process.stdout.write(`\r\x1b[2K${line}`);
    else if (line !== last) process.stdout.write(`${line}\n`);
    last = line;
  };
  const timer = setInterval(tick, tty ? intervalMs : Math.max(intervalMs, 5000));
  return {
    stop() {
      clearInterval(timer);
      tick();
      if (tty) process.stdout.write('\n');
    },
  };
}
