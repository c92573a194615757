package dev.poolshift.local.sagemaker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.json.LocalJson;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Tags of every taggable resource, by lower-cased ARN (AddTags / ListTags / DeleteTags). */
final class Tags {
  private static final int MAX_TAGS = 50;
  private final Map<String, LinkedHashMap<String, String>> byArn = new HashMap<>();

  /** Reads a {@code Tags: [{Key, Value}]} member; validates it; returns key → value in order. */
  static LinkedHashMap<String, String> read(JsonNode request, String prefix) {
    LinkedHashMap<String, String> tags = new LinkedHashMap<>();
    ArrayNode list = Wire.array(request, "Tags", prefix);
    if (list == null) {
      return tags;
    }
    if (list.size() > MAX_TAGS) {
      throw Errors.constraint(Wire.path(prefix, "Tags"), list.size() + " tags",
          "Member must have length less than or equal to " + MAX_TAGS);
    }
    for (int i = 0; i < list.size(); i++) {
      ObjectNode t = Wire.elementObject(list, i, prefix, "Tags");
      String p = Wire.element(prefix, "Tags", i);
      String key = Wire.requiredText(t, "Key", p);
      String value = Wire.text(t, "Value", p);
      if (key.isEmpty() || key.length() > 128) {
        throw Errors.constraint(Wire.path(p, "Key"), key, "Member must have length between 1 and 128");
      }
      if (value != null && value.length() > 256) {
        throw Errors.constraint(Wire.path(p, "Value"), value, "Member must have length less than or equal to 256");
      }
      tags.put(key, value == null ? "" : value);
    }
    return tags;
  }

  void put(String arn, Map<String, String> tags) {
    LinkedHashMap<String, String> existing = byArn.computeIfAbsent(Wire.lower(arn), k -> new LinkedHashMap<>());
    existing.putAll(tags);
    if (existing.size() > MAX_TAGS) {
      throw Errors.resourceLimit("A resource can have at most " + MAX_TAGS + " tags: " + arn);
    }
  }

  /** Tags in insertion order. */
  LinkedHashMap<String, String> ordered(String arn) {
    return new LinkedHashMap<>(byArn.getOrDefault(Wire.lower(arn), new LinkedHashMap<>()));
  }

  void removeKeys(String arn, Iterable<String> keys) {
    LinkedHashMap<String, String> existing = byArn.get(Wire.lower(arn));
    if (existing != null) {
      keys.forEach(existing::remove);
    }
  }

  void drop(String arn) {
    byArn.remove(Wire.lower(arn));
  }

  static ArrayNode toList(Map<String, String> tags) {
    ArrayNode list = LocalJson.MAPPER.createArrayNode();
    tags.forEach((k, v) -> list.addObject().put("Key", k).put("Value", v));
    return list;
  }

  static ObjectNode toMap(Map<String, String> tags) {
    ObjectNode map = LocalJson.object();
    tags.forEach(map::put);
    return map;
  }
}
