/**
 * Errors of the metrics stage. A metric that is not in the catalogue, or recorded with the wrong
 * kind or dimensions, is a programming error: it fails loudly where it is recorded, so a typo can
 * never become a metric nobody charts or alarms on.
 */
export class MetricsError extends Error {
  static readonly code: string = 'CDC_METRICS';
  readonly canRetry = false;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
  get code(): string {
    return (this.constructor as typeof MetricsError).code;
  }
}

export class UnknownMetricError extends MetricsError {
  static override readonly code = 'CDC_METRICS_UNKNOWN';
}

export class MetricUsageError extends MetricsError {
  static override readonly code = 'CDC_METRICS_USAGE';
}

export class MetricsConfigError extends MetricsError {
  static override readonly code = 'CDC_METRICS_CONFIG';
}
