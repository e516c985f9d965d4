package dev.chargebackcdc.flink;

import java.util.List;
import org.apache.avro.generic.GenericRecord;

/** What decoding one Kafka value gives: a landed row, or every reason it cannot be one. */
public sealed interface DecodeResult {

  /** A valid change record, converted to the landing schema. */
  record Valid(GenericRecord record) implements DecodeResult {}

  /** An undecodable or invalid value, with all its problems (never only the first). */
  record Invalid(List<FieldError> errors) implements DecodeResult {
    public Invalid {
      if (errors.isEmpty()) throw new IllegalArgumentException("an invalid record needs at least one error");
      errors = List.copyOf(errors);
    }

    public String reason() {
      return FieldError.format(errors);
    }
  }
}
