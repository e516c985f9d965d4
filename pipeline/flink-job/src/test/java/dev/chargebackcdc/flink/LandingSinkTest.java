package dev.chargebackcdc.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Instant;
import java.util.TimeZone;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.junit.jupiter.api.Test;

class LandingSinkTest {

  private static String bucketAt(String instant) {
    long millis = Instant.parse(instant).toEpochMilli();
    BucketAssigner.Context context = new BucketAssigner.Context() {
      @Override
      public long currentProcessingTime() {
        return millis;
      }

      @Override
      public long currentWatermark() {
        return Long.MIN_VALUE;
      }

      @Override
      public Long timestamp() {
        return null;
      }
    };
    return LandingSink.bucketAssigner().getBucketId((GenericRecord) null, context);
  }

  @Test
  void bucketsByUtcDateAndHourWhateverTheJvmZone() {
    // Surefire runs with -Duser.timezone=America/Los_Angeles, so a zone-default assigner would say 2026-11-26/18.
    assertNotEquals("UTC", TimeZone.getDefault().getID());
    assertEquals("2026-11-27/02", bucketAt("2026-11-27T02:51:29.123Z"));
    assertEquals("2026-12-31/23", bucketAt("2026-12-31T23:59:59.999Z"));
    assertEquals("2027-01-01/00", bucketAt("2027-01-01T00:00:00.000Z"));
  }

  @Test
  void landsUnderTheBucketAndPrefix() {
    assertEquals("s3://chargeback-cdc-landing/landing/chargebacks", LandingSink.basePath("chargeback-cdc-landing", "landing/chargebacks"));
    assertEquals("s3://b-1/landing/chargebacks", LandingSink.basePath("b-1", "/landing/chargebacks/"));
    assertEquals("s3://b-1", LandingSink.basePath("b-1", ""));
  }

  @Test
  void namesPartFilesLikeFlinkWithAParquetSuffix() {
    assertEquals("part", LandingSink.PART_PREFIX);
    assertEquals(".parquet", LandingSink.PART_SUFFIX);
  }
}
