package dev.chargebackcdc.flink;

import java.util.List;
import java.util.stream.Collectors;

/** One problem with one field of a change record, e.g. {@code amount: must be greater than 0}. */
public record FieldError(String field, String problem) {

  @Override
  public String toString() {
    return field + ": " + problem;
  }

  /** All problems as one line, {@code "; "}-separated: the {@code dlq.reason} header (same as formatFieldErrors in TS). */
  public static String format(List<FieldError> errors) {
    return errors.stream().map(FieldError::toString).collect(Collectors.joining("; "));
  }
}
