import type { ContainerRuntimeClient, GenericContainer } from 'testcontainers';
import { awsHealth } from '../awsHealth.ts';
import { LocalPorts } from '../config.ts';
import { ServiceStartError } from '../errors.ts';
import { kafkaHealthy } from '../kafka/KafkaBroker.ts';
import { USE_EXTERNAL_HINT } from '../portHolder.ts';
import { preflightPorts } from '../preflightPorts.ts';
import { settleAll } from '../settleAll.ts';
import { waitUntil } from '../waitUntil.ts';
import type { ServiceStatus, StackBackend } from './StackBackend.ts';

/*
 * LocalStack + Redpanda through testcontainers, on the same host ports as the native stack.
 * NOT exercised on our machines (no Docker engine there): written against the testcontainers 11 API.
 *
 * Containers are started with withReuse(), which keeps them out of the Ryuk reaper: they outlive the
 * `stack up` process like the native children do, and `stack down` finds them again by label.
 */

/**
 * Pinned images. localstack/localstack:latest needs an auth token since March 2026; 4.14.0 is the
 * last community release that runs without one (set LOCALSTACK_AUTH_TOKEN and LOCALSTACK_IMAGE for a
 * newer one). Both overridable for mirrors.
 */
const Images = {
  localstack: process.env.LOCALSTACK_IMAGE ?? 'localstack/localstack:4.14.0',
  redpanda: process.env.REDPANDA_IMAGE ?? 'docker.redpanda.com/redpandadata/redpanda:v24.3.6',
} as const;

const LABEL = 'dev.chargeback-cdc.service';
type ContainerService = 'localstack' | 'redpanda';
const STARTUP_TIMEOUT_MS = 120_000;

async function containerFor(service: ContainerService): Promise<GenericContainer> {
  const { GenericContainer, Wait } = await import('testcontainers');
  if (service === 'localstack') {
    const token = process.env.LOCALSTACK_AUTH_TOKEN;
    return new GenericContainer(Images.localstack)
      .withLabels({ [LABEL]: service })
      .withEnvironment({
        SERVICES: 'dynamodb,dynamodbstreams,s3,sqs',
        DEFAULT_REGION: 'us-east-1',
        ...(token ? { LOCALSTACK_AUTH_TOKEN: token } : {}),
      })
      .withExposedPorts({ container: LocalPorts.aws, host: LocalPorts.aws })
      .withWaitStrategy(Wait.forLogMessage('Ready.'))
      .withStartupTimeout(STARTUP_TIMEOUT_MS)
      .withReuse();
  }
  return new GenericContainer(Images.redpanda)
    .withLabels({ [LABEL]: service })
    .withCommand([
      'redpanda',
      'start',
      '--mode',
      'dev-container',
      '--smp',
      '1',
      '--memory',
      '1G',
      '--overprovisioned',
      '--kafka-addr',
      `PLAINTEXT://0.0.0.0:${LocalPorts.kafka}`,
      // Clients reach the broker through the fixed host port, so that is what it must advertise.
      '--advertise-kafka-addr',
      `PLAINTEXT://127.0.0.1:${LocalPorts.kafka}`,
    ])
    .withExposedPorts({ container: LocalPorts.kafka, host: LocalPorts.kafka })
    .withWaitStrategy(Wait.forLogMessage('Successfully started Redpanda!'))
    .withStartupTimeout(STARTUP_TIMEOUT_MS)
    .withReuse();
}

async function runtime(): Promise<ContainerRuntimeClient> {
  const { getContainerRuntimeClient } = await import('testcontainers');
  return getContainerRuntimeClient();
}

/** Our containers, running or not, by service label. */
async function ourContainers(client: ContainerRuntimeClient): Promise<Map<ContainerService, { id: string; running: boolean }>> {
  const infos = await client.container.dockerode.listContainers({ all: true, filters: { label: [LABEL] } });
  return new Map(infos.map((i) => [i.Labels[LABEL] as ContainerService, { id: i.Id, running: i.State === 'running' }]));
}

export const containersBackend: StackBackend = {
  name: 'containers',

  async up(ctx, opts = {}) {
    if (opts.fresh) {
      // Removing the containers (with their volumes) is what empties them; up then starts new ones.
      ctx.onProgress('stack reset: removing the LocalStack and Redpanda containers with their data');
      await this.down(ctx);
    }
    const client = await runtime();
    const existing = await ourContainers(client);
    const missing = (['localstack', 'redpanda'] as const).filter((s) => !existing.get(s)?.running);
    await preflightPorts(
      missing.map((s) =>
        s === 'localstack'
          ? { port: LocalPorts.aws, service: 'LocalStack', hint: USE_EXTERNAL_HINT }
          : { port: LocalPorts.kafka, service: 'Redpanda (Kafka)', hint: USE_EXTERNAL_HINT },
      ),
    );
    if (missing.length > 0) ctx.onProgress(`starting ${missing.join(' and ')} containers (first run pulls images)…`);
    // withReuse() finds a stopped container of the same definition and starts it again.
    await settleAll(missing.map(async (s) => (await containerFor(s)).start()));
    const services = await this.status(ctx);
    const sick = services.filter((s) => !s.healthy);
    if (sick.length > 0)
      throw new ServiceStartError(
        `containers started but not healthy: ${sick.map((s) => `${s.service} (${s.detail})`).join(', ')}`,
      );
    return { services, reused: missing.length === 0 };
  },

  async down({ onProgress }) {
    const client = await runtime();
    const ours = await ourContainers(client);
    await settleAll(
      [...ours.values()].map(async ({ id }) => {
        const container = client.container.getById(id);
        await client.container.stop(container, { timeout: 10 });
        await client.container.remove(container, { removeVolumes: true });
      }),
    );
    onProgress(`containers stack stopped (${[...ours.keys()].join(', ') || 'nothing was running'})`);
  },

  async status({ cfg }) {
    const ours = await ourContainers(await runtime());
    const [aws, kafka] = await Promise.all([awsHealth(cfg), kafkaHealthy(cfg)]);
    const state = (s: ContainerService) => (ours.get(s)?.running ? 'up' : 'down') as ServiceStatus['state'];
    return [
      {
        service: 'localstack',
        state: state('localstack'),
        healthy: aws.healthy,
        endpoint: cfg.awsEndpoint ?? '',
        port: LocalPorts.aws,
        detail: aws.reason ?? Images.localstack,
      },
      {
        service: 'redpanda',
        state: state('redpanda'),
        healthy: kafka,
        endpoint: cfg.kafkaBrokers.join(','),
        port: LocalPorts.kafka,
        detail: Images.redpanda,
      },
    ];
  },

  async stopKafka({ onProgress }) {
    const client = await runtime();
    const redpanda = (await ourContainers(client)).get('redpanda');
    if (redpanda?.running) await client.container.stop(client.container.getById(redpanda.id), { timeout: 10 });
    onProgress('Redpanda container stopped (data kept in the container)');
  },

  async startKafka(ctx) {
    const client = await runtime();
    const redpanda = (await ourContainers(client)).get('redpanda');
    if (!redpanda) throw new ServiceStartError('no Redpanda container to restart: run `stack up` first');
    if (!redpanda.running) await client.container.start(client.container.getById(redpanda.id));
    const ready = await waitUntil(async () => ((await kafkaHealthy(ctx.cfg)) ? true : undefined), { timeoutMs: 60_000 });
    if (!ready.ok) throw new ServiceStartError(`Redpanda container restarted but Kafka is not answering: ${ready.reason}`);
    const status = (await this.status(ctx)).find((s) => s.service === 'redpanda') as ServiceStatus;
    return status;
  },
};
