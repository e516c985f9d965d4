import { Widgets, type SeriesRef, type WidgetDefinition } from '../../pipeline/metrics/index.ts';
import type { InfraConfig } from '../config/InfraConfig.ts';
import type { Names } from '../config/names.ts';
import { thresholdOf } from './alarmSpecs.ts';
import { deployedMetric } from './resolveMetric.ts';

/**
 * The pipeline dashboard, drawn from the catalogue's widgets (pipeline/metrics/widgets.ts) —
 * the same widgets the local dashboard draws — in their CloudWatch form, plus the recent error
 * logs and the alarms' states.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html
 */
export interface DashboardInputs {
  config: InfraConfig;
  names: Names;
  /** API Gateway id (ApiId dimension of AWS/ApiGateway). */
  apiId: string;
  alarmArns: string[];
}

type Metric = (string | Record<string, unknown>)[];
interface Widget {
  type: 'metric' | 'log' | 'alarm' | 'text';
  x: number;
  y: number;
  width: number;
  height: number;
  properties: Record<string, unknown>;
}

const PER_ROW = 3;

/** One catalogue widget as CloudWatch metric-widget properties (undefined when none of its series exists in AWS). */
export function metricWidget(w: WidgetDefinition, inputs: DashboardInputs): Record<string, unknown> | undefined {
  const { config, names, apiId } = inputs;
  const metrics: Metric[] = [];
  for (const ref of w.series as readonly SeriesRef[]) {
    const m = deployedMetric(ref, { config, names, apiId }, ref.stat);
    if (!m) continue;
    const options = { stat: m.stat, ...(ref.label ? { label: ref.label } : {}), ...(ref.yAxis ? { yAxis: ref.yAxis } : {}) };
    metrics.push([m.namespace, m.metricName, ...Object.entries(m.dimensions).flat(), options]);
  }
  if (metrics.length === 0) return undefined;
  return {
    title: w.title,
    region: config.region,
    view: 'timeSeries',
    stacked: false,
    period: 60,
    metrics,
    ...(w.alarm ? { annotations: { horizontal: [{ label: `alarm ${w.alarm}`, value: thresholdOf(w.alarm, config) }] } } : {}),
  };
}

export function dashboardBody(inputs: DashboardInputs): { widgets: Widget[] } {
  const { config, names } = inputs;
  const widgets: Widget[] = [];
  widgets.push({
    type: 'text',
    x: 0,
    y: 0,
    width: 24,
    height: 2,
    properties: {
      markdown: `# ${names.prefix} — DynamoDB → Lambda → MSK → Flink → S3 Parquet\nTable \`${names.table}\` · topic \`${config.kafka.topic}\` · landing \`${config.landingPrefix}\``,
    },
  });
  let y = 2;
  const charts = (Widgets as readonly WidgetDefinition[]).map((w) => metricWidget(w, inputs)).filter((p) => p !== undefined);
  const width = 24 / PER_ROW;
  charts.forEach((properties, i) => {
    widgets.push({ type: 'metric', x: (i % PER_ROW) * width, y: y + Math.floor(i / PER_ROW) * 6, width, height: 6, properties });
  });
  y += Math.ceil(charts.length / PER_ROW) * 6;
  widgets.push(
    {
      type: 'log',
      x: 0,
      y,
      width: 16,
      height: 6,
      properties: {
        title: 'Recent errors (stream processor, API, Flink)',
        region: config.region,
        view: 'table',
        query: [
          `SOURCE '${names.logGroups.streamProcessor}' | SOURCE '${names.logGroups.api}' | SOURCE '${names.logGroups.flink}'`,
          '| fields @timestamp, @log, @message',
          '| filter @message like /(?i)(error|exception)/',
          '| sort @timestamp desc',
          '| limit 50',
        ].join(' '),
      },
    },
    {
      type: 'alarm',
      x: 16,
      y,
      width: 8,
      height: 6,
      properties: { title: 'Alarms', alarms: inputs.alarmArns, sortBy: 'stateUpdatedTimestamp' },
    },
  );
  return { widgets };
}

export function dashboardUrl(region: string, dashboardName: string): string {
  return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards:name=${dashboardName}`;
}
