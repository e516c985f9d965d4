/**
 * Errors of the metrics stage. A metric that is not in the catalogue, or recorded with the wrong
 * kind or dimensions, is a programming error: it fails loudly where it is recorded, so a typo can
 * never become a metric nobody charts or alarms on.
 */
import { CdcError } from '../errors/index.ts';

export class MetricsError extends CdcError {
  static override readonly code: string = 'CDC_METRICS';
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
