package dev.chargebackcdc.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class ChangeRecordSchemaTest {
  @Test
  void loadsTheOneSchemaFromPipelineSchema() {
    Schema s = ChangeRecordSchema.get();
    assertEquals("com.chargebackcdc.schema.ChargebackChange", s.getFullName());
    assertEquals(List.of("schema_version", "event_id", "event_type", "sequence_number", "event_time", "chargeback_id",
        "merchant_id", "amount", "currency", "reason", "status", "previous_status", "created_at", "updated_at"),
        s.getFields().stream().map(Schema.Field::name).toList());
    assertEquals(LogicalTypes.decimal(18, 4), s.getField("amount").schema().getLogicalType());
    assertEquals(LogicalTypes.timestampMillis(), s.getField("event_time").schema().getLogicalType());
  }
}
