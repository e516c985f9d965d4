package dev.chargebackcdc.flink;

import java.time.Duration;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Drops a change that was already written (DESIGN §6: each DynamoDB change once). A Lambda retry re-publishes
 * a whole batch, so the same stream record (same event_id) can reach the topic twice. Keyed by chargeback_id,
 * this remembers the event_ids seen for that chargeback for {@code ttl} (24 h by default, the DynamoDB stream's
 * retention: no record older than that can be re-published) and lets only the first copy through.
 *
 * <p>The state is part of every checkpoint, so after a restore it matches the Kafka positions it was taken
 * with: a record replayed by Flink itself is not mistaken for an upstream duplicate.
 */
public class DropDuplicateChanges extends KeyedProcessFunction<String, GenericRecord, GenericRecord> {
  private static final long serialVersionUID = 1L;

  private final long ttlMs;
  private transient MapState<String, Boolean> seenEventIds;
  private transient Counter dropped;

  public DropDuplicateChanges(long ttlMs) {
    this.ttlMs = ttlMs;
  }

  /** Key of the dedupe state: the chargeback, so that state is spread like the topic's partitions. */
  public static String keyOf(GenericRecord change) {
    return change.get("chargeback_id").toString();
  }

  @Override
  public void open(OpenContext openContext) {
    MapStateDescriptor<String, Boolean> descriptor = new MapStateDescriptor<>("seen-event-ids", Types.STRING, Types.BOOLEAN);
    descriptor.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofMillis(ttlMs))
        .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
        .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
        .build());
    seenEventIds = getRuntimeContext().getMapState(descriptor);
    dropped = getRuntimeContext().getMetricGroup().counter("duplicateChangesDropped");
  }

  @Override
  public void processElement(GenericRecord change, Context ctx, Collector<GenericRecord> out) throws Exception {
    String eventId = change.get("event_id").toString();
    if (seenEventIds.contains(eventId)) {
      dropped.inc();
      return;
    }
    seenEventIds.put(eventId, Boolean.TRUE);
    out.collect(change);
  }
}
