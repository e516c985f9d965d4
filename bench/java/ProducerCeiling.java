import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A native-speed reference for the stream processor's Kafka ceiling: the Java client (kafka-clients
 * from the Flink job's JAR) producing the same pre-encoded messages with the stream processor's
 * guarantees — idempotent, acks=all, one request in flight — one batch at a time, each batch sent
 * and then waited for (as one Lambda invocation does). Not a candidate for the Lambda (it is
 * Node); it shows how far kafkajs is from what the broker on this machine accepts.
 *
 * Run: java -cp "<flink-job jar>:<provided classpath>" bench/java/ProducerCeiling.java BROKERS TOPIC BATCH MESSAGES_FILE
 * MESSAGES_FILE: one "key\tvalue" line per message. Prints {"records":N,"ms":T}.
 */
public final class ProducerCeiling {
  public static void main(String[] args) throws Exception {
    String brokers = args[0];
    String topic = args[1];
    int batch = Integer.parseInt(args[2]);
    List<byte[][]> messages = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(args[3]), StandardCharsets.UTF_8)) {
      int tab = line.indexOf('\t');
      messages.add(new byte[][] {line.substring(0, tab).getBytes(StandardCharsets.UTF_8), line.substring(tab + 1).getBytes(StandardCharsets.UTF_8)});
    }
    Properties p = new Properties();
    p.put("bootstrap.servers", brokers);
    p.put("acks", "all");
    p.put("enable.idempotence", "true");
    p.put("max.in.flight.requests.per.connection", "1");
    p.put("linger.ms", "0");
    p.put("batch.size", Integer.toString(512 * 1024));
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      // Warm-up: connect, fetch metadata, JIT.
      send(producer, topic, messages.subList(0, Math.min(messages.size(), 5_000)), batch);
      long started = System.nanoTime();
      send(producer, topic, messages, batch);
      long ms = (System.nanoTime() - started) / 1_000_000;
      System.out.println("{\"records\":" + messages.size() + ",\"ms\":" + ms + "}");
    }
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, String topic, List<byte[][]> messages, int batch) throws Exception {
    for (int i = 0; i < messages.size(); i += batch) {
      List<Future<RecordMetadata>> acks = new ArrayList<>();
      for (byte[][] m : messages.subList(i, Math.min(messages.size(), i + batch))) acks.add(producer.send(new ProducerRecord<>(topic, m[0], m[1])));
      producer.flush();
      for (Future<RecordMetadata> a : acks) a.get();
    }
  }
}
