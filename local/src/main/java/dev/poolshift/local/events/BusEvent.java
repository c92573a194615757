package dev.poolshift.local.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/** An event that reached a bus (or a schedule that fired), with the rules it matched. */
public record BusEvent(String busName, ObjectNode event, Instant receivedAt, List<String> matchedRules) {
  public BusEvent {
    matchedRules = List.copyOf(matchedRules);
  }

  public String id() {
    return event.get("id").asText();
  }
}
