package dev.poolshift.local.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.dynamodb.AttrValue.B;
import dev.poolshift.local.dynamodb.AttrValue.BS;
import dev.poolshift.local.dynamodb.AttrValue.Bool;
import dev.poolshift.local.dynamodb.AttrValue.Bytes;
import dev.poolshift.local.dynamodb.AttrValue.L;
import dev.poolshift.local.dynamodb.AttrValue.M;
import dev.poolshift.local.dynamodb.AttrValue.N;
import dev.poolshift.local.dynamodb.AttrValue.NS;
import dev.poolshift.local.dynamodb.AttrValue.Null;
import dev.poolshift.local.dynamodb.AttrValue.S;
import dev.poolshift.local.dynamodb.AttrValue.SS;
import dev.poolshift.local.json.LocalJson;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Attribute values between DynamoDB JSON ({@code {"S": "x"}}, {@code {"N": "1"}}, ...) and
 * {@link AttrValue}, validated with DynamoDB's own messages.
 */
final class AttributeJson {
  /** Numbers: at most 38 significant digits, magnitude from 1E-130 to 9.99...E+125. */
  private static final int MAX_DIGITS = 38;
  private static final int MAX_EXPONENT = 125;
  private static final int MIN_EXPONENT = -130;
  private static final Set<String> TYPES = Set.of("S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS");
  /** DynamoDB's limit on nesting maps and lists. */
  private static final int MAX_DEPTH = 32;

  private AttributeJson() {}

  /** A validated value, or a ValidationException with DynamoDB's message. */
  static AttrValue read(JsonNode json) {
    return read(json, 0);
  }

