import { Metrics } from '@aws-lambda-powertools/metrics';
import { z } from 'zod';
import { Catalogue, NAMESPACE, type MetricName, type Service } from './catalogue.ts';
import { recordEmf } from './emf.ts';
import { MetricsRegistry } from './MetricsRegistry.ts';
import { MetricsConfigError } from './errors.ts';

/**
 * Where the Lambdas' metrics go. `emf`: Powertools prints EMF JSON lines to stdout, which Lambda
 * hands to CloudWatch Logs and CloudWatch turns into metrics — no extra code in AWS. `local`: the
 * same EMF documents are recorded in this process's registry instead of printed (local runs, where
 * stdout is a person's terminal and /metrics and the dashboard read the registry).
 */
export const MetricsSink = { EMF: 'emf', LOCAL: 'local' } as const;
export type MetricsSink = (typeof MetricsSink)[keyof typeof MetricsSink];

export const MetricsConfig = z.object({ sink: z.enum([MetricsSink.EMF, MetricsSink.LOCAL]) });
export type MetricsConfig = z.output<typeof MetricsConfig>;

/**
 * CHARGEBACK_CDC_METRICS=emf|local; when unset, `emf` inside AWS Lambda (AWS_LAMBDA_FUNCTION_NAME
 * is set by the Lambda runtime) and `local` everywhere else.
 */
export function metricsConfigFromEnv(env: NodeJS.ProcessEnv = process.env): MetricsConfig {
  const sink = env.CHARGEBACK_CDC_METRICS || (env.AWS_LAMBDA_FUNCTION_NAME ? MetricsSink.EMF : MetricsSink.LOCAL);
  const r = MetricsConfig.safeParse({ sink });
  if (!r.success)
    throw new MetricsConfigError(
      `CHARGEBACK_CDC_METRICS must be ${Object.values(MetricsSink).join(' or ')}, got ${JSON.stringify(sink)}`,
    );
  return r.data;
}

/** The registry of this process: what `local` metrics feed and what the CLI publishes. */
export const processRegistry = new MetricsRegistry();

/** Powertools Metrics that know the catalogue: `record('ApiRequests', 1)` uses the catalogue's unit. */
export class CatalogueMetrics extends Metrics {
  record(name: MetricName, value: number): this {
    this.addMetric(name, Catalogue[name].unit, value);
    return this;
  }
}

/**
 * Powertools Metrics whose published EMF document is recorded in a registry instead of printed:
 * the document is exactly the one CloudWatch would receive (`serializeMetrics()`).
 */
export class RegistryMetrics extends CatalogueMetrics {
  constructor(
    options: ConstructorParameters<typeof Metrics>[0],
    private readonly registry: MetricsRegistry,
  ) {
    super(options);
  }

  override publishStoredMetrics(): this {
    try {
      if (this.hasStoredMetrics()) recordEmf(this.registry, this.serializeMetrics());
    } finally {
      this.clearMetrics();
      this.clearDimensions();
      this.clearMetadata();
    }
    return this;
  }
}

/**
 * The Metrics of one Lambda stage: namespace from the catalogue, `service` dimension = the stage's
 * service, output chosen by config. Call `publishStoredMetrics()` once per invocation.
 *
 * @example
 * const metrics = stageMetrics(Service.API);
 * metrics.record('ApiRequests', 1);
 * metrics.publishStoredMetrics();
 */
export function stageMetrics(
  service: Service,
  opts: { config?: MetricsConfig; registry?: MetricsRegistry } = {},
): CatalogueMetrics {
  const config = opts.config ?? metricsConfigFromEnv();
  const options = { namespace: NAMESPACE, serviceName: service };
  return config.sink === MetricsSink.EMF
    ? new CatalogueMetrics(options)
    : new RegistryMetrics(options, opts.registry ?? processRegistry);
}
