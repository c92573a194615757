package dev.poolshift.aws;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Plain JSON-shaped Java values (Map, List, String, Number, Boolean, null) ⇄ DynamoDB attribute
 * values, so records keep their structure in the table (readable in the console) without an
 * object mapper. Numbers come back as Long when integral, else Double.
 */
final class DynamoValues {
  private DynamoValues() {}

  static AttributeValue of(Object value) {
    if (value == null) {
      return AttributeValue.fromNul(true);
    }
    if (value instanceof String s) {
      return AttributeValue.fromS(s);
    }
    if (value instanceof Boolean b) {
      return AttributeValue.fromBool(b);
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new IllegalArgumentException("DynamoDB cannot store " + d);
      }
      return AttributeValue.fromN(BigDecimal.valueOf(d).toPlainString());
    }
    if (value instanceof Number n) {
      return AttributeValue.fromN(new BigDecimal(n.toString()).toPlainString());
    }
    if (value instanceof Map<?, ?> m) {
      Map<String, AttributeValue> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(String.valueOf(k), of(v)));
      return AttributeValue.fromM(out);
    }
    if (value instanceof List<?> l) {
      return AttributeValue.fromL(l.stream().map(DynamoValues::of).toList());
    }
    if (value instanceof Enum<?> e) {
      return AttributeValue.fromS(e.name());
    }
    throw new IllegalArgumentException("not a JSON-shaped value: " + value.getClass().getName());
  }

  static Object value(AttributeValue a) {
    if (a == null || Boolean.TRUE.equals(a.nul())) {
      return null;
    }
    if (a.s() != null) {
      return a.s();
    }
    if (a.n() != null) {
      BigDecimal d = new BigDecimal(a.n());
      if (d.stripTrailingZeros().scale() <= 0 && d.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) < 0) {
        return d.longValue();
      }
      return d.doubleValue();
    }
    if (a.bool() != null) {
      return a.bool();
    }
    if (a.hasM()) {
      Map<String, Object> out = new LinkedHashMap<>();
      a.m().forEach((k, v) -> out.put(k, value(v)));
      return out;
    }
    if (a.hasL()) {
      List<Object> out = new ArrayList<>();
      a.l().forEach(v -> out.add(value(v)));
      return out;
    }
    if (a.hasSs()) {
      return List.copyOf(a.ss());
    }
    SdkBytes b = a.b();
    return b == null ? null : b.asUtf8String();
  }

  static String string(Map<String, AttributeValue> item, String key) {
    AttributeValue a = item.get(key);
    return a == null ? null : a.s();
  }

  static Double number(Map<String, AttributeValue> item, String key) {
    AttributeValue a = item.get(key);
    return a == null || a.n() == null ? null : Double.valueOf(a.n());
  }

  static Integer integer(Map<String, AttributeValue> item, String key) {
    AttributeValue a = item.get(key);
    return a == null || a.n() == null ? null : new BigDecimal(a.n()).intValueExact();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Map<String, AttributeValue> item, String key) {
    Object v = value(item.get(key));
    return v instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
  }

  static List<String> strings(Map<String, AttributeValue> item, String key) {
    Object v = value(item.get(key));
    if (!(v instanceof List<?> l)) {
      return List.of();
    }
    return l.stream().map(String::valueOf).toList();
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> maps(Map<String, AttributeValue> item, String key) {
    Object v = value(item.get(key));
    if (!(v instanceof List<?> l)) {
      return List.of();
    }
    List<Map<String, Object>> out = new ArrayList<>();
    l.forEach(e -> {
      if (e instanceof Map<?, ?> m) {
        out.add((Map<String, Object>) m);
      }
    });
    return out;
  }
}
