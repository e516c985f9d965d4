package dev.chargebackcdc.flink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;

class DecodeFunctionTest {
  private final DecodeFunction fn = new DecodeFunction();
  private final List<GenericRecord> landed = new ArrayList<>();
  private final List<DeadLetter> deadLetters = new ArrayList<>();

  private final Collector<GenericRecord> out = new Collector<>() {
    @Override
    public void collect(GenericRecord record) {
      landed.add(record);
    }

    @Override
    public void close() {}
  };

  private final DecodeFunction.Context ctx = fn.new Context() {
    @Override
    public Long timestamp() {
      return null;
    }

    @Override
    public TimerService timerService() {
      throw new UnsupportedOperationException();
    }

    @Override
    public <X> void output(OutputTag<X> tag, X value) {
      assertEquals(DecodeFunction.DEAD_LETTERS, tag);
      deadLetters.add((DeadLetter) value);
    }
  };

  @Test
  void sendsValidRecordsOnAndPoisonRecordsToTheDeadLetterOutput() {
    byte[] key = Fixtures.utf8("cb_1");
    byte[] good = Fixtures.bytes(Fixtures.insert());
    byte[] bad = Fixtures.bytes(Fixtures.with("schema_version", 7));

    fn.processElement(new KafkaRecord("chargebacks", 1, 10L, key, good), ctx, out);
    fn.processElement(new KafkaRecord("chargebacks", 1, 11L, key, bad), ctx, out);

    assertEquals(1, landed.size());
    assertEquals("cb_01JDQ7Z3Y2X1W0V9U8T7S6R5Q4", landed.get(0).get("chargeback_id"));
    assertEquals(1, deadLetters.size());
    DeadLetter d = deadLetters.get(0);
    assertArrayEquals(bad, d.value);
    assertArrayEquals(key, d.key);
    assertEquals("schema_version: unknown schema_version 7; this reader knows 1", d.reason);
    assertEquals("chargebacks", d.sourceTopic);
    assertEquals(1, d.sourcePartition);
    assertEquals(11L, d.sourceOffset);
  }

  @Test
  void neverThrowsOnGarbage() {
    fn.processElement(new KafkaRecord("chargebacks", 0, 0L, null, new byte[] {(byte) 0xFF, 0x00}), ctx, out);
    assertTrue(landed.isEmpty());
    assertEquals("value: is not valid UTF-8", deadLetters.get(0).reason);
  }
}
