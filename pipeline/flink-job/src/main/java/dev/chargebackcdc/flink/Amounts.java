package dev.chargebackcdc.flink;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Exact money, as in pipeline/schema/money.ts: amounts travel as decimal strings ("99.99") and land as
 * Avro/Parquet DECIMAL(18,4). No code path turns an amount into a binary float.
 */
public final class Amounts {
  /** Scale of the landed DECIMAL column; 4 holds every ISO 4217 minor unit (0..4). */
  public static final int SCALE = 4;

  public static final int PRECISION = 18;

  private static final Pattern DECIMAL = Pattern.compile("^(0|[1-9][0-9]*)(\\.([0-9]+))?$");
  private static final Pattern ZERO = Pattern.compile("^0(\\.0*)?$");
  private static final Pattern CURRENCY_CODE = Pattern.compile("^[A-Z]{3}$");

  private Amounts() {}

  /**
   * ISO 4217 minor unit (number of decimals) of a currency, from {@link Currency#getDefaultFractionDigits()};
   * empty for an unknown code and for codes without a minor unit (-1: gold, SDRs, test codes).
   */
  public static OptionalInt minorUnitOf(String currency) {
    if (currency == null || !CURRENCY_CODE.matcher(currency).matches()) return OptionalInt.empty();
    try {
      int digits = Currency.getInstance(currency).getDefaultFractionDigits();
      return digits < 0 ? OptionalInt.empty() : OptionalInt.of(digits);
    } catch (IllegalArgumentException unknown) {
      return OptionalInt.empty();
    }
  }

  /**
   * Every problem with an amount string (empty when valid). The decimal-places check runs only when the
   * currency is known, as in money.ts; an unknown currency is reported on the currency field.
   */
  public static List<String> problems(String amount, String knownCurrencyOrNull) {
    Matcher m = DECIMAL.matcher(amount);
    if (!m.matches()) {
      return List.of("must be a positive decimal number such as \"99.99\" (no sign, exponent or spaces)");
    }
    List<String> problems = new ArrayList<>();
    int integerDigits = m.group(1).length();
    int decimals = m.group(3) == null ? 0 : m.group(3).length();
    if (ZERO.matcher(amount).matches()) problems.add("must be greater than 0");
    if (integerDigits > PRECISION - SCALE) {
      problems.add("has " + integerDigits + " integer digits; at most " + (PRECISION - SCALE) + " are allowed");
    }
    OptionalInt minor = knownCurrencyOrNull == null ? OptionalInt.empty() : minorUnitOf(knownCurrencyOrNull);
    if (minor.isPresent()) {
      // Never above 4 in ISO 4217 today; the min() keeps DECIMAL(18,4) safe should a currency ever have more.
      int allowed = Math.min(minor.getAsInt(), SCALE);
      if (decimals > allowed) {
        problems.add("has " + decimals + " decimal places but " + knownCurrencyOrNull + " allows at most " + allowed);
      }
    }
    return problems;
  }

  /** The amount at scale 4 (exact; throws if it has more decimals or does not fit DECIMAL(18,4)). */
  public static BigDecimal toDecimal(String amount) {
    if (!DECIMAL.matcher(amount).matches()) throw new IllegalArgumentException("not a decimal amount: " + amount);
    BigDecimal value = new BigDecimal(amount).setScale(SCALE); // throws ArithmeticException rather than round
    if (value.precision() > PRECISION) throw new ArithmeticException(amount + " does not fit DECIMAL(18,4)");
    return value;
  }

  /**
   * Avro {@code bytes}/decimal(18,4) encoding of an amount: the big-endian two's-complement bytes of its
   * unscaled value at scale 4 (what Avro's DecimalConversion and parquet-avro write), e.g. 99.99 → 999900.
   */
  public static ByteBuffer toAvroBytes(String amount) {
    return ByteBuffer.wrap(toDecimal(amount).unscaledValue().toByteArray());
  }

  /** Inverse of {@link #toAvroBytes}. */
  public static BigDecimal fromAvroBytes(ByteBuffer bytes) {
    byte[] copy = new byte[bytes.remaining()];
    bytes.duplicate().get(copy);
    return new BigDecimal(new java.math.BigInteger(copy), SCALE);
  }
}
