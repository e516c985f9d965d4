package dev.chargebackcdc.flink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Shared test data: change records as they travel on the topic (field order of the Avro schema). */
final class Fixtures {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Fixtures() {}

  /** A valid INSERT, as a mutable map so a test can break one field. */
  static Map<String, Object> insert() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("schema_version", 1);
    m.put("event_id", "4b2a0e6c5d1f4e0f8a9b7c6d5e4f3a2b");
    m.put("event_type", "INSERT");
    m.put("sequence_number", "4421584500000000017450439091");
    m.put("event_time", "2026-11-27T02:51:29.123Z");
    m.put("chargeback_id", "cb_01JDQ7Z3Y2X1W0V9U8T7S6R5Q4");
    m.put("merchant_id", "merch_test_001");
    m.put("amount", "99.99");
    m.put("currency", "USD");
    m.put("reason", "Product not received");
    m.put("status", "RECEIVED");
    m.put("previous_status", null);
    m.put("created_at", "2026-11-27T02:51:29.100Z");
    m.put("updated_at", "2026-11-27T02:51:29.100Z");
    return m;
  }

  static Map<String, Object> with(String field, Object value) {
    Map<String, Object> m = insert();
    m.put(field, value);
    return m;
  }

  static Map<String, Object> without(String field) {
    Map<String, Object> m = insert();
    m.remove(field);
    return m;
  }

  static byte[] bytes(Map<String, Object> record) {
    try {
      return JSON.writeValueAsBytes(record);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
