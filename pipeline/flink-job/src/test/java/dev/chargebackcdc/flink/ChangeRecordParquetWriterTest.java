package dev.chargebackcdc.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileSystem.WriteMode;
import org.apache.flink.core.fs.local.LocalFileSystem;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Writes a part file exactly as the FileSink does (ParquetWriterFactory over a Flink output stream) and reads
 * it back. The expected Parquet schema below is the contract the embedded TypeScript writer must match; the
 * file itself is kept at target/parquet-contract/flink-part-file.parquet for cross-checks.
 */
class ChangeRecordParquetWriterTest {
  static final String EXPECTED_PARQUET_SCHEMA = String.join("\n",
      "message com.chargebackcdc.schema.ChargebackChange {",
      "  required int32 schema_version;",
      "  required binary event_id (STRING);",
      "  required binary event_type (STRING);",
      "  required binary sequence_number (STRING);",
      "  required int64 event_time (TIMESTAMP(MILLIS,true));",
      "  required binary chargeback_id (STRING);",
      "  required binary merchant_id (STRING);",
      "  required binary amount (DECIMAL(18,4));",
      "  required binary currency (STRING);",
      "  required binary reason (STRING);",
      "  required binary status (STRING);",
      "  optional binary previous_status (STRING);",
      "  required int64 created_at (TIMESTAMP(MILLIS,true));",
      "  required int64 updated_at (TIMESTAMP(MILLIS,true));",
      "}",
      "");

  private static byte[] file;

  @BeforeAll
  static void writePartFile() throws IOException {
    ChangeRecordDecoder decoder = new ChangeRecordDecoder();
    List<GenericRecord> records = new ArrayList<>();
    records.add(((DecodeResult.Valid) decoder.decode(Fixtures.bytes(Fixtures.insert()))).record());
    Map<String, Object> remove = Fixtures.insert();
    remove.put("event_type", "REMOVE");
    remove.put("status", "LOST");
    remove.put("previous_status", "REPRESENTED");
    remove.put("currency", "KWD");
    remove.put("amount", "12.345");
    remove.put("reason", "Käufer — 未着 📦");
    records.add(((DecodeResult.Valid) decoder.decode(Fixtures.bytes(remove))).record());

    Path out = Path.of("target", "parquet-contract", "flink-part-file.parquet").toAbsolutePath();
    Files.createDirectories(out.getParent());
    FSDataOutputStream stream = LocalFileSystem.getSharedInstance()
        .create(new org.apache.flink.core.fs.Path(out.toUri()), WriteMode.OVERWRITE);
    BulkWriter<GenericRecord> writer = ChangeRecordParquetWriter.factory(ChangeRecordSchema.get()).create(stream);
    for (GenericRecord r : records) writer.addElement(r);
    writer.finish(); // writes the footer; FileSink does this when it rolls the part file on checkpoint
    stream.close();
    file = Files.readAllBytes(out);
  }

  private static ParquetMetadata footer() throws IOException {
    try (ParquetFileReader reader = ParquetFileReader.open(new BytesInputFile(file))) {
      return reader.getFooter();
    }
  }

  @Test
  void writesTheParquetSchemaDerivedFromTheAvroSchema() throws IOException {
    assertEquals(EXPECTED_PARQUET_SCHEMA, footer().getFileMetaData().getSchema().toString());
  }

  @Test
  void compressesEveryColumnWithSnappy() throws IOException {
    for (BlockMetaData block : footer().getBlocks()) {
      for (ColumnChunkMetaData column : block.getColumns()) {
        assertEquals(CompressionCodecName.SNAPPY, column.getCodec(), column.getPath().toDotString());
      }
    }
  }

  @Test
  void storesTheAvroSchemaInTheFooter() throws IOException {
    Map<String, String> meta = footer().getFileMetaData().getKeyValueMetaData();
    assertEquals(ChangeRecordSchema.get(), new org.apache.avro.Schema.Parser().parse(meta.get("parquet.avro.schema")));
    assertTrue(footer().getFileMetaData().getCreatedBy().startsWith("parquet-mr version 1.13.1"));
  }

  @Test
  void readsBackTheExactValues() throws IOException {
    List<GenericRecord> rows = new ArrayList<>();
    try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new BytesInputFile(file)).build()) {
      for (GenericRecord r = reader.read(); r != null; r = reader.read()) rows.add(r);
    }
    assertEquals(2, rows.size());
    GenericRecord insert = rows.get(0);
    assertEquals(new BigDecimal("99.9900"), Amounts.fromAvroBytes((ByteBuffer) insert.get("amount")));
    assertEquals(1795747889123L, insert.get("event_time"));
    assertNull(insert.get("previous_status"));
    GenericRecord remove = rows.get(1);
    assertEquals(new BigDecimal("12.3450"), Amounts.fromAvroBytes((ByteBuffer) remove.get("amount")));
    assertEquals("REPRESENTED", remove.get("previous_status").toString());
    assertEquals("Käufer — 未着 📦", remove.get("reason").toString());
  }
}
