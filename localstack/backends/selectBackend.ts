import { Backend, type RunningBackend } from '../config.ts';
import { DockerUnavailableError } from '../errors.ts';
import type { DockerProbe } from './dockerProbe.ts';

/**
 * LOCAL_STACK → the backend to run (DESIGN §3): auto means containers when a Docker engine answers,
 * else native, with exactly one line saying why. `probe` is only called when the answer depends on it.
 */
export async function selectBackend(
  requested: Backend,
  probe: () => Promise<DockerProbe>,
): Promise<{ backend: RunningBackend; notice?: string }> {
  if (requested === Backend.NATIVE || requested === Backend.EXTERNAL) return { backend: requested };
  const docker = await probe();
  if (requested === Backend.CONTAINERS) {
    if (docker.available) return { backend: Backend.CONTAINERS };
    throw new DockerUnavailableError(
      `LOCAL_STACK=containers but no Docker engine answers (${docker.reason}): start Docker (or set DOCKER_HOST), or use LOCAL_STACK=native`,
    );
  }
  return docker.available
    ? { backend: Backend.CONTAINERS, notice: 'a Docker engine answers; using the containers stack (LocalStack + Redpanda)' }
    : {
        backend: Backend.NATIVE,
        notice: `no Docker engine answers (${docker.reason}); using the native stack (moto + Apache Kafka)`,
      };
}
