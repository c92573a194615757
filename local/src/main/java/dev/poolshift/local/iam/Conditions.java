package dev.poolshift.local.iam;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Whether a {@link Condition} holds for a request context, by the IAM guide's rules (condition
 * operators; multivalued context keys):
 * <ul>
 *   <li>the policy's values for one key are ORed; a negated operator ({@code StringNotEquals},
 *       {@code ArnNotLike}, ...) holds when the context value matches none of them;</li>
 *   <li>a key absent from the context makes the condition false, except for negated operators
 *       (true), {@code ...IfExists} (true) and {@code Null} (which tests exactly that);</li>
 *   <li>{@code ForAllValues}: every context value must match; true when the key is absent or has
 *       no value. {@code ForAnyValue}: at least one must; false when absent or empty;</li>
 *   <li>{@code Null: "true"} holds when the key is absent, {@code "false"} when it is present with
 *       a value; a multivalued key with an empty list counts as absent (the guide's "null data
 *       set");</li>
 *   <li>a multivalued key without a set qualifier (which the guide says not to write) is read as
 *       {@code ForAnyValue} for positive operators and as "no value matches" for negated ones.</li>
 * </ul>
 * A value that cannot be read as the operator's type (a number, a date, an address) matches
 * nothing.
 */
final class Conditions {
  private Conditions() {}

  static boolean holds(Condition c, RequestContext context) {
    List<String> present = context.values(c.key());
    boolean absent = present == null || present.isEmpty();
    if (c.base().equals("Null")) {
      for (String v : c.rawValues()) {
        if (Boolean.parseBoolean(v) == absent) {
          return true;
        }
      }
      return false;
    }
    return switch (c.qualifier()) {
      case FOR_ALL_VALUES -> absent || present.stream().allMatch(v -> single(c, v, context));
      case FOR_ANY_VALUE -> !absent && present.stream().anyMatch(v -> single(c, v, context));
      case NONE -> {
        if (absent) {
          yield c.ifExists() || c.negated();
        }
        yield c.negated()
            ? present.stream().allMatch(v -> single(c, v, context))
            : present.stream().anyMatch(v -> single(c, v, context));
      }
    };
  }

  /** One context value against the policy's values: any of them for a positive operator, none for a negated one. */
  private static boolean single(Condition c, String value, RequestContext context) {
    boolean any = false;
    for (int i = 0; i < c.values().size() && !any; i++) {
      any = positive(c, i, value, context);
    }
    return c.negated() != any;
  }

  private static boolean positive(Condition c, int i, String value, RequestContext context) {
    PolicyString p = c.values().get(i);
    return switch (c.base()) {
      case "StringEquals", "StringNotEquals" -> value.equals(p.literal(context));
      case "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase" -> value.equalsIgnoreCase(p.literal(context));
      case "StringLike", "StringNotLike" -> p.matches(value, context, false);
      case "Bool" -> value.equalsIgnoreCase(p.literal(context));
      case "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike" -> c.arns().get(i).matches(value, context);
      case "BinaryEquals" -> binaryEquals(p.raw(), value);
      case "IpAddress", "NotIpAddress" -> inRange(value, p.raw());
      default -> {
        if (Condition.NUMERIC.contains(c.base())) {
          yield compare(number(value), number(p.raw()), c.base().replace("Numeric", ""));
        }
        yield compare(date(value), date(p.raw()), c.base().replace("Date", ""));
      }
    };
  }

  private static <T extends Comparable<T>> boolean compare(T actual, T policy, String relation) {
    if (actual == null || policy == null) {
      return false;
    }
    int cmp = actual.compareTo(policy);
    return switch (relation) {
      case "Equals", "NotEquals" -> cmp == 0;
      case "LessThan" -> cmp < 0;
      case "LessThanEquals" -> cmp <= 0;
      case "GreaterThan" -> cmp > 0;
      case "GreaterThanEquals" -> cmp >= 0;
      default -> throw new IllegalStateException(relation);
    };
  }

  private static BigDecimal number(String s) {
    try {
      return new BigDecimal(s.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** ISO 8601 (with or without an offset; a bare date is its start, in UTC) or epoch seconds. */
  static Instant date(String s) {
    String t = s.strip();
    if (t.matches("-?\\d+(\\.\\d+)?")) {
      BigDecimal seconds = new BigDecimal(t);
      return Instant.ofEpochMilli(seconds.movePointRight(3).longValue());
    }
    try {
      return OffsetDateTime.parse(t).toInstant();
    } catch (DateTimeParseException notOffset) {
      try {
        return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException notLocal) {
        try {
          return LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException notDate) {
          return null;
        }
      }
    }
  }

  private static boolean binaryEquals(String policyBase64, String contextBase64) {
    try {
      return Arrays.equals(Base64.getDecoder().decode(policyBase64), Base64.getDecoder().decode(contextBase64));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Whether {@code address} is in the CIDR range (a bare address is a /32 or /128). */
  static boolean inRange(String address, String cidr) {
    try {
      int slash = cidr.indexOf('/');
      byte[] network = InetAddress.ofLiteral(slash < 0 ? cidr : cidr.substring(0, slash)).getAddress();
      byte[] candidate = InetAddress.ofLiteral(address).getAddress();
      if (network.length != candidate.length) {
        return false;
      }
      int bits = slash < 0 ? network.length * 8 : Integer.parseInt(cidr.substring(slash + 1));
      for (int i = 0; i < network.length && bits > 0; i++, bits -= 8) {
        int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
        if ((network[i] & mask) != (candidate[i] & mask)) {
          return false;
        }
      }
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
