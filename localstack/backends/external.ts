import { awsHealth } from '../awsHealth.ts';
import { ServiceStartError, UnsupportedOperationError } from '../errors.ts';
import { kafkaHealthy } from '../kafka/KafkaBroker.ts';
import type { ServiceStatus, StackBackend } from './StackBackend.ts';

/**
 * Something already running elsewhere: a LocalStack started by hand, or a deployed stack (real AWS
 * with MSK). Endpoints come from AWS_ENDPOINT_URL / AWS_REGION / KAFKA_BROKERS / KAFKA_AUTH; nothing
 * is started or stopped here, only checked.
 */
export const externalBackend: StackBackend = {
  name: 'external',

  async up(ctx, opts = {}) {
    if (opts.fresh) {
      throw new UnsupportedOperationError(
        'stack reset empties the stack we run (LOCAL_STACK=native or containers); refused on an external one, whose data is not ours',
      );
    }
    const services = await this.status(ctx);
    const sick = services.filter((s) => !s.healthy);
    if (sick.length > 0) {
      throw new ServiceStartError(
        `LOCAL_STACK=external but ${sick.map((s) => `${s.service} at ${s.endpoint} does not answer${s.detail ? ` (${s.detail})` : ''}`).join('; ')}: start it or fix AWS_ENDPOINT_URL / KAFKA_BROKERS / KAFKA_AUTH`,
      );
    }
    ctx.onProgress(
      `using the external stack: AWS ${ctx.cfg.awsEndpoint ?? `(AWS ${ctx.cfg.region})`}, Kafka ${ctx.cfg.kafkaBrokers.join(',')} (${ctx.cfg.kafkaAuth})`,
    );
    return { services, reused: true };
  },

  async down({ onProgress }) {
    onProgress('external stack: nothing of ours to stop');
  },

  async status({ cfg }) {
    const [aws, kafka] = await Promise.all([awsHealth(cfg), kafkaHealthy(cfg)]);
    const services: ServiceStatus[] = [
      {
        service: 'aws',
        state: aws.healthy ? 'up' : 'down',
        healthy: aws.healthy,
        endpoint: cfg.awsEndpoint ?? `AWS ${cfg.region}`,
        ...(aws.reason ? { detail: aws.reason } : {}),
      },
      {
        service: 'kafka',
        state: kafka ? 'up' : 'down',
        healthy: kafka,
        endpoint: cfg.kafkaBrokers.join(','),
        detail: cfg.kafkaAuth,
      },
    ];
    return services;
  },

  async stopKafka() {
    throw new UnsupportedOperationError(
      'stopKafka works on a stack we run (LOCAL_STACK=native or containers), not on an external one',
    );
  },

  async startKafka() {
    throw new UnsupportedOperationError(
      'startKafka works on a stack we run (LOCAL_STACK=native or containers), not on an external one',
    );
  },
};
