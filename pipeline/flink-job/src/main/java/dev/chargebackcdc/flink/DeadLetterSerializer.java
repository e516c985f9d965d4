package dev.chargebackcdc.flink;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Writes a dead letter to the DLQ topic with the original key, value bytes and headers, plus the headers shared
 * with the embedded writer (pipeline/kafka/topics.ts DlqHeaders). An original header of one of those four names
 * is replaced, as the embedded writer's DeadLetterPublisher does, so a reader finds exactly one of each. The
 * partition is left to the producer, so the DLQ is keyed by chargeback_id with Kafka's default murmur2
 * partitioner, like the source topic.
 */
public class DeadLetterSerializer implements KafkaRecordSerializationSchema<DeadLetter> {
  private static final long serialVersionUID = 1L;

  public static final String REASON = "dlq.reason";
  public static final String SOURCE_TOPIC = "dlq.source.topic";
  public static final String SOURCE_PARTITION = "dlq.source.partition";
  public static final String SOURCE_OFFSET = "dlq.source.offset";

  private static final Set<String> OURS = Set.of(REASON, SOURCE_TOPIC, SOURCE_PARTITION, SOURCE_OFFSET);

  private final String topic;

  public DeadLetterSerializer(String topic) {
    this.topic = topic;
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(DeadLetter letter, KafkaSinkContext context, Long timestamp) {
    RecordHeaders headers = new RecordHeaders();
    for (int i = 0; i < letter.headerNames.length; i++) {
      if (!OURS.contains(letter.headerNames[i])) headers.add(letter.headerNames[i], letter.headerValues[i]);
    }
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
