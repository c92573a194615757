package dev.poolshift.local.events;

import java.time.Instant;
import java.util.List;

/**
 * One entry of {@code PutEvents}, as sent ({@code detail} is JSON text; any member may be null,
 * the bus validates).
 */
public record PutEventsEntry(String source, String detailType, String detail, List<String> resources, Instant time,
    String eventBusName) {

  public static PutEventsEntry of(String source, String detailType, String detail) {
    return new PutEventsEntry(source, detailType, detail, List.of(), null, null);
  }

  /** The result for one entry: an event id, or an error code and message. */
  public record Result(String eventId, String errorCode, String errorMessage) {
    public boolean failed() {
      return errorCode != null;
    }
  }
}
