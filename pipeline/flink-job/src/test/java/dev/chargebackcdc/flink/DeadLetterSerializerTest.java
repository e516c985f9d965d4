package dev.chargebackcdc.flink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
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
}
