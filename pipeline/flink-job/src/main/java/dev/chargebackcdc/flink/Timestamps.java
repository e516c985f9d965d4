package dev.chargebackcdc.flink;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.regex.Pattern;

/**
 * Timestamps are UTC with millisecond precision everywhere: ISO-8601 strings on the wire
 * ({@code 2026-11-27T02:51:29.123Z}), epoch milliseconds in Avro/Parquet (timestamp-millis). The rule is
 * pipeline/schema/timestamps.ts's: exactly that shape, and a real calendar instant (no Feb 30, no hour 24).
 */
public final class Timestamps {
  private static final Pattern ISO_UTC_MS = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$");
  private static final DateTimeFormatter STRICT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withResolverStyle(ResolverStyle.STRICT);

  private Timestamps() {}

  public static boolean isIsoUtcMillis(String value) {
    if (value == null || !ISO_UTC_MS.matcher(value).matches()) return false;
    try {
      LocalDateTime.parse(value, STRICT);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  /** Epoch milliseconds of a timestamp that passed {@link #isIsoUtcMillis}. */
  public static long millisFromIso(String value) {
    if (!isIsoUtcMillis(value)) throw new IllegalArgumentException("not an ISO-8601 UTC timestamp with millis: " + value);
    return LocalDateTime.parse(value, STRICT).toInstant(ZoneOffset.UTC).toEpochMilli();
  }

  public static String isoFromMillis(long millis) {
    return STRICT.format(LocalDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC));
  }
}
