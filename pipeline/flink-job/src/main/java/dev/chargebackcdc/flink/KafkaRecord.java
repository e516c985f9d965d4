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
  /**
   * The record's headers in their order, as names and values side by side (arrays, not a map: a name may repeat,
   * and Flink serializes arrays of these types without falling back to Kryo). A dead letter keeps them.
   */
  public String[] headerNames = new String[0];

  public byte[][] headerValues = new byte[0][];

  public KafkaRecord() {}

  public KafkaRecord(String topic, int partition, long offset, byte[] key, byte[] value) {
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
    this.key = key;
    this.value = value;
  }

  /** Sets the record's headers (names and values in the same order); returns this record. */
  public KafkaRecord withHeaders(String[] names, byte[][] values) {
    if (names.length != values.length) throw new IllegalArgumentException(names.length + " header names for " + values.length + " values");
    this.headerNames = names;
    this.headerValues = values;
    return this;
  }
}
