package dev.chargebackcdc.flink;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;

/**
 * The change-record Avro schema, read from {@code pipeline/schema/chargeback-change.avsc} (DESIGN §2: the
 * one source of truth). Maven puts that file on the classpath as is; nothing here restates its fields.
 */
public final class ChangeRecordSchema {
  /** Classpath location of the schema file (see the {@code <resource>} in pom.xml). */
  public static final String RESOURCE = "/chargeback-change.avsc";

  /** The change-record schema version this job accepts; any other is dead-lettered. */
  public static final int SCHEMA_VERSION = 1;

  private static final Schema SCHEMA = load();

  private ChangeRecordSchema() {}

  /** The parsed schema (Avro schemas are immutable once parsed, so one instance is shared). */
  public static Schema get() {
    return SCHEMA;
  }

  private static Schema load() {
    try (InputStream in = ChangeRecordSchema.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            RESOURCE + " is not on the classpath: build with pipeline/flink-job/build.sh, which copies pipeline/schema/chargeback-change.avsc");
      }
      return new Schema.Parser().parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }
}
