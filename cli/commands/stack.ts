import { formatStackStatus, stackDown, stackStatus, stackUp } from '../../localstack/index.ts';

export type StackAction = 'up' | 'down' | 'status' | 'reset';

/**
 * `chargeback-cdc stack up|down|status|reset`. `reset` is `up --fresh`: the one way (besides `down`,
 * which cannot keep moto's in-memory state) to drop Kafka's data, so it is always asked for by name.
 */
export async function runStack(action: StackAction, o: { backend: string; json: boolean; fresh?: boolean }): Promise<void> {
  const progress = (line: string) => (o.json ? undefined : console.error(line));
  if (action === 'up' || action === 'reset') {
    const fresh = action === 'reset' || o.fresh === true;
    const info = await stackUp({ backend: o.backend as never, onProgress: progress, fresh });
    console.log(
      o.json
        ? JSON.stringify({ ...info, fresh })
        : `stack is ${fresh ? 'up and empty' : info.reused ? 'already up' : 'up'} (${info.backend}, ${(info.tookMs / 1000).toFixed(1)} s); logs in ${info.logsDir}; stop it with: chargeback-cdc stack down`,
    );
  } else if (action === 'down') {
    await stackDown({ backend: o.backend as never, onProgress: progress });
    console.log(o.json ? JSON.stringify({ down: true }) : 'stack is down');
  } else {
    const status = await stackStatus({ backend: o.backend as never });
    if (o.json) console.log(JSON.stringify(status));
    else for (const line of formatStackStatus(status)) console.log(line);
  }
}
