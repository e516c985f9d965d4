import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroReadSupport;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * The Flink job's reader for the engine comparison: parquet-avro 1.13.1 (from the job's shaded JAR)
 * reading each file with the job's own Avro schema as the read schema — what Flink's
 * AvroParquetReaders.forGenericRecord(ChangeRecordSchema.get()) does. Prints
 * {"files":[{"path","rows":[…]} | {"path","error"}]} with values in the same canonical form as
 * scripts/parquet_dump.py (decimals as plain strings without trailing zeros, timestamps as
 * ISO-8601 UTC with milliseconds), so the two readers' rows compare directly.
 *
 * Run: java -cp "target/chargeback-flink-job.jar:$(cat target/provided-classpath.txt)" bench/java/ParquetReadBack.java FILE...
 */
public final class ParquetReadBack {
  private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  public static void main(String[] args) throws Exception {
    Schema schema = (Schema) Class.forName("dev.chargebackcdc.flink.ChangeRecordSchema").getMethod("get").invoke(null);
    StringBuilder out = new StringBuilder("{\"files\":[");
    for (int i = 0; i < args.length; i++) {
      if (i > 0) out.append(',');
      out.append("{\"path\":").append(json(args[i])).append(',');
      StringBuilder rows = new StringBuilder();
      try {
        Configuration conf = new Configuration(false);
        AvroReadSupport.setAvroReadSchema(conf, schema);
        AvroReadSupport.setRequestedProjection(conf, schema);
        try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new BytesInputFile(Files.readAllBytes(Path.of(args[i])))).withConf(conf).build()) {
          boolean first = true;
          for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
            if (!first) rows.append(',');
            first = false;
            appendRow(rows, r, schema);
          }
        }
        out.append("\"rows\":[").append(rows).append("]}");
      } catch (Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String why = root == e ? "" : " (caused by " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
        out.append("\"error\":").append(json(e.getClass().getSimpleName() + ": " + e.getMessage().replaceAll(" in file .*$", "") + why)).append('}');
      }
    }
    System.out.println(out.append("]}"));
  }

  private static void appendRow(StringBuilder sb, GenericRecord r, Schema schema) {
    sb.append('{');
    boolean first = true;
    for (Schema.Field f : schema.getFields()) {
      if (!first) sb.append(',');
      first = false;
      sb.append(json(f.name())).append(':').append(value(r.get(f.name()), f.schema()));
    }
    sb.append('}');
  }

  private static String value(Object v, Schema s) {
    if (v == null) return "null";
    if (s.getType() == Schema.Type.UNION) s = s.getTypes().get(s.getTypes().get(0).getType() == Schema.Type.NULL ? 1 : 0);
    if (s.getLogicalType() instanceof LogicalTypes.Decimal d) {
      BigDecimal dec = v instanceof ByteBuffer b ? new BigDecimal(new BigInteger(bytesOf(b)), d.getScale()) : new BigDecimal(v.toString());
      return json(dec.signum() == 0 ? "0" : dec.stripTrailingZeros().toPlainString());
    }
    if (s.getLogicalType() instanceof LogicalTypes.TimestampMillis) return json(ISO.format(Instant.ofEpochMilli(((Number) v).longValue())));
    if (v instanceof Number) return v.toString();
    return json(v.toString());
  }

  private static byte[] bytesOf(ByteBuffer b) {
    ByteBuffer d = b.duplicate();
    byte[] a = new byte[d.remaining()];
    d.get(a);
    return a;
  }

  private static String json(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
          else sb.append(c);
        }
      }
    }
    return sb.append('"').toString();
  }

  /** A Parquet file held in memory. */
  private static final class BytesInputFile implements InputFile {
    private final byte[] data;

    BytesInputFile(byte[] data) {
      this.data = data;
    }

    @Override
    public long getLength() {
      return data.length;
    }

    @Override
    public SeekableInputStream newStream() {
      Seekable in = new Seekable(data);
      return new DelegatingSeekableInputStream(in) {
        @Override
        public long getPos() {
          return in.position();
        }

        @Override
        public void seek(long newPos) {
          in.seekTo(newPos);
        }
      };
    }
  }

  private static final class Seekable extends ByteArrayInputStream {
    Seekable(byte[] data) {
      super(data);
    }

    long position() {
      return pos;
    }

    void seekTo(long p) {
      pos = (int) p;
    }
  }
}
