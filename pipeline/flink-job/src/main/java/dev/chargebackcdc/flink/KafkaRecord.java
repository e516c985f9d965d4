package dev.chargebackcdc.flink;

/**
 * One record of the {@code chargebacks} topic as raw bytes plus where it came from, so a value that cannot be
 * decoded still reaches the dead-letter topic unchanged. A Flink POJO (public fields, no-arg constructor).
 */
public class KafkaRecord {
  public String topic;
  public int partition;
  public long offset;
  /** Record key (chargeback_id in UTF-8), or null. */
  public byte[] key;
  /** Record value (the change record as UTF-8 JSON), or null for a tombstone. */
  public byte[] value;

  public KafkaRecord() {}

  public KafkaRecord(String topic, int partition, long offset, byte[] key, byte[] value) {
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
    this.key = key;
    this.value = value;
  }
}
