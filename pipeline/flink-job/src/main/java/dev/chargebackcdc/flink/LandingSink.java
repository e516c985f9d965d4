package dev.chargebackcdc.flink;

import java.time.ZoneId;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.DateTimeBucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;

/**
 * The landing zone sink: {@code <base>/YYYY-MM-DD/HH/part-<uuid>-<counter>.parquet}, UTC.
 *
 * <ul>
 *   <li>{@link FileSink} (Sink V2, {@code sinkTo}), not the legacy StreamingFileSink removed in Flink 2.x.
 *   <li>Bulk formats (Parquet) can only roll on checkpoint: a Parquet file is not valid until its footer is
 *       written, so the sink closes every in-progress file when a checkpoint starts, and commits it (on S3:
 *       completes the multipart upload) when that checkpoint completes. {@link OnCheckpointRollingPolicy} says
 *       exactly that; DefaultRollingPolicy is for row formats and does not type-check with forBulkFormat. The
 *       rollover interval is therefore the checkpoint interval.
 *   <li>{@link DateTimeBucketAssigner} buckets by processing time, in the JVM's default zone unless told
 *       otherwise: UTC is set explicitly.
 * </ul>
 */
public final class LandingSink {
  public static final String BUCKET_FORMAT = "yyyy-MM-dd/HH";
  public static final ZoneId BUCKET_ZONE = ZoneId.of("UTC");
  public static final String PART_PREFIX = "part";
  public static final String PART_SUFFIX = ".parquet";

  private LandingSink() {}

  public static FileSink<GenericRecord> create(String basePath, Schema schema) {
    return FileSink.forBulkFormat(new Path(basePath), ChangeRecordParquetWriter.factory(schema))
        .withBucketAssigner(bucketAssigner())
        .withRollingPolicy(OnCheckpointRollingPolicy.build())
        .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix(PART_PREFIX).withPartSuffix(PART_SUFFIX).build())
        .build();
  }

  public static BucketAssigner<GenericRecord, String> bucketAssigner() {
    return new DateTimeBucketAssigner<>(BUCKET_FORMAT, BUCKET_ZONE);
  }

  /** {@code s3://<bucket>/<prefix>} with the prefix's slashes tidied. */
  public static String basePath(String bucket, String prefix) {
    String p = prefix.replaceAll("^/+|/+$", "");
    return "s3://" + bucket + (p.isEmpty() ? "" : "/" + p);
  }
}
