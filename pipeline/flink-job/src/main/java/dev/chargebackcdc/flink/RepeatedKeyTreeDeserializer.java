package dev.chargebackcdc.flink;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.JsonNodeDeserializer;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Jackson's JSON tree reader with the embedded writer's rule for a key that appears twice in one object
 * (lossless-json, which pipeline/schema/parseChangeRecordJson.ts parses with): the same value again is harmless
 * and kept; another value makes the text ambiguous, so it is not JSON we accept. Jackson's own
 * {@code STRICT_DUPLICATE_DETECTION} refuses both, which made the Flink job dead-letter records the embedded
 * writer lands. Values compare as lossless-json compares them: numbers by their exact digits (1.0 is not 1),
 * objects by their keys and values in any order, arrays element by element.
 */
final class RepeatedKeyTreeDeserializer extends JsonNodeDeserializer {
  private static final long serialVersionUID = 1L;

  /** Per-call attribute: the repeated keys of the tree being read, with both values. */
  private static final Object REPEATED = new Object();

  RepeatedKeyTreeDeserializer() {
    super();
  }

  private RepeatedKeyTreeDeserializer(RepeatedKeyTreeDeserializer base, boolean mergeArrays, boolean mergeObjects) {
    super(base, mergeArrays, mergeObjects);
  }

  /** Jackson copies a deserializer when merge settings apply; keep the copy's duplicate rule. */
  @Override
  protected JsonDeserializer<?> _createWithMerge(boolean mergeArrays, boolean mergeObjects) {
    return new RepeatedKeyTreeDeserializer(this, mergeArrays, mergeObjects);
  }

  /**
   * Jackson reports a repeated key as soon as it reads the key's second value; an object or array is still empty
   * then (Jackson fills containers afterwards), so the two values are compared once the whole tree is read.
   */
  @Override
  public JsonNode deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    Object outer = ctxt.getAttribute(REPEATED);
    List<Repeated> repeated = new ArrayList<>();
    ctxt.setAttribute(REPEATED, repeated);
    try {
      JsonNode tree = super.deserialize(p, ctxt);
      for (Repeated r : repeated) {
        if (!r.first.equals(r.second)) throw new JsonParseException(p, "Duplicate key '" + r.key + "' with different values");
      }
      return tree;
    } finally {
      ctxt.setAttribute(REPEATED, outer);
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  protected void _handleDuplicateField(JsonParser p, DeserializationContext ctxt, JsonNodeFactory nodeFactory, String fieldName,
      ObjectNode objectNode, JsonNode oldValue, JsonNode newValue) {
    ((List<Repeated>) ctxt.getAttribute(REPEATED)).add(new Repeated(fieldName, oldValue, newValue));
  }

  private record Repeated(String key, JsonNode first, JsonNode second) {}
}
