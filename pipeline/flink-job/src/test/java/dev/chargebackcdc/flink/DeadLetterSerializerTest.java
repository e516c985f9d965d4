package dev.chargebackcdc.flink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class DeadLetterSerializerTest {

  private static String header(ProducerRecord<byte[], byte[]> r, String name) {
    return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  @Test
  void sendsTheOriginalBytesWithReasonAndOriginHeaders() {
    byte[] key = Fixtures.utf8("cb_1");
    byte[] value = new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'};
    DeadLetter letter = DeadLetter.of(new KafkaRecord("chargebacks", 2, 417L, key, value), "value: is not valid UTF-8");

    ProducerRecord<byte[], byte[]> r = new DeadLetterSerializer("chargebacks-dlq").serialize(letter, null, 0L);

    assertEquals("chargebacks-dlq", r.topic());
    assertNull(r.partition(), "partition left to the producer's murmur2 key partitioner");
    assertArrayEquals(key, r.key());
    assertArrayEquals(value, r.value());
    assertEquals("value: is not valid UTF-8", header(r, "dlq.reason"));
    assertEquals("chargebacks", header(r, "dlq.source.topic"));
    assertEquals("2", header(r, "dlq.source.partition"));
    assertEquals("417", header(r, "dlq.source.offset"));
  }

  @Test
  void keepsANullKeyAndATombstoneAsTheyWere() {
    DeadLetter letter = DeadLetter.of(new KafkaRecord("chargebacks", 0, 0L, null, null), "value: is empty (tombstone or missing value)");
    ProducerRecord<byte[], byte[]> r = new DeadLetterSerializer("chargebacks-dlq").serialize(letter, null, 0L);
    assertNull(r.key());
    assertNull(r.value());
  }

  @Test
  void keepsTheOriginalHeadersAndReplacesAnOriginalDlqHeader() {
    KafkaRecord source = new KafkaRecord("chargebacks", 1, 7L, Fixtures.utf8("cb_1"), Fixtures.utf8("[1]"))
        .withHeaders(new String[] {"x-trace-id", "dlq.reason", "x-trace-id"},
            new byte[][] {Fixtures.utf8("t-1"), Fixtures.utf8("from upstream"), Fixtures.utf8("t-2")});
    ProducerRecord<byte[], byte[]> r =
        new DeadLetterSerializer("chargebacks-dlq").serialize(DeadLetter.of(source, "value: must be a JSON object"), null, 0L);

    List<String> names = new ArrayList<>();
    r.headers().forEach(h -> names.add(h.key()));
    assertEquals(List.of("x-trace-id", "x-trace-id", "dlq.reason", "dlq.source.topic", "dlq.source.partition", "dlq.source.offset"), names);
    List<String> traces = new ArrayList<>();
    r.headers().headers("x-trace-id").forEach(h -> traces.add(new String(h.value(), StandardCharsets.UTF_8)));
    assertEquals(List.of("t-1", "t-2"), traces);
    assertEquals("value: must be a JSON object", header(r, "dlq.reason"));
  }
}
