package dev.chargebackcdc.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.GenericRecordAvroTypeInfo;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class DropDuplicateChangesTest {
  private static final long TTL_MS = 60_000;

  private static KeyedOneInputStreamOperatorTestHarness<String, GenericRecord, GenericRecord> harness() throws Exception {
    var h = new KeyedOneInputStreamOperatorTestHarness<>(
        new KeyedProcessOperator<>(new DropDuplicateChanges(TTL_MS)), DropDuplicateChanges::keyOf, Types.STRING);
    // Avro-serialised like in the job (GenericRecordAvroTypeInfo), not Kryo.
    h.setup(new GenericRecordAvroTypeInfo(ChangeRecordSchema.get()).createSerializer(new SerializerConfigImpl()));
    return h;
  }

  private static GenericRecord change(String chargebackId, String eventId, String sequenceNumber) {
    Map<String, Object> m = Fixtures.insert();
    m.put("chargeback_id", chargebackId);
    m.put("event_id", eventId);
    m.put("sequence_number", sequenceNumber);
    return ((DecodeResult.Valid) new ChangeRecordDecoder().decode(Fixtures.bytes(m))).record();
  }

  private static List<String> eventIds(KeyedOneInputStreamOperatorTestHarness<String, GenericRecord, GenericRecord> h) {
    return h.extractOutputValues().stream().map(r -> r.get("event_id").toString()).toList();
  }

  @Test
  void dropsARepublishedStreamRecordAndKeepsEveryOtherChange() throws Exception {
    try (var h = harness()) {
      h.open();
      // A Lambda retry re-publishes the batch [e1, e2] after e3 of another chargeback.
      h.processElement(new StreamRecord<>(change("cb_1", "e1", "100")));
      h.processElement(new StreamRecord<>(change("cb_1", "e2", "101")));
      h.processElement(new StreamRecord<>(change("cb_2", "e3", "102")));
      h.processElement(new StreamRecord<>(change("cb_1", "e1", "100")));
      h.processElement(new StreamRecord<>(change("cb_1", "e2", "101")));
      h.processElement(new StreamRecord<>(change("cb_1", "e4", "103")));

      assertEquals(List.of("e1", "e2", "e3", "e4"), eventIds(h));
    }
  }

  @Test
  void remembersSeenEventsAcrossACheckpointRestore() throws Exception {
    OperatorSubtaskState snapshot;
    try (var h = harness()) {
      h.open();
      h.processElement(new StreamRecord<>(change("cb_1", "e1", "100")));
      snapshot = h.snapshot(1L, 1L);
    }
    try (var restored = harness()) {
      restored.initializeState(snapshot);
      restored.open();
      restored.processElement(new StreamRecord<>(change("cb_1", "e1", "100")));
      restored.processElement(new StreamRecord<>(change("cb_1", "e5", "104")));
      assertEquals(List.of("e5"), eventIds(restored));
    }
  }

  @Test
  void forgetsAnEventAfterTheTtl() throws Exception {
    try (var h = harness()) {
      h.open();
      h.setStateTtlProcessingTime(0);
      h.processElement(new StreamRecord<>(change("cb_1", "e1", "100")));
      h.setStateTtlProcessingTime(TTL_MS + 1);
      h.processElement(new StreamRecord<>(change("cb_1", "e1", "100")));
      assertEquals(List.of("e1", "e1"), eventIds(h));
    }
  }
}
