package dev.poolshift.handler;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.poolshift.rollout.InvalidInputException;
import dev.poolshift.rollout.event.EventEnvelope;
import java.time.Instant;

/**
 * The events library's EventBridge envelope ({@link ScheduledEvent}, whatever the detail type:
 * the library has one envelope type for every EventBridge event) turned into the domain's
 * {@link EventEnvelope}, which imports no AWS type. The Lambda runtime has already read the JSON
 * into the library type; a field the event left out arrives as null and is named here, and the
 * {@code detail} stays parsed JSON for the per-source records to validate field by field.
 */
final class EventBridgeEvents {
  private EventBridgeEvents() {}

  /** @throws InvalidInputException naming every missing envelope field */
  static EventEnvelope envelope(ScheduledEvent event) {
    if (event == null) {
      // The runtime passes null for a payload of JSON null.
      throw new InvalidInputException("EventBridge event", "(root)",
          "must be a JSON object (got null)");
    }
    Instant time = event.getTime() == null ? null
        : Instant.ofEpochMilli(event.getTime().getMillis());
    return EventEnvelope.of(event.getId(), event.getDetailType(), event.getSource(),
        event.getAccount(), event.getRegion(), time, event.getResources(), event.getDetail());
  }
}
