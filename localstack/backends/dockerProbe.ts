/** Whether a Docker engine answers, and if not, the short reason shown to the user. */
export type DockerProbe = { available: true } | { available: false; reason: string };

const PROBE_TIMEOUT_MS = 2_000;

/**
 * Asks testcontainers for a container runtime, giving up after 2 s: with no socket it fails at once,
 * but a socket whose engine hangs would otherwise stall `stack up` for testcontainers' own timeouts.
 * testcontainers is imported lazily so the native path never loads dockerode.
 */
export async function probeDocker(timeoutMs = PROBE_TIMEOUT_MS): Promise<DockerProbe> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<DockerProbe>((resolve) => {
    timer = setTimeout(() => resolve({ available: false, reason: `no answer within ${timeoutMs / 1000} s` }), timeoutMs);
    timer.unref();
  });
  const probe = (async (): Promise<DockerProbe> => {
    try {
      const { getContainerRuntimeClient } = await import('testcontainers');
      await getContainerRuntimeClient();
      return { available: true };
    } catch (e) {
      return { available: false, reason: (e as Error).message };
    }
  })();
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
