package dev.poolshift.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.poolshift.aws.AwsAdapters;
import dev.poolshift.rollout.event.EndpointStateChange;
import dev.poolshift.rollout.usecase.EndpointEventResponder;
import java.util.Map;

/**
 * Endpoint state changes in; the waiting rollout step completed ({@code EndpointEventsFunction}).
 *
 * <p>Trigger: EventBridge rule {@code EndpointStateChanged} ("SageMaker Endpoint State Change",
 * settled statuses), asynchronous, possibly doubled and out of order. Input: the EventBridge event,
 * as the events library's {@code ScheduledEvent}. Output: {@link EndpointEventResponder.Result}
 * (IGNORED, STILL_IN_PROGRESS, COMPLETED or ALREADY_CLOSED). Errors: {@code InvalidInputException}
 * for a malformed event, {@code TransientServiceException} when AWS did not answer (Lambda
 * retries). A wait that already ended is not an error.
 */
public final class EndpointEventsHandler
    implements RequestHandler<ScheduledEvent, EndpointEventResponder.Result> {
  private final EndpointEventResponder responder;
  /** Kept here because CRaC holds registered resources weakly; null in tests. */
  private final SnapStartPriming priming;

  public EndpointEventsHandler() {
    this(System.getenv());
  }

  public EndpointEventsHandler(Map<String, String> env) {
    this(AwsAdapters.fromEnvironment(env));
  }

  private EndpointEventsHandler(AwsAdapters aws) {
    this(wire(aws), SnapStartPriming.forEndpointEvents(aws));
  }

  public EndpointEventsHandler(EndpointEventResponder responder) {
    this(responder, null);
  }

  private EndpointEventsHandler(EndpointEventResponder responder, SnapStartPriming priming) {
    this.responder = responder;
    this.priming = priming;
  }

  @Override
  public EndpointEventResponder.Result handleRequest(ScheduledEvent event, Context context) {
    return Handlers.handleEvent(event, context,
        envelope -> responder.handle(EndpointStateChange.parse(envelope)));
  }

  private static EndpointEventResponder wire(AwsAdapters aws) {
    return new EndpointEventResponder(aws.rolloutStore(), aws.endpoints(), aws.trafficShifter(),
        aws.taskCallbacks());
  }

  /** The priming registered for SnapStart; null when built for tests. */
  SnapStartPriming priming() {
    return priming;
  }

}
