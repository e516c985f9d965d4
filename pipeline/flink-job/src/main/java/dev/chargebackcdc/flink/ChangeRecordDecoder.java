package dev.chargebackcdc.flink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Kafka value bytes → validated change record → Avro {@link GenericRecord} of the landing schema. Pure: no
 * Flink, no I/O, never throws for bad input, so it can be unit-tested and run in any operator.
 *
 * <p>The rules and messages are those of pipeline/schema/changeRecordCodec.ts (decodeChangeRecord), so both
 * writers dead-letter the same records with the same {@code dlq.reason}: every problem is reported, in the
 * schema's field order, followed by the amount-versus-currency checks; unknown extra fields are ignored.
 */
public final class ChangeRecordDecoder {
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          // Numbers keep their exact digits: "amount": 99.99 is refused, never rounded through a double.
          .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          // A repeated key is refused only with another value, as by the embedded writer's parser.
          .addModule(new SimpleModule("repeated-keys").addDeserializer(JsonNode.class, new RepeatedKeyTreeDeserializer()))
          .build();

  private static final Pattern SEQUENCE_NUMBER = Pattern.compile("^[0-9]{1,40}$");
  private static final String TIMESTAMP_SHAPE =
      "must be an ISO-8601 UTC timestamp with milliseconds, e.g. 2026-01-31T23:59:59.123Z";

  private final Schema schema;

  public ChangeRecordDecoder() {
    this(ChangeRecordSchema.get());
  }

  public ChangeRecordDecoder(Schema schema) {
    this.schema = schema;
  }

