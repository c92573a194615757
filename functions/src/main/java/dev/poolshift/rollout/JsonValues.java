package dev.poolshift.rollout;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Helpers for JSON-shaped values (Map, List, String, Number, Boolean, null) that the domain
 * carries without interpreting, such as the endpoint-config fields Poolshift does not reason
 * about.
 */
public final class JsonValues {
  private JsonValues() {}

  /** A deep, unmodifiable copy that keeps key order (and nulls, which Map.copyOf refuses). */
  @SuppressWarnings("unchecked")
  public static <T> T freeze(T value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(String.valueOf(k), freeze(v)));
      return (T) Collections.unmodifiableMap(copy);
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      list.forEach(v -> copy.add(freeze(v)));
      return (T) Collections.unmodifiableList(copy);
    }
    return value;
  }

  /** A frozen copy of {@code map}, or an empty map for null. */
  public static Map<String, Object> frozenMap(Map<String, Object> map) {
    return map == null ? Map.of() : freeze(map);
  }

  /**
   * The UTF-8 size of {@code value} written as compact JSON, give or take escapes: enough to
   * refuse an input that is far too large before reading it.
   */
  public static long encodedSize(Object value) {
    if (value == null) {
      return 4;
    }
    if (value instanceof String s) {
      return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 2L;
    }
    if (value instanceof Map<?, ?> map) {
      long n = 2 + Math.max(0, map.size() - 1);
      for (Map.Entry<?, ?> e : map.entrySet()) {
        n += encodedSize(String.valueOf(e.getKey())) + 1 + encodedSize(e.getValue());
      }
      return n;
    }
    if (value instanceof List<?> list) {
      long n = 2 + Math.max(0, list.size() - 1);
      for (Object v : list) {
        n += encodedSize(v);
      }
      return n;
    }
    return String.valueOf(value).length();
  }
}
