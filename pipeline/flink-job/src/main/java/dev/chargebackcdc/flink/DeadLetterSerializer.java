package dev.chargebackcdc.flink;

import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Writes a dead letter to the DLQ topic with the original key and value bytes and the headers shared with
 * the embedded writer (pipeline/kafka/topics.ts DlqHeaders). The partition is left to the producer, so the
 * DLQ is keyed by chargeback_id with Kafka's default murmur2 partitioner, like the source topic.
 */
public class DeadLetterSerializer implements KafkaRecordSerializationSchema<DeadLetter> {
  private static final long serialVersionUID = 1L;

  public static final String REASON = "dlq.reason";
  public static final String SOURCE_TOPIC = "dlq.source.topic";
  public static final String SOURCE_PARTITION = "dlq.source.partition";
  public static final String SOURCE_OFFSET = "dlq.source.offset";

  private final String topic;

  public DeadLetterSerializer(String topic) {
    this.topic = topic;
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(DeadLetter letter, KafkaSinkContext context, Long timestamp) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(REASON, utf8(letter.reason));
    headers.add(SOURCE_TOPIC, utf8(letter.sourceTopic));
    headers.add(SOURCE_PARTITION, utf8(Integer.toString(letter.sourcePartition)));
    headers.add(SOURCE_OFFSET, utf8(Long.toString(letter.sourceOffset)));
    return new ProducerRecord<>(topic, null, null, letter.key, letter.value, headers);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
