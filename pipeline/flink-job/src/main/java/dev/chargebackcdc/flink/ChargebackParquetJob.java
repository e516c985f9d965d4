package dev.chargebackcdc.flink;

import com.amazonaws.services.kinesisanalytics.runtime.KinesisAnalyticsRuntime;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.formats.avro.typeutils.GenericRecordAvroTypeInfo;
import org.apache.flink.streaming.api.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka topic {@code chargebacks} → decode/validate → Parquet part files in
 * {@code s3://<bucket>/landing/chargebacks/YYYY-MM-DD/HH/}, with poison records to {@code chargebacks-dlq}.
 *
 * <p>Guarantees: exactly once per Kafka record into committed Parquet files, by Flink's two-phase commit:
 * the Kafka positions are part of each checkpoint, part files are committed only when the checkpoint that
 * holds their records completes, and a restart resumes from the last completed checkpoint. On a first start
 * (no checkpoint) the source resumes from the group's committed offsets, or the earliest offset when the group
 * has none, so nothing written before the first start is skipped. The DLQ is at-least-once (flushed on every
 * checkpoint, but not transactional): a dead letter may be repeated after a failure, never lost. Upstream
 * duplicates (the same DynamoDB stream record published twice, or a change at or below the newest landed
 * sequence number of its chargeback) are dropped by the embedded writer's rule, see {@link DropDuplicateChanges}.
 */
public final class ChargebackParquetJob {
  public static final String JOB_NAME = "chargeback-cdc parquet writer";
  private static final Logger LOG = LoggerFactory.getLogger(ChargebackParquetJob.class);

  private ChargebackParquetJob() {}

  public static void main(String[] args) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    boolean local = env instanceof LocalStreamEnvironment;
    CommandLine cli = CommandLine.parse(args);
    JobConfig config = JobConfig.from(propertyGroups(cli, local), cli.overrides());
    LOG.info("Starting {} with {}", JOB_NAME, config);
    if (local) {
      System.exit(LocalRun.run(config));
    } else {
      build(env, config);
      env.execute(JOB_NAME);
    }
  }

  /** Property groups from the --config file, else (on Managed Flink) from the application's runtime properties. */
  static Map<String, Properties> propertyGroups(CommandLine cli, boolean local) throws java.io.IOException {
    if (cli.configFile() != null) return KinesisAnalyticsRuntime.getApplicationProperties(cli.configFile());
    return local ? Map.of() : KinesisAnalyticsRuntime.getApplicationProperties();
  }

  /** Adds the whole pipeline to an environment (the same graph locally and on Managed Flink). */
  public static void build(StreamExecutionEnvironment env, JobConfig config) {
    // Also the rollover: Parquet part files roll on every checkpoint (see LandingSink). On Managed Flink the
    // application's CheckpointConfiguration should carry the same interval.
    env.enableCheckpointing(config.checkpointIntervalMs(), CheckpointingMode.EXACTLY_ONCE);

    Schema schema = ChangeRecordSchema.get();
    KafkaSource<KafkaRecord> source = KafkaSource.<KafkaRecord>builder()
        .setBootstrapServers(config.bootstrapServers())
        .setTopics(config.topic())
        .setGroupId(config.groupId())
        // Not latest(): records written before the job's first start must land too.
        .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
        .setDeserializer(new KafkaRecordDeserializer())
        .setProperties(KafkaAuth.properties(config.auth()))
        .setClientIdPrefix(config.groupId())
        .build();

    SingleOutputStreamOperator<GenericRecord> changes = env
        .fromSource(source, WatermarkStrategy.noWatermarks(), "kafka-source")
        .uid("kafka-source")
        .process(new DecodeFunction(), new GenericRecordAvroTypeInfo(schema))
        .name("decode")
        .uid("decode");

    changes
        .keyBy(DropDuplicateChanges::keyOf)
        .process(new DropDuplicateChanges(config.dedupeTtlMs()), new GenericRecordAvroTypeInfo(schema))
        .name("drop-duplicates")
        .uid("drop-duplicates")
        .sinkTo(LandingSink.create(config.landingPath(), schema))
        .name("landing-sink")
        .uid("landing-sink");

    changes.getSideOutput(DecodeFunction.DEAD_LETTERS)
        .sinkTo(deadLetterSink(config))
        .name("dlq-sink")
        .uid("dlq-sink");
  }

  static KafkaSink<DeadLetter> deadLetterSink(JobConfig config) {
    Properties producer = KafkaAuth.properties(config.auth());
    producer.setProperty("enable.idempotence", "true");
    producer.setProperty("acks", "all");
    return KafkaSink.<DeadLetter>builder()
        .setBootstrapServers(config.bootstrapServers())
        .setKafkaProducerConfig(producer)
        .setRecordSerializer(new DeadLetterSerializer(config.dlqTopic()))
        // At-least-once: flushed before each checkpoint completes; EXACTLY_ONCE would need Kafka transactions.
        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
        .build();
  }
}
