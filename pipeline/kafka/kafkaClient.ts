import { Kafka, logLevel, type KafkaConfig, type SASLOptions } from 'kafkajs';
import { generateAuthToken } from 'aws-msk-iam-sasl-signer-js';
import { z } from 'zod';

/**
 * The one way every stage connects to Kafka. Locally: plaintext on 127.0.0.1:9092. On MSK
 * Serverless: TLS + SASL/OAUTHBEARER with a SigV4 token from aws-msk-iam-sasl-signer-js
 * (tokens last at most 15 minutes; kafkajs asks the provider again on every re-authentication).
 */
export const KafkaAuth = { PLAINTEXT: 'plaintext', MSK_IAM: 'msk-iam' } as const;
export type KafkaAuth = (typeof KafkaAuth)[keyof typeof KafkaAuth];

export const KafkaClientConfig = z.object({
  brokers: z.array(z.string().min(1)).min(1),
  clientId: z.string().min(1),
  auth: z.enum([KafkaAuth.PLAINTEXT, KafkaAuth.MSK_IAM]).default(KafkaAuth.PLAINTEXT),
  region: z.string().default('us-east-1'),
});
export type KafkaClientConfig = z.input<typeof KafkaClientConfig>;

/** Reads KAFKA_BROKERS (comma list), KAFKA_AUTH and AWS_REGION, with the local defaults. */
export function kafkaConfigFromEnv(clientId: string, env: NodeJS.ProcessEnv = process.env): KafkaClientConfig {
  return {
    clientId,
    brokers: (env.KAFKA_BROKERS ?? '127.0.0.1:9092')
      .split(',')
      .map((b) => b.trim())
      .filter(Boolean),
    auth: (env.KAFKA_AUTH as KafkaAuth | undefined) ?? KafkaAuth.PLAINTEXT,
    region: env.AWS_REGION ?? 'us-east-1',
  };
}

export function createKafka(input: KafkaClientConfig): Kafka {
  const cfg = KafkaClientConfig.parse(input);
  const base: KafkaConfig = {
    clientId: cfg.clientId,
    brokers: cfg.brokers,
    logLevel: logLevel.ERROR,
    retry: { initialRetryTime: 200, retries: 8 },
  };
  if (cfg.auth === KafkaAuth.PLAINTEXT) return new Kafka(base);
  const sasl: SASLOptions = {
    mechanism: 'oauthbearer',
    oauthBearerProvider: async () => {
      const { token } = await generateAuthToken({ region: cfg.region });
      return { value: token };
    },
  };
  return new Kafka({ ...base, ssl: true, sasl });
}
