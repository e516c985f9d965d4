import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DockerUnavailableError } from '../errors.ts';
import type { DockerProbe } from './dockerProbe.ts';
import { selectBackend } from './selectBackend.ts';

const noDocker = async (): Promise<DockerProbe> => ({
  available: false,
  reason: 'Could not find a working container runtime strategy',
});
const docker = async (): Promise<DockerProbe> => ({ available: true });
const mustNotProbe = async (): Promise<DockerProbe> => assert.fail('the Docker probe must not run');

describe('selectBackend', () => {
  it('falls back to native with exactly one line saying why when no Docker engine answers', async () => {
    assert.deepEqual(await selectBackend('auto', noDocker), {
      backend: 'native',
      notice:
        'no Docker engine answers (Could not find a working container runtime strategy); using the native stack (moto + Apache Kafka)',
    });
  });

  it('picks containers on auto when a Docker engine answers', async () => {
    assert.equal((await selectBackend('auto', docker)).backend, 'containers');
  });

  it('fails with a clear error when containers are asked for without Docker', async () => {
    await assert.rejects(selectBackend('containers', noDocker), (e: unknown) => {
      assert.ok(e instanceof DockerUnavailableError);
      assert.equal(e.code, 'LOCALSTACK_NO_DOCKER');
      assert.match(e.message, /LOCAL_STACK=native/);
      return true;
    });
  });

  it('does not probe Docker for native or external', async () => {
    assert.deepEqual(await selectBackend('native', mustNotProbe), { backend: 'native' });
    assert.deepEqual(await selectBackend('external', mustNotProbe), { backend: 'external' });
  });
});
