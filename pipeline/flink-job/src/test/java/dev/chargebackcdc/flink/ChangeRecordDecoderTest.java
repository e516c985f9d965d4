package dev.chargebackcdc.flink;

import static dev.chargebackcdc.flink.Fixtures.bytes;
import static dev.chargebackcdc.flink.Fixtures.insert;
import static dev.chargebackcdc.flink.Fixtures.utf8;
import static dev.chargebackcdc.flink.Fixtures.with;
import static dev.chargebackcdc.flink.Fixtures.without;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ChangeRecordDecoderTest {
  private final ChangeRecordDecoder decoder = new ChangeRecordDecoder();

  private GenericRecord valid(Map<String, Object> record) {
    DecodeResult result = decoder.decode(bytes(record));
    if (result instanceof DecodeResult.Invalid invalid) throw new AssertionError("expected valid, got " + invalid.reason());
    return ((DecodeResult.Valid) result).record();
  }

  private String reason(byte[] value) {
    return assertInstanceOf(DecodeResult.Invalid.class, decoder.decode(value)).reason();
  }

  private String reason(Map<String, Object> record) {
    return reason(bytes(record));
  }

  private static BigDecimal amountOf(GenericRecord r) {
    return Amounts.fromAvroBytes((ByteBuffer) r.get("amount"));
  }

  @Test
  void decodesAValidInsertIntoTheLandingSchema() {
    GenericRecord r = valid(insert());

    assertEquals(ChangeRecordSchema.get(), r.getSchema());
    assertEquals(1, r.get("schema_version"));
    assertEquals("4b2a0e6c5d1f4e0f8a9b7c6d5e4f3a2b", r.get("event_id"));
    assertEquals("INSERT", r.get("event_type"));
    assertEquals("4421584500000000017450439091", r.get("sequence_number"));
    assertEquals(Instant.parse("2026-11-27T02:51:29.123Z").toEpochMilli(), r.get("event_time"));
    assertEquals(1795747889123L, r.get("event_time"));
    assertEquals("cb_01JDQ7Z3Y2X1W0V9U8T7S6R5Q4", r.get("chargeback_id"));
    assertEquals("merch_test_001", r.get("merchant_id"));
    assertEquals(new BigDecimal("99.9900"), amountOf(r));
    assertEquals("USD", r.get("currency"));
    assertEquals("Product not received", r.get("reason"));
    assertEquals("RECEIVED", r.get("status"));
    assertNull(r.get("previous_status"));
    assertEquals(1795747889100L, r.get("created_at"));
    assertEquals(1795747889100L, r.get("updated_at"));
  }

  @Test
  void writesTheAmountAsTheExactUnscaledValueAtScaleFourInBigEndianTwosComplement() {
    ByteBuffer bytes = (ByteBuffer) valid(with("amount", "99.99")).get("amount");
    // 99.99 at scale 4 = 999900 = 0x0F_41_DC
    // (and 1.28 = 12800 = 0x32_00; 0.0128 would be 128 = 0x00_80, a leading zero byte keeps it positive)
    assertArrayEquals(new byte[] {0x0F, 0x41, (byte) 0xDC}, toArray(bytes));

    ByteBuffer cent = (ByteBuffer) valid(with("amount", "0.01")).get("amount");
    assertArrayEquals(new byte[] {0x64}, toArray(cent)); // 100: minimal two's complement, one byte

    GenericRecord max = valid(with("amount", "99999999999999.99"));
    assertEquals(new BigDecimal("99999999999999.9900"), amountOf(max));
    assertEquals(4, amountOf(max).scale());
  }

  @Test
  void keepsAmountsExactWhereADoubleWouldNot() {
    GenericRecord r = valid(with("amount", "12345678901234.56"));
    assertEquals(new BigDecimal("12345678901234.5600"), amountOf(r));
  }

  @Test
  void decodesARemoveWithItsPreviousStatus() {
    Map<String, Object> m = insert();
    m.put("event_type", "REMOVE");
    m.put("status", "WON");
    m.put("previous_status", "REPRESENTED");
    GenericRecord r = valid(m);
    assertEquals("REMOVE", r.get("event_type"));
    assertEquals("WON", r.get("status"));
    assertEquals("REPRESENTED", r.get("previous_status"));
  }

  @Test
  void keepsNonAsciiTextIntact() {
    Map<String, Object> m = insert();
    m.put("reason", "Käufer sagt: Ware nicht erhalten — 未着 📦");
    m.put("merchant_id", "händler_ß_001");
    GenericRecord r = valid(m);
    assertEquals("Käufer sagt: Ware nicht erhalten — 未着 📦", r.get("reason"));
    assertEquals("händler_ß_001", r.get("merchant_id"));
  }

  @Test
  void acceptsAReasonOf2000CharactersAndRefuses2001() {
    assertEquals("x".repeat(2000), valid(with("reason", "x".repeat(2000))).get("reason"));
    assertEquals("reason: must be at most 2000 characters", reason(with("reason", "x".repeat(2001))));
  }

  @Test
  void acceptsAZeroDecimalCurrencyAmountAndRefusesDecimalsForIt() {
    Map<String, Object> m = insert();
    m.put("currency", "JPY");
    m.put("amount", "1000");
    assertEquals(new BigDecimal("1000.0000"), amountOf(valid(m)));

    m.put("amount", "1000.5");
    assertEquals("amount: has 1 decimal places but JPY allows at most 0", reason(m));
  }

  @Test
  void acceptsThreeDecimalsForKuwaitiDinarButNotFour() {
    Map<String, Object> m = insert();
    m.put("currency", "KWD");
    m.put("amount", "12.345");
    assertEquals(new BigDecimal("12.3450"), amountOf(valid(m)));

    m.put("amount", "12.3456");
    assertEquals("amount: has 4 decimal places but KWD allows at most 3", reason(m));
  }

  static Stream<Arguments> oneBadField() {
    return Stream.of(
        Arguments.of("event_id", "", "event_id: must not be empty"),
        Arguments.of("event_id", " \u00A0\t", "event_id: must not be empty"),
        Arguments.of("event_id", 42, "event_id: must be a string"),
        Arguments.of("event_id", "e".repeat(257), "event_id: must be at most 256 characters"),
        Arguments.of("event_type", "UPSERT", "event_type: must be one of INSERT, MODIFY, REMOVE"),
        Arguments.of("event_type", null, "event_type: must be one of INSERT, MODIFY, REMOVE"),
        Arguments.of("sequence_number", "12a", "sequence_number: must be the decimal digits of a stream sequence number"),
        Arguments.of("sequence_number", "", "sequence_number: must be the decimal digits of a stream sequence number"),
        Arguments.of("sequence_number", 12, "sequence_number: must be a string"),
        Arguments.of("event_time", "2026-11-27T02:51:29Z",
            "event_time: must be an ISO-8601 UTC timestamp with milliseconds, e.g. 2026-01-31T23:59:59.123Z"),
        Arguments.of("event_time", "2026-02-30T00:00:00.000Z",
            "event_time: must be an ISO-8601 UTC timestamp with milliseconds, e.g. 2026-01-31T23:59:59.123Z"),
        Arguments.of("event_time", 1795747889123L, "event_time: must be an ISO-8601 UTC timestamp string"),
        Arguments.of("chargeback_id", "", "chargeback_id: must not be empty"),
        Arguments.of("chargeback_id", "c".repeat(129), "chargeback_id: must be at most 128 characters"),
        Arguments.of("merchant_id", "   ", "merchant_id: must not be empty"),
        Arguments.of("merchant_id", null, "merchant_id: must be a string"),
        Arguments.of("amount", new BigDecimal("99.99"), "amount: must be a decimal string such as \"99.99\""),
        Arguments.of("amount", "-5.00", "amount: must be a positive decimal number such as \"99.99\" (no sign, exponent or spaces)"),
        Arguments.of("amount", "1e3", "amount: must be a positive decimal number such as \"99.99\" (no sign, exponent or spaces)"),
        Arguments.of("amount", "099.99", "amount: must be a positive decimal number such as \"99.99\" (no sign, exponent or spaces)"),
        Arguments.of("amount", "0.00", "amount: must be greater than 0"),
        Arguments.of("amount", "123456789012345", "amount: has 15 integer digits; at most 14 are allowed"),
        Arguments.of("amount", "9.999", "amount: has 3 decimal places but USD allows at most 2"),
        Arguments.of("currency", "usd", "currency: must be a known ISO 4217 currency code"),
        Arguments.of("currency", "ZZZ", "currency: must be a known ISO 4217 currency code"),
        Arguments.of("currency", "XAU", "currency: must be a known ISO 4217 currency code"),
        Arguments.of("currency", 840, "currency: must be a string"),
        Arguments.of("reason", "", "reason: must not be empty"),
        Arguments.of("status", "OPEN", "status: must be one of RECEIVED, UNDER_REVIEW, REPRESENTED, WON, LOST, ACCEPTED"),
        Arguments.of("previous_status", "CLOSED",
            "previous_status: must be one of RECEIVED, UNDER_REVIEW, REPRESENTED, WON, LOST, ACCEPTED"),
        Arguments.of("created_at", "yesterday",
            "created_at: must be an ISO-8601 UTC timestamp with milliseconds, e.g. 2026-01-31T23:59:59.123Z"),
        Arguments.of("updated_at", "2026-11-27T02:51:29.100+00:00",
            "updated_at: must be an ISO-8601 UTC timestamp with milliseconds, e.g. 2026-01-31T23:59:59.123Z"));
  }

  @ParameterizedTest(name = "{0} = {1} → {2}")
  @MethodSource("oneBadField")
  void namesTheFieldOfEveryValidationError(String field, Object value, String expected) {
    assertEquals(expected, reason(with(field, value)));
  }

  @Test
  void reportsEveryMissingFieldAtOnceInSchemaOrder() {
    String expected = String.join("; ",
        "schema_version: is required", "event_id: is required", "event_type: is required",
        "sequence_number: is required", "event_time: is required", "chargeback_id: is required",
        "merchant_id: is required", "amount: is required", "currency: is required", "reason: is required",
        "status: is required", "previous_status: is required", "created_at: is required", "updated_at: is required");
    assertEquals(expected, reason(utf8("{}")));
    assertEquals("previous_status: is required", reason(without("previous_status")));
  }

  @Test
  void reportsAllProblemsOfOneRecordNotOnlyTheFirst() {
    Map<String, Object> m = insert();
    m.put("merchant_id", "");
    m.put("status", "OPEN");
    m.put("amount", "0.001");
    List<FieldError> errors =
        assertInstanceOf(DecodeResult.Invalid.class, decoder.decode(bytes(m))).errors();
    assertEquals(List.of(
        new FieldError("merchant_id", "must not be empty"),
        new FieldError("status", "must be one of RECEIVED, UNDER_REVIEW, REPRESENTED, WON, LOST, ACCEPTED"),
        new FieldError("amount", "has 3 decimal places but USD allows at most 2")), errors);
  }

  @Test
  void reportsBothAZeroAmountAndTooManyDecimals() {
    assertEquals("amount: must be greater than 0; amount: has 3 decimal places but USD allows at most 2",
        reason(with("amount", "0.000")));
  }

  @Test
  void refusesAnUnknownSchemaVersion() {
    assertEquals("schema_version: unknown schema_version 2; this reader knows 1", reason(with("schema_version", 2)));
    assertEquals("schema_version: unknown schema_version \"1\"; this reader knows 1", reason(with("schema_version", "1")));
    assertEquals("schema_version: unknown schema_version null; this reader knows 1", reason(with("schema_version", null)));
  }

  @Test
  void acceptsSchemaVersionWrittenAsOnePointZero() {
    valid(with("schema_version", new BigDecimal("1.0")));
  }

  @Test
  void deadLettersBytesThatAreNotJson() {
    String reason = reason(utf8("not json at all"));
    assertEquals("value: is not JSON", reason.substring(0, "value: is not JSON".length()));
    assertEquals("value: is not valid UTF-8", reason(new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'}));
    assertEquals("value: is empty (tombstone or missing value)", reason(new byte[0]));
    assertEquals("value: is empty (tombstone or missing value)", reason((byte[]) null));
    assertEquals("value: must be a JSON object", reason(utf8("[1,2,3]")));
    assertEquals("value: must be a JSON object", reason(utf8("null")));
  }

  @Test
  void refusesTrailingDataAndAKeyRepeatedWithAnotherValue() {
    String json = new String(bytes(insert()), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals("value: is not JSON", reason(utf8(json + " {}")).substring(0, 18));
    assertEquals("value: is not JSON", reason(utf8(json.replace("{\"schema_version\":1,", "{\"schema_version\":2,\"schema_version\":1,"))).substring(0, 18));
    assertEquals("value: is not JSON", reason(utf8(json.replace("{\"schema_version\":1,", "{\"schema_version\":1.0,\"schema_version\":1,"))).substring(0, 18));
    assertEquals("value: is not JSON", reason(utf8(json.replace("{\"schema_version\":1,", "{\"note\":{\"a\":1,\"a\":[1]},\"schema_version\":1,"))).substring(0, 18));
  }

  @Test
  void acceptsAKeyRepeatedWithTheSameValueAsTheEmbeddedWritersParserDoes() {
    String json = new String(bytes(insert()), java.nio.charset.StandardCharsets.UTF_8);
    // lossless-json (pipeline/schema/parseChangeRecordJson.ts) keeps such text: its meaning is unambiguous.
    assertInstanceOf(DecodeResult.Valid.class, decoder.decode(utf8(json.replace("{\"schema_version\":1,", "{\"schema_version\":1,\"schema_version\":1,"))));
    String nested = json.replace("{\"schema_version\":1,", "{\"note\":{\"a\":[1,{\"b\":\"x\"}],\"a\":[1,{\"b\":\"x\"}]},\"schema_version\":1,");
    assertInstanceOf(DecodeResult.Valid.class, decoder.decode(utf8(nested)));
  }

  @Test
  void deadLettersTextWithALoneSurrogateLikeTheEmbeddedWriter() {
    String json = new String(bytes(insert()), java.nio.charset.StandardCharsets.UTF_8);
    // "\\ud800" in JSON: an escape of half a surrogate pair with nothing after it, which UTF-8 cannot encode.
    String lone = json.replace("\"Product not received\"", "\"Colis perdu \\ud800\"");
    assertEquals("reason: contains a lone UTF-16 surrogate (not representable in UTF-8)", reason(utf8(lone)));
    String twoFields = lone.replace("\"merch_test_001\"", "\"\\udfffmerch\"");
    assertEquals("merchant_id: contains a lone UTF-16 surrogate (not representable in UTF-8); "
        + "reason: contains a lone UTF-16 surrogate (not representable in UTF-8)", reason(utf8(twoFields)));
    // Only an otherwise valid record is checked for it (pipeline/parquet-writer/takeRecord.ts).
    assertEquals("schema_version: unknown schema_version 7; this reader knows 1",
        reason(utf8(lone.replace("\"schema_version\":1", "\"schema_version\":7"))));
    // A surrogate pair (an emoji, escaped or not) is text like any other.
    GenericRecord pair = assertInstanceOf(DecodeResult.Valid.class,
        decoder.decode(utf8(json.replace("\"Product not received\"", "\"Colis \\ud83d\\ude42 perdu\""))))
        .record();
    assertEquals("Colis \uD83D\uDE42 perdu", pair.get("reason"));
  }

  @Test
  void ignoresABomAndUnknownExtraFields() {
    Map<String, Object> m = with("note", "extra");
    byte[] json = bytes(m);
    byte[] withBom = new byte[json.length + 3];
    withBom[0] = (byte) 0xEF;
    withBom[1] = (byte) 0xBB;
    withBom[2] = (byte) 0xBF;
    System.arraycopy(json, 0, withBom, 3, json.length);
    assertInstanceOf(DecodeResult.Valid.class, decoder.decode(withBom));
  }

  private static byte[] toArray(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }
}
