package dev.chargebackcdc.flink;

import java.math.BigInteger;
import java.time.Duration;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Drops a change that is an upstream duplicate (DESIGN §6: each DynamoDB change once), by the same rule as the
 * embedded writer (pipeline/parquet-writer/DuplicateFilter.ts), so that both engines land the same rows:
 *
 * <ol>
 *   <li>its event_id was already landed for this chargeback → dropped ({@link Verdict#DUPLICATE_EVENT});
 *   <li>else its sequence_number is not above the highest one landed for this chargeback — lower, or equal under
 *       another event_id → dropped ({@link Verdict#STALE_SEQUENCE});
 *   <li>else it lands, and becomes the chargeback's highest sequence number.
 * </ol>
 *
 * <p>Why the sequence rule: DynamoDB Streams delivers each item's changes once and in order, and the event source
 * mapping, the stream processor (one produce per batch, key = chargeback_id) and Kafka keep that order. So a change
 * at or below the newest landed one of its chargeback can only be a re-delivery of something already handled (a
 * Lambda retry re-publishing a batch, a redrive re-reading a range); landing it would put an older image after a
 * newer one. Only landed changes are remembered: a dropped or dead-lettered record changes nothing.
 *
 * <p>Sequence numbers are compared as numbers ({@link BigInteger}): they are decimal strings of up to 40 digits
 * (validated by {@link ChangeRecordDecoder}), longer than any {@code long}, and "10000" is newer than "9999".
 *
 * <p>Memory and forgetting: keyed by chargeback_id, the state holds the landed event_ids and the highest sequence
 * number of each chargeback, each entry kept for {@code ttl} after it was written (24 h by default, the DynamoDB
 * stream's retention: nothing older can be re-published). The highest sequence number is rewritten by every landed
 * change, so it is kept for {@code ttl} after the chargeback's newest change. The embedded writer bounds its window by
 * count instead (the last 10 000 records and chargebacks of a partition); within both windows the rule is the same.
 *
 * <p>The state is part of every checkpoint, so after a restore it matches the Kafka positions it was taken with: a
 * record replayed by Flink itself is not mistaken for an upstream duplicate.
 */
public class DropDuplicateChanges extends KeyedProcessFunction<String, GenericRecord, GenericRecord> {
  private static final long serialVersionUID = 1L;

  /** What happens to a change; the names are those of DuplicateVerdict in DuplicateFilter.ts. */
  public enum Verdict {
    NEW,
    DUPLICATE_EVENT,
    STALE_SEQUENCE
  }

  private final long ttlMs;
  private transient MapState<String, Boolean> seenEventIds;
  private transient ValueState<BigInteger> highestSequence;
  private transient Counter dropped;
  private transient Counter staleDropped;

  public DropDuplicateChanges(long ttlMs) {
    this.ttlMs = ttlMs;
  }

  /** Key of the dedupe state: the chargeback, so that state is spread like the topic's partitions. */
  public static String keyOf(GenericRecord change) {
    return change.get("chargeback_id").toString();
  }

  @Override
  public void open(OpenContext openContext) {
    StateTtlConfig ttl = StateTtlConfig.newBuilder(Duration.ofMillis(ttlMs))
        .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
        .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
        .build();
    MapStateDescriptor<String, Boolean> events = new MapStateDescriptor<>("seen-event-ids", Types.STRING, Types.BOOLEAN);
    events.enableTimeToLive(ttl);
    // A new state name: a checkpoint taken before this state existed restores with it empty, as after the TTL.
    ValueStateDescriptor<BigInteger> sequence = new ValueStateDescriptor<>("highest-sequence-number", Types.BIG_INT);
    sequence.enableTimeToLive(ttl);
    seenEventIds = getRuntimeContext().getMapState(events);
    highestSequence = getRuntimeContext().getState(sequence);
    dropped = getRuntimeContext().getMetricGroup().counter("duplicateChangesDropped");
    staleDropped = getRuntimeContext().getMetricGroup().counter("staleSequenceNumbersDropped");
  }

  @Override
  public void processElement(GenericRecord change, Context ctx, Collector<GenericRecord> out) throws Exception {
    String eventId = change.get("event_id").toString();
    BigInteger sequence = new BigInteger(change.get("sequence_number").toString());
    Verdict verdict = verdict(eventId, sequence);
    if (verdict != Verdict.NEW) {
      dropped.inc();
      if (verdict == Verdict.STALE_SEQUENCE) staleDropped.inc();
      return;
    }
    seenEventIds.put(eventId, Boolean.TRUE);
    highestSequence.update(sequence); // above the previous highest, or there was none
    out.collect(change);
  }

  private Verdict verdict(String eventId, BigInteger sequence) throws Exception {
    if (seenEventIds.contains(eventId)) return Verdict.DUPLICATE_EVENT;
    BigInteger highest = highestSequence.value();
    return highest != null && sequence.compareTo(highest) <= 0 ? Verdict.STALE_SEQUENCE : Verdict.NEW;
  }
}
