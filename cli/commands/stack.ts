import { formatStackStatus, stackDown, stackStatus, stackUp } from '../../localstack/index.ts';

/** `chargeback-cdc stack up|down|status`. */
export async function runStack(action: 'up' | 'down' | 'status', o: { backend: string; json: boolean }): Promise<void> {
  const progress = (line: string) => (o.json ? undefined : console.error(line));
  if (action === 'up') {
    const info = await stackUp({ backend: o.backend as never, onProgress: progress });
    console.log(
      o.json
        ? JSON.stringify(info)
        : `stack is ${info.reused ? 'already up' : 'up'} (${info.backend}, ${(info.tookMs / 1000).toFixed(1)} s); logs in ${info.logsDir}; stop it with: chargeback-cdc stack down`,
    );
  } else if (action === 'down') {
    await stackDown();
    console.log(o.json ? JSON.stringify({ down: true }) : 'stack is down');
  } else {
    const status = await stackStatus();
    if (o.json) console.log(JSON.stringify(status));
    else for (const line of formatStackStatus(status)) console.log(line);
  }
}
