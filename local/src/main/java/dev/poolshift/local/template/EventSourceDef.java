package dev.poolshift.local.template;

import java.util.Map;

/** One entry of a SAM resource's {@code Events}, with its properties resolved. */
public record EventSourceDef(String id, String type, Map<String, Object> properties) {
  public EventSourceDef {
    properties = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(properties));
  }
}
