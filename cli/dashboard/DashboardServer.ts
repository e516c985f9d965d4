import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { ExtraRoute } from '../../pipeline/api/index.ts';
import { awsClientConfigFromEnv } from '../../pipeline/aws/index.ts';
import { createKafka, kafkaConfigFromEnv } from '../../pipeline/kafka/index.ts';
import { isLandedPartKey, resolveWriterConfig, writerConfigFromEnv } from '../../pipeline/parquet-writer/index.ts';
import {
  ALARM_KEYS,
  Alarms,
  Catalogue,
  HEADLINE,
  METRIC_NAMES,
  MetricHistory,
  PROMETHEUS_CONTENT_TYPE,
  cloudMetricOf,
  evaluateAlarm,
  flatten,
  localMetricOf,
  localWidgets,
  mergeSeries,
  renderPrometheus,
  type AlarmDefinition,
  type AlarmEvaluation,
  type AlarmKey,
  type MetricsRegistry,
  type MetricsSnapshot,
} from '../../pipeline/metrics/index.ts';
import { LandedFiles } from './LandedFiles.ts';
import { readLiveSnapshots } from './snapshotFiles.ts';
import { everyInterval, kafkaProbe, sqsDlqProbe, unprobed, type ProbeStatus } from './probes.ts';

export interface DashboardOptions {
  registry: MetricsRegistry;
  /** Where the component processes leave their snapshots (default: metricsRunDir()). */
  runDir?: string;
  /** How often snapshots are merged into the history and the alarms evaluated. */
  sampleMs?: number;
  /** How often the dashboard asks SQS, Kafka and S3 for what no component holds (2–5 s). */
  probeMs?: number;
  env?: NodeJS.ProcessEnv;
  /** Ask SQS, Kafka and S3 (default true; off in tests without a stack). */
  probe?: boolean;
}

export interface Dashboard {
  /** `/metrics`, `/dashboard`, `/dashboard/dashboard.js`, `/dashboard/data`, `/dashboard/file` for serveApiHandler's `extra`. */
  routes: ExtraRoute[];
  stop(): Promise<void>;
}

interface AlarmView extends AlarmEvaluation {
  key: AlarmKey;
  title: string;
  description: string;
  metric: string;
  cloudWatch: string;
  statistic: string;
  period: number;
  comparison: string;
  threshold: number;
  evaluationPeriods: number;
  datapointsToAlarm: number;
}

const STATIC = {
  '/dashboard': ['index.html', 'text/html; charset=utf-8'],
  '/dashboard/dashboard.js': ['dashboard.js', 'text/javascript; charset=utf-8'],
} as const;

/**
 * The local observability of the pipeline, served by the API process: it merges the metric
 * snapshots of every live component process with its own registry, keeps a history for the
 * charts, evaluates the alarms with the CloudWatch thresholds, and probes on a timer what no
 * component holds (DLQ depths, consumer lag, the landed files).
 */
