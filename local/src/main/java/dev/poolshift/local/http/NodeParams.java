package dev.poolshift.local.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.aws.AwsServiceException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * An operation's input sent as a document: AWS JSON 1.0 / 1.1 text or a Smithy RPC v2 CBOR body
 * (both parse to the same tree; CBOR's tag-1 timestamps arrive as their epoch-seconds number).
 * Types are checked as the protocols define them, the harsher reading: a timestamp must be a
 * number of epoch seconds, a string a string, an integer a whole number; anything else is a
 * {@code SerializationException}, as a JSON service answers a body its model cannot read.
 */
public final class NodeParams implements RequestParams {
  private final JsonNode node;
  private final String prefix;

  private NodeParams(JsonNode node, String prefix) {
    this.node = node;
    this.prefix = prefix;
  }

  /** The input structure; its root must be an object (an empty body is an empty structure). */
  public static NodeParams of(JsonNode root) {
    if (root == null || root.isNull() || root.isMissingNode()) {
      return new NodeParams(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(), "");
    }
    if (!(root instanceof ObjectNode)) {
      throw serialization("the input must be a structure");
    }
    return new NodeParams(root, "");
  }

  private JsonNode get(String name) {
    JsonNode v = node.get(name);
    return v == null || v.isNull() ? null : v;
  }

  @Override
  public RequestParams sub(String name) {
    JsonNode v = get(name);
    if (v != null && !v.isObject()) {
      throw serialization(path(name) + " must be a structure");
    }
    return new NodeParams(v == null ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode() : v,
        prefix + name + ".");
  }

  @Override
  public String path(String name) {
    return prefix + name;
  }

  @Override
  public boolean hasStructure(String name) {
    JsonNode v = get(name);
    return v != null && v.isContainerNode() && !v.isEmpty();
  }

  @Override
  public boolean isPresent(String name) {
    return get(name) != null;
  }

  @Override
  public String string(String name) {
    JsonNode v = get(name);
    if (v == null) {
      return null;
    }
    if (!v.isTextual()) {
      throw serialization(path(name) + " must be a string");
    }
    return v.textValue();
  }

  @Override
  public Integer integer(String name) {
    JsonNode v = get(name);
    if (v == null) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw serialization(path(name) + " must be an integer");
    }
    return v.intValue();
  }

  @Override
  public Double decimal(String name) {
    JsonNode v = get(name);
    if (v == null) {
      return null;
    }
    if (v.isNumber()) {
      return v.doubleValue();
    }
    // AWS JSON sends the non-finite doubles as these strings.
    if (v.isTextual()) {
      switch (v.textValue()) {
        case "NaN" -> {
          return Double.NaN;
        }
        case "Infinity" -> {
          return Double.POSITIVE_INFINITY;
        }
        case "-Infinity" -> {
          return Double.NEGATIVE_INFINITY;
        }
        default -> { }
      }
    }
    throw serialization(path(name) + " must be a number");
  }

  @Override
  public Boolean bool(String name) {
    JsonNode v = get(name);
    if (v == null) {
      return null;
    }
    if (!v.isBoolean()) {
      throw serialization(path(name) + " must be a boolean");
    }
    return v.booleanValue();
  }

  @Override
  public Instant instant(String name) {
    JsonNode v = get(name);
    if (v == null) {
      return null;
    }
    if (!v.isNumber()) {
      throw serialization(path(name) + " must be a timestamp in epoch seconds");
    }
    BigDecimal seconds = v.decimalValue();
    return Instant.ofEpochSecond(seconds.longValue(),
        seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
  }

  @Override
  public List<NodeParams> members(String name) {
    JsonNode v = list(name);
    List<NodeParams> out = new ArrayList<>();
    if (v != null) {
      int i = 1;
      for (JsonNode item : v) {
        if (!item.isObject()) {
          throw serialization(path(name) + " must be a list of structures");
        }
        out.add(new NodeParams(item, prefix + name + ".member." + i++ + "."));
      }
    }
    return out;
  }

  @Override
  public List<String> strings(String name) {
    JsonNode v = list(name);
    if (v == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (JsonNode item : v) {
      if (!item.isTextual()) {
        throw serialization(path(name) + " must be a list of strings");
      }
      out.add(item.textValue());
    }
    return out;
  }

  private JsonNode list(String name) {
    JsonNode v = get(name);
    if (v != null && !v.isArray()) {
      throw serialization(path(name) + " must be a list");
    }
    return v;
  }

  static AwsServiceException serialization(String message) {
    return AwsServiceException.client("SerializationException", message);
  }
}
