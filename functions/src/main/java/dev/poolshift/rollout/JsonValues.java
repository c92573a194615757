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
}
