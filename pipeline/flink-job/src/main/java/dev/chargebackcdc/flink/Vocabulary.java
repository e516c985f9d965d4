package dev.chargebackcdc.flink;

import java.util.List;

/** Fixed vocabularies of the change record, the same as pipeline/schema/vocabulary.ts. */
public final class Vocabulary {
  public static final List<String> EVENT_TYPES = List.of("INSERT", "MODIFY", "REMOVE");

  public static final List<String> CHARGEBACK_STATUSES =
      List.of("RECEIVED", "UNDER_REVIEW", "REPRESENTED", "WON", "LOST", "ACCEPTED");

  private Vocabulary() {}
}
