package dev.poolshift.local.sagemaker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Typed reads of request members. Paths in error messages follow AWS's style
 * ({@code productionVariants.1.member.instancePools.2.member.priority}), so every error names the
 * member it is about.
 */
final class Wire {
  /** EndpointName, EndpointConfigName, ModelName, VariantName, ModelPackageGroupName. */
  static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$");
  static final String NAME_RULE =
      "Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}";

  private Wire() {}

  /** The AWS message path of {@code field} below {@code prefix} ("" or "a.1.member."). */
  static String path(String prefix, String field) {
    return prefix + Character.toLowerCase(field.charAt(0)) + field.substring(1);
  }

  /** The prefix for the members of element {@code index} (0-based) of list {@code field}. */
  static String element(String prefix, String field, int index) {
    return path(prefix, field) + "." + (index + 1) + ".member.";
  }

  static String text(JsonNode parent, String field, String prefix) {
    JsonNode v = parent.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw Errors.serialization(path(prefix, field), "a string");
    }
    return v.asText();
  }

  static String requiredText(JsonNode parent, String field, String prefix) {
    String s = text(parent, field, prefix);
    if (s == null) {
      throw Errors.required(path(prefix, field));
    }
    return s;
  }

  /** A SageMaker resource name: 1–63 letters, digits and hyphens, alphanumeric at both ends. */
  static String name(JsonNode parent, String field, String prefix) {
    String s = requiredText(parent, field, prefix);
    checkName(s, path(prefix, field));
    return s;
  }

  static void checkName(String s, String path) {
    if (s.isEmpty() || s.length() > 63) {
      throw Errors.constraint(path, s, "Member must have length less than or equal to 63");
    }
    if (!NAME.matcher(s).matches()) {
      throw Errors.constraint(path, s, NAME_RULE);
    }
  }

  static Integer integer(JsonNode parent, String field, String prefix) {
    JsonNode v = parent.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isNumber() || !isIntegral(v)) {
      throw Errors.serialization(path(prefix, field), "an integer");
    }
    return v.intValue();
  }

  static Integer integerInRange(JsonNode parent, String field, String prefix, int min, int max) {
    Integer v = integer(parent, field, prefix);
    if (v != null) {
      checkRange(v, path(prefix, field), min, max);
    }
    return v;
  }

  static void checkRange(long v, String path, long min, long max) {
    if (v < min) {
      throw Errors.constraint(path, v, "Member must have value greater than or equal to " + min);
    }
    if (v > max) {
      throw Errors.constraint(path, v, "Member must have value less than or equal to " + max);
    }
  }

  private static boolean isIntegral(JsonNode v) {
    if (v.isIntegralNumber()) {
      return true;
    }
    BigDecimal d = v.decimalValue();
    return d.signum() == 0 || d.scale() <= 0 || d.stripTrailingZeros().scale() <= 0;
  }

  static Double number(JsonNode parent, String field, String prefix) {
    JsonNode v = parent.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isNumber()) {
      throw Errors.serialization(path(prefix, field), "a number");
    }
    return v.doubleValue();
  }

  static Boolean bool(JsonNode parent, String field, String prefix) {
    JsonNode v = parent.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isBoolean()) {
      throw Errors.serialization(path(prefix, field), "a boolean");
    }
    return v.booleanValue();
  }

  static ArrayNode array(JsonNode parent, String field, String prefix) {
    JsonNode v = parent.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isArray()) {
      throw Errors.serialization(path(prefix, field), "a list");
    }
    return (ArrayNode) v;
  }

  static ObjectNode object(JsonNode parent, String field, String prefix) {
    JsonNode v = parent.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isObject()) {
      throw Errors.serialization(path(prefix, field), "a structure");
    }
    return (ObjectNode) v;
  }

  /** Elements of a list that must be structures. */
  static ObjectNode elementObject(ArrayNode list, int index, String prefix, String field) {
    JsonNode v = list.get(index);
    if (!v.isObject()) {
      throw Errors.serialization(path(prefix, field) + "." + (index + 1), "a structure");
    }
    return (ObjectNode) v;
  }

  /** Timestamps on the JSON 1.1 wire are epoch seconds, possibly fractional. */
  static Instant timestamp(JsonNode parent, String field, String prefix) {
    JsonNode v = parent.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isNumber()) {
      throw Errors.serialization(path(prefix, field), "a timestamp (epoch seconds)");
    }
    BigDecimal seconds = v.decimalValue();
    long whole = seconds.longValue();
    long nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue();
    return Instant.ofEpochSecond(whole, nanos);
  }

  /** Epoch seconds with millisecond precision, as SageMaker answers ({@code 1780315200.123}). */
  static BigDecimal epochSeconds(Instant t) {
    return BigDecimal.valueOf(t.toEpochMilli(), 3);
  }

  /** One of a fixed set of wire values (enums are strings on the wire). */
  static String oneOf(JsonNode parent, String field, String prefix, String... allowed) {
    String s = text(parent, field, prefix);
    if (s == null) {
      return null;
    }
    for (String a : allowed) {
      if (a.equals(s)) {
        return s;
      }
    }
    throw Errors.constraint(path(prefix, field), s,
        "Member must satisfy enum value set: [" + String.join(", ", allowed) + "]");
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
