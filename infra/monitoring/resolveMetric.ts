import { cloudMetricOf, Resource, type MetricRef, type Statistic } from '../../pipeline/metrics/index.ts';
import type { InfraConfig } from '../config/InfraConfig.ts';
import type { Names } from '../config/names.ts';

/** A CloudWatch metric with the physical names of this deployment in its dimensions. */
export interface DeployedMetric {
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  stat: Statistic;
}

export interface DeploymentNames {
  config: InfraConfig;
  names: Names;
  /** API Gateway id (ApiId dimension of AWS/ApiGateway); only the monitoring stack knows it. */
  apiId?: string;
}

/** The physical name of a catalogue resource in this deployment. */
export function resourceName(resource: Resource, d: DeploymentNames): string {
  const { config, names } = d;
  switch (resource) {
    case Resource.API_FUNCTION:
      return names.functions.api;
    case Resource.STREAM_PROCESSOR_FUNCTION:
      return names.functions.streamProcessor;
    case Resource.HTTP_API:
      if (!d.apiId) throw new Error('the AWS/ApiGateway metrics need the API id (ApiId dimension)');
      return d.apiId;
    case Resource.STREAM_DLQ_QUEUE:
      return names.dlqQueue;
    case Resource.KAFKA_CLUSTER:
      return names.mskCluster;
    case Resource.TOPIC:
      return config.kafka.topic;
    case Resource.DLQ_TOPIC:
      return config.kafka.dlqTopic;
    case Resource.CONSUMER_GROUP:
      return config.kafka.consumerGroup;
    case Resource.FLINK_APPLICATION:
      return names.flinkApplication;
  }
}

/**
 * The deployed CloudWatch metric of a catalogue reference (pipeline/metrics), or undefined for
 * our local-only metrics (AWS publishes their equivalent, which the catalogue names instead).
 */
export function deployedMetric(ref: MetricRef, d: DeploymentNames, stat?: Statistic): DeployedMetric | undefined {
  const m = cloudMetricOf(ref, stat);
  if (!m) return undefined;
  const dimensions = Object.fromEntries(
    Object.entries(m.dimensions).map(([k, v]) => [k, 'resource' in v ? resourceName(v.resource, d) : v.value]),
  );
  return { namespace: m.namespace, metricName: m.metricName, dimensions, stat: m.stat };
}
