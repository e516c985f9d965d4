package dev.chargebackcdc.flink;

import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Decodes and validates each consumed record: valid change records continue as Avro records of the landing
 * schema; anything else goes to the {@link #DEAD_LETTERS} side output with every reason. No I/O here.
 */
public class DecodeFunction extends ProcessFunction<KafkaRecord, GenericRecord> {
  private static final long serialVersionUID = 1L;

  public static final OutputTag<DeadLetter> DEAD_LETTERS =
      new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

  private transient ChangeRecordDecoder decoder;
  private transient Counter decoded;
  private transient Counter deadLettered;

  @Override
  public void open(OpenContext openContext) {
    decoder = new ChangeRecordDecoder();
    decoded = getRuntimeContext().getMetricGroup().counter("changeRecordsDecoded");
    deadLettered = getRuntimeContext().getMetricGroup().counter("changeRecordsDeadLettered");
  }

  @Override
  public void processElement(KafkaRecord record, Context ctx, Collector<GenericRecord> out) {
    if (decoder == null) decoder = new ChangeRecordDecoder(); // unit tests call processElement without open()
    DecodeResult result = decoder.decode(record.value);
    if (result instanceof DecodeResult.Valid valid) {
      out.collect(valid.record());
      if (decoded != null) decoded.inc();
    } else if (result instanceof DecodeResult.Invalid invalid) {
      ctx.output(DEAD_LETTERS, DeadLetter.of(record, invalid.reason()));
      if (deadLettered != null) deadLettered.inc();
    }
  }
}
