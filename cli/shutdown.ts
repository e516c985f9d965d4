/**
 * Runs the stop functions once on SIGINT/SIGTERM, in reverse order of registration (the last
 * component started is the first stopped), then exits. A second signal exits at once.
 */
const stops: Array<() => Promise<void>> = [];
let stopping = false;

export function onShutdown(stop: () => Promise<void>): void {
  stops.push(stop);
  if (stops.length > 1) return;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      if (stopping) process.exit(130);
      stopping = true;
      void (async () => {
        for (const s of [...stops].reverse()) {
          await s().catch((e: Error) => console.error(`while stopping: ${e.message}`));
        }
        process.exit(0);
      })();
    });
  }
}
