/**
 * AWS clients configuration shared by every stage.
 *
 * @example
 * const s3 = new S3Client(awsClientConfigFromEnv());
 */
export { awsClientConfigFromEnv, type AwsClientConfig } from './awsClientConfig.ts';
export { toLambdaRecord } from './toLambdaRecord.ts';