  /** A map of attribute name to value ({@code Item}, {@code Key}), or null when absent. */
  static Map<String, AttrValue> readItem(JsonNode json) {
    if (json == null || json.isNull() || json.isMissingNode()) {
      return null;
    }
    if (!json.isObject()) {
      throw DynamoDbException.serialization("Start of list found where not expected");
    }
    Map<String, AttrValue> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : json.properties()) {
      out.put(e.getKey(), read(e.getValue()));
    }
    return out;
  }

  private static AttrValue read(JsonNode json, int depth) {
    if (json == null || !json.isObject()) {
      throw DynamoDbException.serialization("Unexpected value type in payload");
    }
    if (depth > MAX_DEPTH) {
      throw DynamoDbException.validation("Nesting Levels have exceeded supported limits");
    }
    List<String> types = new ArrayList<>();
    json.fieldNames().forEachRemaining(name -> {
      if (TYPES.contains(name) && !json.get(name).isNull()) {
        types.add(name);
      }
    });
    if (types.isEmpty()) {
      throw DynamoDbException.validation(
          "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
    }
    // DynamoDB validates each type present before it notices there is more than one.
    AttrValue value = null;
    for (String type : types) {
      value = readType(type, json.get(type), depth);
    }
    if (types.size() > 1) {
      throw DynamoDbException.validation("Supplied AttributeValue has more than one datatypes set, "
          + "must contain exactly one of the supported datatypes");
    }
    return value;
  }

  private static AttrValue readType(String type, JsonNode v, int depth) {
    return switch (type) {
      case "S" -> new S(text(v));
      case "N" -> new N(number(v));
      case "B" -> new B(bytes(v));
      case "BOOL" -> new Bool(bool(v));
      case "NULL" -> {
        if (!bool(v)) {
          throw invalid("Null attribute value types must have the value of true");
        }
        yield new Null();
      }
      case "SS" -> {
        List<String> all = new ArrayList<>();
        array(v).forEach(e -> all.add(text(e)));
        if (all.isEmpty()) {
          throw invalid("An string set  may not be empty");
        }
        Set<String> set = new LinkedHashSet<>(all);
        if (set.size() < all.size()) {
          throw invalid("Input collection " + listText(all) + " contains duplicates.");
        }
        yield new SS(set);
      }
      case "NS" -> {
        List<BigDecimal> all = new ArrayList<>();
        array(v).forEach(e -> all.add(number(e)));
        if (all.isEmpty()) {
          throw invalid("An number set  may not be empty");
        }
        Set<BigDecimal> set = new LinkedHashSet<>();
        all.forEach(n -> set.add(N.normalise(n)));
        if (set.size() < all.size()) {
          throw DynamoDbException.validation("Input collection contains duplicates");
        }
        yield new NS(set);
      }
      case "BS" -> {
        List<Bytes> all = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        array(v).forEach(e -> {
          all.add(bytes(e));
          texts.add(text(e));
        });
        if (all.isEmpty()) {
          throw invalid("Binary sets should not be empty");
        }
        Set<Bytes> set = new LinkedHashSet<>(all);
        if (set.size() < all.size()) {
          throw invalid("Input collection " + listText(texts) + "of type BS contains duplicates.");
        }
        yield new BS(set);
      }
      case "M" -> {
        if (!v.isObject()) {
          throw DynamoDbException.serialization("Start of list found where not expected");
        }
        Map<String, AttrValue> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : v.properties()) {
          map.put(e.getKey(), read(e.getValue(), depth + 1));
        }
        yield new M(map);
      }
      case "L" -> {
        List<AttrValue> list = new ArrayList<>();
        array(v).forEach(e -> list.add(read(e, depth + 1)));
        yield new L(list);
      }
      default -> throw new IllegalStateException(type);
    };
  }

  private static DynamoDbException invalid(String detail) {
    return DynamoDbException.validation("One or more parameter values were invalid: " + detail);
  }

  private static String listText(List<String> values) {
    return "[" + String.join(", ", values) + "]";
  }

  private static String text(JsonNode v) {
    if (!v.isTextual()) {
      throw DynamoDbException.serialization("Unexpected value type in payload");
    }
    return v.asText();
  }

  private static boolean bool(JsonNode v) {
    if (v.isBoolean()) {
      return v.asBoolean();
    }
    throw DynamoDbException.serialization("Unexpected value type in payload");
  }

  private static ArrayNode array(JsonNode v) {
    if (!(v instanceof ArrayNode a)) {
      throw DynamoDbException.serialization("Start of structure or map found where not expected");
    }
    return a;
  }

  private static Bytes bytes(JsonNode v) {
    String text = text(v);
    try {
      return Bytes.ofBase64(text);
    } catch (IllegalArgumentException e) {
      throw DynamoDbException.serialization("Base64 encoded length is expected a multiple of 4 bytes but found: "
          + text.length());
    }
  }

  /** Parses a number with DynamoDB's limits; the text is what a client sent in an {@code N}. */
  static BigDecimal number(JsonNode v) {
    String text = text(v);
    if (text.isEmpty()) {
      throw DynamoDbException.validation("The parameter cannot be converted to a numeric value");
    }
    BigDecimal n;
    try {
      n = new BigDecimal(text);
    } catch (NumberFormatException e) {
      throw DynamoDbException.validation("The parameter cannot be converted to a numeric value: " + text);
    }
    checkNumber(n);
    return n;
  }

  /** Throws DynamoDB's error when {@code n} cannot be stored (also for results of arithmetic). */
  static void checkNumber(BigDecimal n) {
    if (n.signum() == 0) {
      return;
    }
    BigDecimal stripped = n.stripTrailingZeros();
    // The exponent of the leading digit: 9.9E+125 has 125, 1E-130 has -130.
    int exponent = stripped.precision() - stripped.scale() - 1;
    if (exponent > MAX_EXPONENT) {
      throw DynamoDbException.validation(
          "Number overflow. Attempting to store a number with magnitude larger than supported range");
    }
    if (exponent < MIN_EXPONENT) {
      throw DynamoDbException.validation(
          "Number underflow. Attempting to store a number with magnitude smaller than supported range");
    }
    if (stripped.precision() > MAX_DIGITS) {
      throw DynamoDbException.validation("Attempting to store more than 38 significant digits in a Number");
    }
  }

  // ------------------------------------------------------------------ writing

  static ObjectNode write(AttrValue value) {
    ObjectNode out = LocalJson.object();
    switch (value) {
      case S s -> out.put("S", s.value());
      case N n -> out.put("N", n.text());
      case B b -> out.put("B", b.value().base64());
      case Bool b -> out.put("BOOL", b.value());
      case Null ignored -> out.put("NULL", true);
      case SS ss -> {
        ArrayNode a = out.putArray("SS");
        ss.value().forEach(a::add);
      }
      case NS ns -> {
        ArrayNode a = out.putArray("NS");
        ns.value().forEach(n -> a.add(n.toPlainString()));
      }
      case BS bs -> {
        ArrayNode a = out.putArray("BS");
        bs.value().forEach(b -> a.add(b.base64()));
      }
      case L l -> {
        ArrayNode a = out.putArray("L");
        l.value().forEach(e -> a.add(write(e)));
      }
      case M m -> out.set("M", writeItem(m.value()));
    }
    return out;
  }

  static ObjectNode writeItem(Map<String, AttrValue> item) {
    ObjectNode out = LocalJson.object();
    item.forEach((k, v) -> out.set(k, write(v)));
    return out;
  }

  /** A value as DynamoDB quotes it in messages: {@code {S:abc}}, {@code {N:5}}. */
  static String describe(AttrValue v) {
    String inner = switch (v) {
      case S s -> s.value();
      case N n -> n.text();
      case B b -> b.value().base64();
      default -> LocalJson.write(write(v).get(v.type()));
    };
    return "{" + v.type() + ":" + inner + "}";
  }
}