  /** Decodes one Kafka record value (UTF-8 JSON). */
  public DecodeResult decode(byte[] value) {
    if (value == null || value.length == 0) return invalid("value", "is empty (tombstone or missing value)");
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(value))
          .toString();
    } catch (CharacterCodingException e) {
      return invalid("value", "is not valid UTF-8");
    }
    if (text.startsWith("\uFEFF")) text = text.substring(1); // a UTF-8 BOM, which TextDecoder drops too
    JsonNode parsed;
    try {
      parsed = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return invalid("value", "is not JSON (" + e.getOriginalMessage() + ")");
    }
    if (parsed == null || parsed.isMissingNode()) return invalid("value", "is not JSON (no content)");
    if (!(parsed instanceof ObjectNode object)) return invalid("value", "must be a JSON object");
    List<FieldError> errors = validate(object);
    // Only a record that is otherwise valid is checked for text Parquet cannot hold, as the embedded writer
    // does (pipeline/parquet-writer/takeRecord.ts), so both give the same reason.
    if (errors.isEmpty()) errors = loneSurrogates(object);
    return errors.isEmpty() ? new DecodeResult.Valid(toRecord(object)) : new DecodeResult.Invalid(errors);
  }

  /**
   * Text fields holding a lone UTF-16 surrogate (a JSON escape of half a surrogate pair, e.g. D800, without the
   * other half), in the schema's field order. Such a string has no UTF-8 form: Parquet's writer would silently
   * store '?' in its place, a row that differs from its source, so the record is poison instead.
   */
  private List<FieldError> loneSurrogates(ObjectNode o) {
    List<FieldError> errors = new ArrayList<>();
    for (Schema.Field f : schema.getFields()) {
      JsonNode v = o.get(f.name());
      if (v != null && v.isTextual() && hasLoneSurrogate(v.textValue())) {
        errors.add(new FieldError(f.name(), "contains a lone UTF-16 surrogate (not representable in UTF-8)"));
      }
    }
    return errors;
  }

  static boolean hasLoneSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++; // a pair: one code point outside the BMP
      } else if (Character.isSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  /** Every problem of a decoded JSON object, each named by its field (empty when valid). */
  public static List<FieldError> validate(ObjectNode o) {
    List<FieldError> errors = new ArrayList<>();
    schemaVersion(o, errors);
    nonEmpty(o, "event_id", 256, errors);
    oneOf(o, "event_type", Vocabulary.EVENT_TYPES, false, errors);
    String sequence = string(o, "sequence_number", "a string", errors);
    if (sequence != null && !SEQUENCE_NUMBER.matcher(sequence).matches()) {
      errors.add(new FieldError("sequence_number", "must be the decimal digits of a stream sequence number"));
    }
    timestamp(o, "event_time", errors);
    nonEmpty(o, "chargeback_id", 128, errors);
    nonEmpty(o, "merchant_id", 128, errors);
    String amount = string(o, "amount", "a decimal string such as \"99.99\"", errors);
    String currency = string(o, "currency", "a string", errors);
    if (currency != null && Amounts.minorUnitOf(currency).isEmpty()) {
      errors.add(new FieldError("currency", "must be a known ISO 4217 currency code"));
    }
    nonEmpty(o, "reason", 2000, errors);
    oneOf(o, "status", Vocabulary.CHARGEBACK_STATUSES, false, errors);
    oneOf(o, "previous_status", Vocabulary.CHARGEBACK_STATUSES, true, errors);
    timestamp(o, "created_at", errors);
    timestamp(o, "updated_at", errors);
    // Checked apart from the field rules, like validateWithAmount.ts, so a bad merchant AND a bad amount are both heard.
    if (amount != null) {
      String knownCurrency = currency != null && Amounts.minorUnitOf(currency).isPresent() ? currency : null;
      for (String problem : Amounts.problems(amount, knownCurrency)) errors.add(new FieldError("amount", problem));
    }
    return errors;
  }

  /** Converts a validated object to the landing schema's record (exact decimal bytes, epoch millis). */
  GenericRecord toRecord(ObjectNode o) {
    GenericData.Record r = new GenericData.Record(schema);
    r.put("schema_version", ChangeRecordSchema.SCHEMA_VERSION);
    r.put("event_id", o.get("event_id").textValue());
    r.put("event_type", o.get("event_type").textValue());
    r.put("sequence_number", o.get("sequence_number").textValue());
    r.put("event_time", Timestamps.millisFromIso(o.get("event_time").textValue()));
    r.put("chargeback_id", o.get("chargeback_id").textValue());
    r.put("merchant_id", o.get("merchant_id").textValue());
    r.put("amount", Amounts.toAvroBytes(o.get("amount").textValue()));
    r.put("currency", o.get("currency").textValue());
    r.put("reason", o.get("reason").textValue());
    r.put("status", o.get("status").textValue());
    JsonNode previous = o.get("previous_status");
    r.put("previous_status", previous.isNull() ? null : previous.textValue());
    r.put("created_at", Timestamps.millisFromIso(o.get("created_at").textValue()));
    r.put("updated_at", Timestamps.millisFromIso(o.get("updated_at").textValue()));
    return r;
  }

  private static DecodeResult invalid(String field, String problem) {
    return new DecodeResult.Invalid(List.of(new FieldError(field, problem)));
  }

  private static void schemaVersion(ObjectNode o, List<FieldError> errors) {
    JsonNode v = o.get("schema_version");
    if (v == null) {
      errors.add(new FieldError("schema_version", "is required"));
    } else if (!(v.isNumber() && v.decimalValue().compareTo(BigDecimal.valueOf(ChangeRecordSchema.SCHEMA_VERSION)) == 0)) {
      errors.add(new FieldError("schema_version",
          "unknown schema_version " + jsLiteral(v) + "; this reader knows " + ChangeRecordSchema.SCHEMA_VERSION));
    }
  }

  /** The field as a string, or null after recording why it is not one. */
  private static String string(ObjectNode o, String field, String what, List<FieldError> errors) {
    JsonNode v = o.get(field);
    if (v == null) {
      errors.add(new FieldError(field, "is required"));
      return null;
    }
    if (!v.isTextual()) {
      errors.add(new FieldError(field, "must be " + what));
      return null;
    }
    return v.textValue();
  }

  private static void nonEmpty(ObjectNode o, String field, int max, List<FieldError> errors) {
    String s = string(o, field, "a string", errors);
    if (s == null) return;
    if (s.length() > max) errors.add(new FieldError(field, "must be at most " + max + " characters"));
    if (isBlankAsInJavaScript(s)) errors.add(new FieldError(field, "must not be empty"));
  }

  private static void oneOf(ObjectNode o, String field, List<String> allowed, boolean nullable, List<FieldError> errors) {
    JsonNode v = o.get(field);
    if (v == null) {
      errors.add(new FieldError(field, "is required"));
    } else if (!(nullable && v.isNull()) && !(v.isTextual() && allowed.contains(v.textValue()))) {
      errors.add(new FieldError(field, "must be one of " + String.join(", ", allowed)));
    }
  }

  private static void timestamp(ObjectNode o, String field, List<FieldError> errors) {
    String s = string(o, field, "an ISO-8601 UTC timestamp string", errors);
    if (s != null && !Timestamps.isIsoUtcMillis(s)) errors.add(new FieldError(field, TIMESTAMP_SHAPE));
  }

  /** {@code s.trim().length === 0} with JavaScript's notion of white space (wider than Java's trim()). */
  static boolean isBlankAsInJavaScript(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean jsSpace = c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r' || c == ' '
          || c == 0x00A0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029
          || c == 0x202F || c == 0x205F || c == 0x3000 || c == 0xFEFF;
      if (!jsSpace) return false;
    }
    return true;
  }

  /** How JSON.stringify shows a value in the TS reader's message: 2, 1.5, "1", null, true. */
  private static String jsLiteral(JsonNode v) {
    if (v.isNumber()) {
      BigDecimal d = v.decimalValue().stripTrailingZeros();
      return d.scale() <= 0 ? d.toBigInteger().toString() : d.toPlainString();
    }
    return v.toString();
  }
}
