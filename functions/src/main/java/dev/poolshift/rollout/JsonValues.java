package dev.poolshift.rollout;

import java.math.BigDecimal;
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
   * Structural equality where numbers compare by value (1 == 1.0), since a value that went out as
   * an integer may come back from a service or a JSON library as a decimal.
   */
  public static boolean sameJson(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString())) == 0;
    }
    if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
      if (!x.keySet().equals(y.keySet())) {
        return false;
      }
      for (Object key : x.keySet()) {
        if (!sameJson(x.get(key), y.get(key))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof List<?> x && b instanceof List<?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      for (int i = 0; i < x.size(); i++) {
        if (!sameJson(x.get(i), y.get(i))) {
          return false;
        }
      }
      return true;
    }
    return a == null ? b == null : a.equals(b);
  }
}
