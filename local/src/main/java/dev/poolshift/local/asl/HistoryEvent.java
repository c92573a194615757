package dev.poolshift.local.asl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One event of an execution's history, as GetExecutionHistory lists it.
 *
 * @param details the {@code *EventDetails} member (wire names, camelCase), or null for events
 *     without details ({@code LambdaFunctionStarted}, {@code TaskStateAborted}, ...)
 */
public record HistoryEvent(long id, long previousEventId, Instant timestamp, String type, ObjectNode details) {

  /** The wire name of the details member: {@code stateEnteredEventDetails}, {@code taskScheduledEventDetails}, ... */
  public String detailsMember() {
    if (type.endsWith("StateEntered")) {
      return "stateEnteredEventDetails";
    }
    if (type.endsWith("StateExited")) {
      return "stateExitedEventDetails";
    }
    if (type.startsWith("MapIteration")) {
      return "mapIteration" + type.substring("MapIteration".length()) + "EventDetails";
    }
    return Character.toLowerCase(type.charAt(0)) + type.substring(1) + "EventDetails";
  }
}
