import { startCloserComponent } from '../components/closerComponent.ts';

/**
 * `chargeback-cdc close-hours`: one pass of the hour closer — write the marker of every hour that
 * is complete now, say what the next hour waits for, exit. What `run closer` does every poll.
 * `--now` fixes the clock the hours are judged by (tests, and replays in a sandbox); a marker is
 * only as true as that clock: an hour closed before it really ended can still get files.
 */
export async function runCloseHours(o: { json: boolean; nowMs?: number; graceMs?: number }): Promise<number> {
  const closer = await startCloserComponent({
    poll: false,
    config: {
      ...(o.nowMs === undefined ? {} : { now: () => o.nowMs! }),
      ...(o.graceMs === undefined ? {} : { graceMs: o.graceMs }),
    },
    onEvent: (e, line) => console.error(o.json ? JSON.stringify(e) : `[closer] ${line}`),
  });
  try {
    const r = await closer.closeReadyHours();
    if (o.json) console.log(JSON.stringify(r));
    else
      console.log(
        `${r.closed.length ? `closed ${r.closed.join(', ')}` : 'closed no hour'}; next ${r.next} waits for ${
          {
            'hour-end': 'the hour to end (+ grace)',
            progress: 'the writers to commit past the snapshot',
            uploads: 'open multipart uploads',
          }[r.waitingFor]
        }`,
      );
    return 0;
  } finally {
    await closer.stop();
  }
}
