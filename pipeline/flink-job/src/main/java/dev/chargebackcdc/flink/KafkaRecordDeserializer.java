package dev.chargebackcdc.flink;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Passes every consumed record on as bytes with its topic/partition/offset and headers. It never fails: decoding happens
 * in {@link DecodeFunction}, where a poison record is dead-lettered instead of failing the job (DESIGN §6:
 * poison records never stall a partition).
 */
public class KafkaRecordDeserializer implements KafkaRecordDeserializationSchema<KafkaRecord> {
  private static final long serialVersionUID = 1L;

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<KafkaRecord> out) {
    Header[] headers = record.headers().toArray();
    String[] names = new String[headers.length];
    byte[][] values = new byte[headers.length][];
    for (int i = 0; i < headers.length; i++) {
      names[i] = headers[i].key();
      values[i] = headers[i].value();
    }
    out.collect(new KafkaRecord(record.topic(), record.partition(), record.offset(), record.key(), record.value())
        .withHeaders(names, values));
  }

  @Override
  public TypeInformation<KafkaRecord> getProducedType() {
    return TypeInformation.of(KafkaRecord.class);
  }
}
