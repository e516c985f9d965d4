/**
 * AWS SDK v3 client configuration from the environment, the same in every process: locally
 * AWS_ENDPOINT_URL points at the local stack (moto or LocalStack) and S3 needs path-style;
 * in AWS no endpoint is set and the SDK's defaults apply. Credentials always come from the
 * SDK's default chain (env `test`/`test` locally), never from code.
 */
export interface AwsClientConfig {
  region: string;
  endpoint?: string;
  forcePathStyle?: boolean;
}

export function awsClientConfigFromEnv(env: NodeJS.ProcessEnv = process.env): AwsClientConfig {
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const endpoint = env.AWS_ENDPOINT_URL || undefined;
  return endpoint ? { region, endpoint, forcePathStyle: true } : { region };
}
