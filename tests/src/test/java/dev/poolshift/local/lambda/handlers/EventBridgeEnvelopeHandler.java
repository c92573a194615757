package dev.poolshift.local.lambda.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.util.List;
import java.util.Map;

/** A handler typed on the events library's EventBridge envelope; answers what it was given. */
public class EventBridgeEnvelopeHandler
    implements RequestHandler<ScheduledEvent, EventBridgeEnvelopeHandler.Seen> {
  /** {@code replyTo} is never set: a null member of the result. */
  public record Seen(String id, String detailType, long timeMillis, List<String> resources,
      Map<String, Object> detail, String replyTo) {}

  @Override
  public Seen handleRequest(ScheduledEvent event, Context context) {
    return new Seen(event.getId(), event.getDetailType(), event.getTime().getMillis(),
        event.getResources(), event.getDetail(), null);
  }
}
