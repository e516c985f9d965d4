package dev.chargebackcdc.flink;

/**
 * A record for {@code chargebacks-dlq}: the original key, value bytes and headers unchanged, why they were
 * refused and where they came from (the dlq.* headers, see {@link DeadLetterSerializer}). A Flink POJO.
 */
public class DeadLetter {
  public byte[] key;
  public byte[] value;
  /** The original record's headers (see {@link KafkaRecord#headerNames}). */
  public String[] headerNames = new String[0];

  public byte[][] headerValues = new byte[0][];
  /** Every problem, {@code "field: problem; field: problem"}. */
  public String reason;
  public String sourceTopic;
  public int sourcePartition;
  public long sourceOffset;

  public DeadLetter() {}

  public static DeadLetter of(KafkaRecord record, String reason) {
    DeadLetter d = new DeadLetter();
    d.key = record.key;
    d.value = record.value;
    d.headerNames = record.headerNames;
    d.headerValues = record.headerValues;
    d.reason = reason;
    d.sourceTopic = record.topic;
    d.sourcePartition = record.partition;
    d.sourceOffset = record.offset;
    return d;
  }
}
