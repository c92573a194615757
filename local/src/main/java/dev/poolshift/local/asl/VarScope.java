package dev.poolshift.local.asl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Workflow variables of one scope: the workflow, one Parallel branch or one Map iteration. A state
 * reads its own scope and every enclosing one; branches of one Parallel read the outer scope
 * concurrently while nothing writes it (the Parallel state assigns only after they finished).
 */
final class VarScope {
  private final VarScope parent;
  private final Map<String, JsonNode> values = new ConcurrentHashMap<>();
  /** JSONata form of each value, converted once: a large plan read by many expressions stays cheap. */
  private final Map<String, Object> converted = new ConcurrentHashMap<>();
  private final Map<String, Long> sizes = new ConcurrentHashMap<>();

  VarScope(VarScope parent) {
    this.parent = parent;
  }

  JsonNode lookup(String name) {
    for (VarScope s = this; s != null; s = s.parent) {
      JsonNode v = s.values.get(name);
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  /** The JSONata value of a visible variable, or null (undefined). */
  Object lookupJsonata(String name) {
    for (VarScope s = this; s != null; s = s.parent) {
      JsonNode v = s.values.get(name);
      if (v != null) {
        return s.converted.computeIfAbsent(name, n -> JsonataValues.toJsonata(v));
      }
    }
    return null;
  }

  /** Stores a value; returns the size of the value it replaced (0 if none). */
  long store(String name, JsonNode value, long size) {
    values.put(name, value);
    converted.remove(name);
    Long old = sizes.put(name, size);
    return old == null ? 0 : old;
  }

  /** Total size of this scope's own values (released when a branch or iteration ends). */
  long totalSize() {
    return sizes.values().stream().mapToLong(Long::longValue).sum();
  }
}
