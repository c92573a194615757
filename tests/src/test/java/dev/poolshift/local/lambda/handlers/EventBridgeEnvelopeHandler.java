package dev.poolshift.local.lambda.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.util.LinkedHashMap;
import java.util.Map;

/** A handler typed on the events library's EventBridge envelope; answers what it was given. */
public class EventBridgeEnvelopeHandler implements RequestHandler<ScheduledEvent, Map<String, Object>> {
  @Override
  public Map<String, Object> handleRequest(ScheduledEvent event, Context context) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", event.getId());
    out.put("detailType", event.getDetailType());
    out.put("timeMillis", event.getTime().getMillis());
    out.put("resources", event.getResources());
    out.put("detail", event.getDetail());
    return out;
  }
}
