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

  // The sequence-number rule, as DuplicateFilter.ts applies it: a change at or below the highest sequence number
  // landed for its chargeback is dropped, whatever its event_id.

  @Test
  void dropsAnOlderChangeOfTheChargebackArrivingAfterANewerOne() throws Exception {
    try (var h = harness()) {
      h.open();
      h.processElement(new StreamRecord<>(change("cb_1", "e1", "100")));
      h.processElement(new StreamRecord<>(change("cb_1", "e2", "200")));
      h.processElement(new StreamRecord<>(change("cb_1", "e3", "150")));
      h.processElement(new StreamRecord<>(change("cb_1", "e4", "201")));
      assertEquals(List.of("e1", "e2", "e4"), eventIds(h));
    }
  }

  @Test
  void dropsAnEqualSequenceNumberUnderAnotherEventId() throws Exception {
    try (var h = harness()) {
      h.open();
      h.processElement(new StreamRecord<>(change("cb_1", "e1", "100")));
      h.processElement(new StreamRecord<>(change("cb_1", "e2", "100")));
      assertEquals(List.of("e1"), eventIds(h));
    }
  }

  @Test
  void comparesSequenceNumbersAsNumbersOfUpTo40Digits() throws Exception {
    String forty = "4" + "0".repeat(39);
    String fortyPlusOne = "4" + "0".repeat(38) + "1";
    try (var h = harness()) {
      h.open();
      // As text "10000" sorts before "9999"; as numbers it is newer.
      h.processElement(new StreamRecord<>(change("cb_1", "e1", "9999")));
      h.processElement(new StreamRecord<>(change("cb_1", "e2", "10000")));
      h.processElement(new StreamRecord<>(change("cb_1", "e3", "999")));
      // Leading zeros do not change the number (BigInt("0100") in TypeScript is 100 too).
      h.processElement(new StreamRecord<>(change("cb_2", "e4", "100")));
      h.processElement(new StreamRecord<>(change("cb_2", "e5", "0100")));
      h.processElement(new StreamRecord<>(change("cb_2", "e6", "0101")));
      // Beyond a long: 4·10^39.
      h.processElement(new StreamRecord<>(change("cb_3", "e7", forty)));
      h.processElement(new StreamRecord<>(change("cb_3", "e8", fortyPlusOne)));
      h.processElement(new StreamRecord<>(change("cb_3", "e9", forty)));
      assertEquals(List.of("e1", "e2", "e4", "e6", "e7", "e8"), eventIds(h));
    }
  }

  @Test
  void keepsOneHighestSequenceNumberPerChargeback() throws Exception {
    try (var h = harness()) {
      h.open();
      h.processElement(new StreamRecord<>(change("cb_1", "e1", "500")));
      h.processElement(new StreamRecord<>(change("cb_2", "e2", "100")));
      h.processElement(new StreamRecord<>(change("cb_2", "e3", "101")));
      assertEquals(List.of("e1", "e2", "e3"), eventIds(h));
    }
  }

  @Test
  void onlyLandedChangesRaiseTheHighestSequenceNumber() throws Exception {
    try (var h = harness()) {
      h.open();
      h.processElement(new StreamRecord<>(change("cb_1", "e1", "100")));
      // A re-published e1 carrying a higher number is dropped by its event_id and must not move the mark.
      h.processElement(new StreamRecord<>(change("cb_1", "e1", "300")));
      h.processElement(new StreamRecord<>(change("cb_1", "e2", "200")));
      assertEquals(List.of("e1", "e2"), eventIds(h));
    }
  }

  @Test
  void remembersTheHighestSequenceNumberAcrossACheckpointRestore() throws Exception {
    OperatorSubtaskState snapshot;
    try (var h = harness()) {
      h.open();
      h.processElement(new StreamRecord<>(change("cb_1", "e1", "100")));
      snapshot = h.snapshot(1L, 1L);
    }
    try (var restored = harness()) {
      restored.initializeState(snapshot);
      restored.open();
      restored.processElement(new StreamRecord<>(change("cb_1", "e2", "99")));
      restored.processElement(new StreamRecord<>(change("cb_1", "e3", "101")));
      assertEquals(List.of("e3"), eventIds(restored));
    }
  }

  @Test
  void keepsTheHighestSequenceNumberForTheTtlAfterTheChargebacksNewestLandedChange() throws Exception {
    try (var h = harness()) {
      h.open();
      h.setStateTtlProcessingTime(0);
      h.processElement(new StreamRecord<>(change("cb_1", "e1", "100")));
      h.setStateTtlProcessingTime(TTL_MS / 2);
      h.processElement(new StreamRecord<>(change("cb_1", "e2", "200")));
      // TTL after e1 but not after e2: 200 is still remembered.
      h.setStateTtlProcessingTime(TTL_MS + 1);
      h.processElement(new StreamRecord<>(change("cb_1", "e3", "150")));
      // TTL after e2 too: the chargeback is forgotten, like an event_id after the TTL.
      h.setStateTtlProcessingTime(TTL_MS / 2 + TTL_MS + 1);
      h.processElement(new StreamRecord<>(change("cb_1", "e4", "50")));
      assertEquals(List.of("e1", "e2", "e4"), eventIds(h));
    }
  }
}
