import type { StackStatus } from './stack.ts';

/** `stack status` as lines a person reads: one per service, then where the logs are. */
export function formatStackStatus(status: StackStatus): string[] {
  const lines = [`backend: ${status.backend}`];
  for (const s of status.services) {
    const health = s.state === 'down' ? '' : s.healthy ? ', healthy' : ', NOT answering';
    const pid = s.pid !== undefined ? ` pid ${s.pid}` : '';
    const detail = s.detail ? ` — ${s.detail}` : '';
    lines.push(`  ${s.service.padEnd(10)} ${s.state}${health}${pid} ${s.endpoint}${detail}`);
  }
  lines.push(`logs: ${status.logsDir}`);
  return lines;
}