export function startDashboard(o: DashboardOptions): Dashboard {
  const env = o.env ?? process.env;
  const registry = o.registry;
  const startedAt = Date.now();
  const history = new MetricHistory(900);
  let alarms: AlarmView[] = [];
  let components: Array<{ pid: number; components: string[]; self: boolean; ageMs: number }> = [];
  let writerLastSeen: number | undefined;

  // The writer's own configuration: the same topic, DLQ topic, group, bucket and prefix it uses.
  const writer = resolveWriterConfig(writerConfigFromEnv(env));
  const aws = awsClientConfigFromEnv(env);
  const sqs = new SQSClient(aws);
  const s3 = new S3Client(aws);
  const admin = createKafka(kafkaConfigFromEnv('chargeback-cdc-dashboard', env)).admin();
  const landing = new LandedFiles(s3, writer.bucket, writer.prefix);
  const probes = { sample: unprobed(), sqs: unprobed(), kafka: unprobed(), landing: unprobed() } satisfies Record<
    string,
    ProbeStatus
  >;

  const liveSnapshots = () => readLiveSnapshots({ ...(o.runDir ? { dir: o.runDir } : {}), excludePid: process.pid });
  const merge = (snapshots: MetricsSnapshot[]) => mergeSeries([registry.collect(), ...snapshots.map((s) => s.series)]);

  const sample = async () => {
    const now = Date.now();
    const snapshots = await liveSnapshots();
    // Downtime as Managed Flink reports it: 0 while a writer runs, else how long none has.
    const writerUp = registry.components.has('writer') || snapshots.some((s) => s.components.includes('writer'));
    if (writerUp) writerLastSeen = now;
    registry.set('WriterDowntime', writerUp ? 0 : now - (writerLastSeen ?? startedAt));
    history.push({ t: now, v: flatten(merge(snapshots)) });
    components = [
      { pid: process.pid, components: [...registry.components].sort(), self: true, ageMs: 0 },
      ...snapshots.map((s) => ({ pid: s.pid, components: s.components, self: false, ageMs: now - s.at })),
    ];
    const points = history.since(now - 30 * 60_000);
    alarms = ALARM_KEYS.map((key): AlarmView => {
      const a: AlarmDefinition = Alarms[key];
      const metric = localMetricOf(a.metric)!;
      const cw = cloudMetricOf(a.metric)!;
      return {
        key,
        title: a.title,
        description: a.description,
        metric,
        cloudWatch: `${cw.namespace} ${cw.metricName}${a.expression ? ` (${a.expression})` : ''}`,
        statistic: a.statistic,
        period: a.period,
        comparison: a.comparison,
        threshold: a.threshold,
        evaluationPeriods: a.evaluationPeriods,
        datapointsToAlarm: a.datapointsToAlarm,
        ...evaluateAlarm(a, metric, points, now),
      };
    });
  };

  const sampleMs = o.sampleMs ?? 2_000;
  const probeMs = o.probeMs ?? 3_000;
  const sampling = everyInterval(sample, sampleMs, probes.sample);
  const probing =
    o.probe === false
      ? []
      : [
          everyInterval(
            sqsDlqProbe(
              sqs,
              {
                ...(env.DLQ_QUEUE_URL ? { url: env.DLQ_QUEUE_URL } : {}),
                name: env.STREAM_DLQ_QUEUE ?? 'chargebacks-stream-processor-dlq',
              },
              registry,
            ),
            probeMs,
            probes.sqs,
          ),
          everyInterval(
            kafkaProbe(admin, { topic: writer.topic, dlqTopic: writer.dlqTopic, groupId: writer.groupId }, registry),
            probeMs,
            probes.kafka,
          ),
          everyInterval(() => landing.refresh(), probeMs, probes.landing),
        ];
  // First figures as soon as possible: probe once, then sample.
  void Promise.all(probing.map((p) => p.now())).then(() => sampling.now());

  const layout = () => ({
    widgets: localWidgets(),
    headline: HEADLINE.map((metric) => ({
      metric,
      unit: Catalogue[metric].unit,
      kind: Catalogue[metric].kind,
      description: Catalogue[metric].description,
    })),
    metrics: Object.fromEntries(METRIC_NAMES.map((n) => [n, Catalogue[n]])),
    sampleMs,
  });

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? '/', 'http://local');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    if (path !== '/metrics' && path !== '/dashboard' && !path.startsWith('/dashboard/')) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(
        res,
        405,
        'application/json',
        JSON.stringify({ error: 'METHOD_NOT_ALLOWED', message: `${req.method} is not allowed here; use GET` }),
        { allow: 'GET' },
      );
      return true;
    }
    if (path === '/metrics') {
      send(res, 200, PROMETHEUS_CONTENT_TYPE, renderPrometheus(merge(await liveSnapshots())));
    } else if (path in STATIC) {
      const [file, type] = STATIC[path as keyof typeof STATIC];
      send(res, 200, type, await readFile(new URL(file, import.meta.url), 'utf8'));
    } else if (path === '/dashboard/data') {
      const since = url.searchParams.has('since') ? Number(url.searchParams.get('since')) : undefined;
      const body = {
        now: Date.now(),
        startedAt,
        ...(since === undefined ? { layout: layout() } : {}),
        points: history.since(since),
        components,
        alarms,
        landing: landing.current(),
        probes,
      };
      send(res, 200, 'application/json', JSON.stringify(body));
    } else if (path === '/dashboard/file') {
      const key = url.searchParams.get('key') ?? '';
      if (!isLandedPartKey(key, writer.prefix)) {
        send(
          res,
          404,
          'application/json',
          JSON.stringify({ error: 'NOT_FOUND', message: `${key} is not a committed part file under ${writer.prefix}` }),
        );
      } else {
        try {
          send(res, 200, 'application/json', JSON.stringify(await landing.inspect(key)));
        } catch (e) {
          send(
            res,
            502,
            'application/json',
            JSON.stringify({
              error: 'UNREADABLE',
              message: `could not read s3://${writer.bucket}/${key}: ${(e as Error).message}`,
            }),
          );
        }
      }
    } else {
      send(
        res,
        404,
        'application/json',
        JSON.stringify({ error: 'NOT_FOUND', message: `no dashboard route ${path}; try /dashboard or /metrics` }),
      );
    }
    return true;
  };

  return {
    routes: [route],
    stop: async () => {
      await Promise.all([sampling, ...probing].map((r) => r.stop()));
      await admin.disconnect().catch(() => undefined);
      sqs.destroy();
      s3.destroy();
    },
  };
}

function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}
