package dev.poolshift.local.asl;

import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts between Jackson trees and the values the dashjoin JSONata engine works with.
 *
 * <p>dashjoin represents JSON null as {@link Jsonata#NULL_VALUE} and JSONata's {@code undefined} as
 * Java {@code null} (with output null-conversion switched off, as {@link JsonataExpression} does).
 * Numbers are {@code Integer}/{@code Long} when whole and {@code Double} otherwise; JSONata numbers
 * are IEEE doubles, so whole doubles are written as integers ({@code 2}, not {@code 2.0}) like
 * JavaScript's {@code JSON.stringify}.
 */
final class JsonataValues {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** Below this magnitude JavaScript prints whole numbers without an exponent. */
  private static final double PLAIN_INTEGER_LIMIT = 1e21;

  private JsonataValues() {}

  /** A Jackson tree as a JSONata value. */
  static Object toJsonata(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return null;
    }
    switch (node.getNodeType()) {
      case OBJECT -> {
        Map<String, Object> map = new LinkedHashMap<>(Math.max(4, node.size() * 2));
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          map.put(e.getKey(), toJsonata(e.getValue()));
        }
        return map;
      }
      case ARRAY -> {
        List<Object> list = new ArrayList<>(node.size());
        for (JsonNode element : node) {
          list.add(toJsonata(element));
        }
        return list;
      }
      case STRING -> {
        return node.textValue();
      }
      case BOOLEAN -> {
        return node.booleanValue();
      }
      case NUMBER -> {
        if (node.isInt()) {
          return node.intValue();
        }
        if (node.isLong()) {
          return node.longValue();
        }
        // JSONata numbers are doubles: big integers and decimals become the nearest double.
        return node.doubleValue();
      }
      case NULL -> {
        return Jsonata.NULL_VALUE;
      }
      default -> throw new IllegalArgumentException("not a JSON value: " + node.getNodeType());
    }
  }

  /** Thrown when a JSONata result is not JSON (a function, say). */
  static final class UnsupportedResultException extends RuntimeException {
    UnsupportedResultException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * A JSONata result as a Jackson tree; {@code undefined} (Java null) becomes {@code null}. Undefined
   * members of objects and elements of arrays are dropped, as JSONata drops them.
   */
  static JsonNode toJson(Object value) {
    if (value == null) {
      return null;
    }
    if (value == Jsonata.NULL_VALUE) {
      return NODES.nullNode();
    }
    if (value instanceof String s) {
      return NODES.textNode(s);
    }
    if (value instanceof Boolean b) {
      return NODES.booleanNode(b);
    }
    if (value instanceof Integer i) {
      return NODES.numberNode(i);
    }
    if (value instanceof Long l) {
      return NODES.numberNode(l);
    }
    if (value instanceof Double || value instanceof Float) {
      return number(((Number) value).doubleValue());
    }
    if (value instanceof BigDecimal d) {
      return number(d.doubleValue());
    }
    if (value instanceof BigInteger b) {
      return number(b.doubleValue());
    }
    if (value instanceof Number n) {
      return number(n.doubleValue());
    }
    if (value instanceof Map<?, ?> map) {
      ObjectNode object = NODES.objectNode();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        JsonNode v = toJson(e.getValue());
        if (v != null) {
          object.set(String.valueOf(e.getKey()), v);
        }
      }
      return object;
    }
    if (value instanceof List<?> list) {
      ArrayNode array = NODES.arrayNode(list.size());
      for (Object element : list) {
        JsonNode v = toJson(element);
        if (v != null) {
          array.add(v);
        }
      }
      return array;
    }
    throw new UnsupportedResultException("unsupported result type " + value.getClass().getSimpleName());
  }

  /** A JSONata number as JSON: whole values as integers (JavaScript's rendering), others as doubles. */
  static JsonNode number(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new UnsupportedResultException("Number out of range: " + d);
    }
    if (d == Math.rint(d) && Math.abs(d) < PLAIN_INTEGER_LIMIT) {
      if (d == 0) {
        return NODES.numberNode(0); // -0 serializes as 0 in JSON.stringify
      }
      if (Math.abs(d) <= Long.MAX_VALUE) {
        long l = (long) d;
        return l == (int) l ? NODES.numberNode((int) l) : NODES.numberNode(l);
      }
      return NODES.numberNode(BigDecimal.valueOf(d).toBigInteger());
    }
    return NODES.numberNode(d);
  }

  /** JSON type name as Step Functions' messages use it: object, array, string, number, boolean, null. */
  static String typeName(JsonNode node) {
    return switch (node.getNodeType()) {
      case OBJECT -> "object";
      case ARRAY -> "array";
      case STRING -> "string";
      case NUMBER -> "number";
      case BOOLEAN -> "boolean";
      case NULL -> "null";
      default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }
}
