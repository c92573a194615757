package dev.poolshift.rollout;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed, path-aware reads from a JSON object already parsed into plain Java values
 * ({@code Map}, {@code List}, {@code String}, {@code Number}, {@code Boolean}, {@code null}).
 * Every problem goes to the shared {@link FieldErrors} and the read returns null, so a caller
 * can keep reading and report everything at once.
 */
public final class JsonFields {
  private final Map<?, ?> object;
  private final String prefix;
  private final FieldErrors errors;

  public JsonFields(Map<?, ?> object, String prefix, FieldErrors errors) {
    this.object = object;
    this.prefix = prefix;
    this.errors = errors;
  }

  public String path(String key) {
    return prefix.isEmpty() ? key : prefix + "." + key;
  }

  /** The object's keys, sorted so messages are stable. */
  public java.util.SortedSet<String> keys() {
    java.util.SortedSet<String> keys = new TreeSet<>();
    object.keySet().forEach(k -> keys.add(String.valueOf(k)));
    return keys;
  }

  public boolean has(String key) {
    return object.containsKey(key);
  }

  /** Reports every key not in {@code known}, sorted so messages are stable. */
  public void rejectUnknown(Set<String> known) {
    Set<String> unknown = new TreeSet<>();
    for (Object key : object.keySet()) {
      if (!known.contains(String.valueOf(key))) {
        unknown.add(String.valueOf(key));
      }
    }
    for (String key : unknown) {
      errors.add(path(key), "unknown field");
    }
  }

  public String string(String key, boolean required) {
    Object v = value(key, required);
    if (v == null) {
      return null;
    }
    if (v instanceof String s) {
      return s;
    }
    return mismatch(key, "a string", v);
  }

  public Long integer(String key, boolean required) {
    Object v = value(key, required);
    return v == null ? null : asInteger(path(key), v, errors);
  }

  public Double number(String key, boolean required) {
    Object v = value(key, required);
    if (v == null) {
      return null;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    return mismatch(key, "a number", v);
  }

  public Boolean bool(String key, boolean required) {
    Object v = value(key, required);
    if (v == null) {
      return null;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    return mismatch(key, "a boolean", v);
  }

  public List<?> list(String key, boolean required) {
    Object v = value(key, required);
    if (v == null) {
      return null;
    }
    if (v instanceof List<?> l) {
      return l;
    }
    return mismatch(key, "an array", v);
  }

  public JsonFields object(String key, boolean required) {
    Object v = value(key, required);
    if (v == null) {
      return null;
    }
    if (v instanceof Map<?, ?> m) {
      return new JsonFields(m, path(key), errors);
    }
    return mismatch(key, "an object", v);
  }

  public static Long asInteger(String path, Object v, FieldErrors errors) {
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof BigInteger b && b.bitLength() < 63) {
      return b.longValue();
    }
    if (v instanceof Number n) {
      // 1200.0 is an integer to JSON Schema; accept it the same way.
      BigDecimal d = new BigDecimal(n.toString());
      if (d.stripTrailingZeros().scale() <= 0
          && d.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) < 0) {
        return d.longValue();
      }
      errors.add(path, "must be an integer (got " + n + ")");
      return null;
    }
    errors.add(path, "must be an integer (got " + typeName(v) + ")");
    return null;
  }

  /**
   * A list of integers, each wrong entry named {@code key[i]}; values outside int are clamped so
   * the caller's range rule reports them.
   *
   * @return the values, or null when any entry was wrong
   */
  public static List<Integer> clampedIntegers(String key, List<?> raw, FieldErrors errors) {
    int before = errors.size();
    List<Integer> values = new java.util.ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      Long v = asInteger(key + "[" + i + "]", raw.get(i), errors);
      if (v != null) {
        values.add((int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v)));
      }
    }
    return errors.size() == before ? values : null;
  }

  public static String typeName(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof String) {
      return "string";
    }
    if (v instanceof Number) {
      return "number";
    }
    if (v instanceof Boolean) {
      return "boolean";
    }
    if (v instanceof List<?>) {
      return "array";
    }
    if (v instanceof Map<?, ?>) {
      return "object";
    }
    return v.getClass().getSimpleName();
  }

  private Object value(String key, boolean required) {
    if (!object.containsKey(key)) {
      if (required) {
        errors.add(path(key), "required");
      }
      return null;
    }
    Object v = object.get(key);
    if (v == null) {
      errors.add(path(key), "must not be null");
    }
    return v;
  }

  private <T> T mismatch(String key, String expected, Object v) {
    errors.add(path(key), "must be " + expected + " (got " + typeName(v) + ")");
    return null;
  }
}
