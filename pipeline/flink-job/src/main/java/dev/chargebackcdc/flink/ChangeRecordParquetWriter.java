package dev.chargebackcdc.flink;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.formats.parquet.ParquetBuilder;
import org.apache.flink.formats.parquet.ParquetWriterFactory;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;

/**
 * The Parquet writer of a part file, built from the explicit change-record Avro schema.
 *
 * <p>Not {@code AvroParquetWriters.forGenericRecord(schema)}: that leaves parquet-mr's defaults, which are
 * UNCOMPRESSED pages and 128 MiB row groups. Here pages are SNAPPY-compressed and a row group is at most
 * {@link #ROW_GROUP_BYTES} (a part file rolls on every checkpoint, so files are small and a row group is
 * buffered in memory until then). The Avro schema gives exact types: amount DECIMAL(18,4), timestamps
 * TIMESTAMP(MILLIS, UTC), previous_status the only optional column.
 */
public final class ChangeRecordParquetWriter {
  public static final CompressionCodecName COMPRESSION = CompressionCodecName.SNAPPY;
  public static final long ROW_GROUP_BYTES = 16L * 1024 * 1024;
  public static final int PAGE_BYTES = 1024 * 1024;

  private ChangeRecordParquetWriter() {}

  /** A serializable factory for FileSink.forBulkFormat (the schema travels as its JSON text). */
  public static ParquetWriterFactory<GenericRecord> factory(Schema schema) {
    String schemaJson = schema.toString();
    ParquetBuilder<GenericRecord> builder = out -> create(out, new Schema.Parser().parse(schemaJson));
    return new ParquetWriterFactory<>(builder);
  }

  /** Opens a writer on any Parquet OutputFile (FileSink's stream, or a local file in tests). */
  public static ParquetWriter<GenericRecord> create(OutputFile out, Schema schema) throws java.io.IOException {
    return AvroParquetWriter.<GenericRecord>builder(out)
        .withSchema(schema)
        .withDataModel(GenericData.get())
        .withCompressionCodec(COMPRESSION)
        .withRowGroupSize(ROW_GROUP_BYTES)
        .withPageSize(PAGE_BYTES)
        .withDictionaryEncoding(true)
        .build();
  }
}
