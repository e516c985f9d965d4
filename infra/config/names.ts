import type { InfraConfig } from './InfraConfig.ts';

/**
 * Every physical name the deployment uses, derived from the config in one place so that the
 * monitoring stack, the runbooks and `test:aws` agree with the resources without a lookup.
 * The seed named things `<project>-<environment>-<thing>`; so do we.
 */
export function namesOf(config: InfraConfig) {
  const prefix = `${config.project}-${config.environment}`;
  const fn = {
    api: `${prefix}-api`,
    streamProcessor: `${prefix}-stream-processor`,
    topicCreator: `${prefix}-topic-creator`,
    consolidation: `${prefix}-consolidation`,
    consolidationCheck: `${prefix}-consolidation-check`,
    hourCloser: `${prefix}-hour-closer`,
  };
  const flinkApplication = `${prefix}-parquet-writer`;
  return {
    prefix,
    stacks: {
      foundation: `${prefix}-foundation`,
      api: `${prefix}-api`,
      streaming: `${prefix}-streaming`,
      consolidation: `${prefix}-consolidation`,
      monitoring: `${prefix}-monitoring`,
    },
    table: config.table.name ?? `${prefix}-chargebacks`,
    kmsAlias: `alias/${prefix}-data`,
    functions: fn,
    logGroups: {
      api: `/aws/lambda/${fn.api}`,
      streamProcessor: `/aws/lambda/${fn.streamProcessor}`,
      topicCreator: `/aws/lambda/${fn.topicCreator}`,
      consolidation: `/aws/lambda/${fn.consolidation}`,
      consolidationCheck: `/aws/lambda/${fn.consolidationCheck}`,
      hourCloser: `/aws/lambda/${fn.hourCloser}`,
      apiAccess: `/aws/apigateway/${prefix}-http-api`,
      flink: `/aws/kinesis-analytics/${flinkApplication}`,
      vpcFlowLogs: `/aws/vpc/${prefix}-flow-logs`,
    },
    httpApi: `${prefix}-http-api`,
    mskCluster: `${prefix}-msk`,
    dlqQueue: `${prefix}-stream-dlq`,
    consolidationDlq: `${prefix}-consolidation-dlq`,
    hourCloserDlq: `${prefix}-hour-closer-dlq`,
    /** EventBridge Scheduler: the hourly runs, the check at the deadline, and the role both use. */
    schedules: {
      consolidation: `${prefix}-consolidation-hourly`,
      deadlineCheck: `${prefix}-consolidation-deadline-check`,
      role: `${prefix}-consolidation-scheduler`,
      hourCloser: `${prefix}-hour-closer`,
      hourCloserRole: `${prefix}-hour-closer-scheduler`,
    },
    flinkApplication,
    /** The JAR's S3 key carries its content hash, so a new build is a new object version and a new key. */
    flinkJarKey: (hash: string) => `artifacts/flink/chargeback-flink-job-${hash}.jar`,
    /** Glue and Athena: database names take lower-case letters, digits and underscores only. */
    catalog: {
      database: prefix.replaceAll('-', '_'),
      workgroup: `${prefix}-analytics`,
      analystPolicy: `${prefix}-analytics-query`,
    },
    alarmTopic: `${prefix}-alarms`,
    dashboard: `${prefix}-pipeline`,
  };
}

export type Names = ReturnType<typeof namesOf>;
