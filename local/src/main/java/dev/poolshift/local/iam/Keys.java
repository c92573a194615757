package dev.poolshift.local.iam;

import com.fasterxml.jackson.databind.JsonNode;
import dev.poolshift.local.http.RequestParams;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The tag keys every service puts in the request context the same way, and small readers of inputs. */
final class Keys {
  private Keys() {}

  /**
   * {@code aws:RequestTag/<key>} for every tag of the request and {@code aws:TagKeys} with their
   * keys; nothing when the request carries no tags at all (both keys are then absent).
   */
  static RequestContext requestTags(Map<String, String> tags, boolean sent) {
    RequestContext c = new RequestContext();
    if (!sent) {
      return c;
    }
    tags.forEach((k, v) -> c.put("aws:RequestTag/" + k, v));
    c.putAll("aws:TagKeys", List.copyOf(tags.keySet()));
    return c;
  }

  /**
   * {@code aws:ResourceTag/<key>} for every tag the resource has (none for a resource that does not
   * exist), and the service's own {@code <prefix>:ResourceTag/<key>} when it defines one.
   */
  static RequestContext resourceTags(Map<String, String> tags, String servicePrefix) {
    RequestContext c = new RequestContext();
    tags.forEach((k, v) -> {
      c.put("aws:ResourceTag/" + k, v);
      if (servicePrefix != null) {
        c.put(servicePrefix + ":ResourceTag/" + k, v);
      }
    });
    return c;
  }

  /** A {@code Tags: [{Key, Value}]} member of a JSON input, in order. */
  static Map<String, String> jsonTags(JsonNode input, String member) {
    Map<String, String> tags = new LinkedHashMap<>();
    JsonNode list = input == null ? null : input.get(member);
    if (list != null && list.isArray()) {
      list.forEach(t -> tags.put(t.path("Key").asText(), t.path("Value").asText("")));
    }
    return tags;
  }

  /** A {@code Tags: [{Key, Value}]} member read through {@link RequestParams} (Query and JSON alike). */
  static Map<String, String> paramTags(RequestParams input, String member) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (RequestParams t : input.members(member)) {
      String key = t.string("Key");
      if (key != null) {
        String value = t.string("Value");
        tags.put(key, value == null ? "" : value);
      }
    }
    return tags;
  }

  /** The text members of a JSON array member (absent: empty). */
  static List<String> texts(JsonNode input, String member) {
    List<String> out = new ArrayList<>();
    JsonNode list = input == null ? null : input.get(member);
    if (list != null && list.isArray()) {
      list.forEach(n -> {
        if (n.isValueNode() && !n.isNull()) {
          out.add(n.asText());
        }
      });
    }
    return out;
  }
}
