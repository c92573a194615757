package dev.poolshift.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.poolshift.aws.AwsAdapters;
import dev.poolshift.rollout.event.AlarmStateChange;
import dev.poolshift.rollout.usecase.AlarmResponder;
import java.util.Map;

/**
 * A canary alarm in ALARM: baseline weights restored at once, the rollout's wait failed
 * ({@code AlarmEventsFunction}).
 *
 * <p>Trigger: EventBridge rule {@code CanaryAlarm} ("CloudWatch Alarm State Change" to ALARM, names
 * starting with {@code MANAGED_ALARM_PREFIX}), asynchronous. Input: the EventBridge event, as the
 * events library's {@code ScheduledEvent}. Output: {@link AlarmResponder.Result}. Sends {@code
 * dev.poolshift.rollout.CanaryAlarmException} to the workflow with SendTaskFailure. Errors: {@code
 * InvalidInputException} for a malformed event, {@code TransientServiceException} when AWS did not
 * answer (Lambda retries).
 */
public final class AlarmEventsHandler
    implements RequestHandler<ScheduledEvent, AlarmResponder.Result> {
  private final AlarmResponder responder;
  /** Kept here because CRaC holds registered resources weakly; null in tests. */
  private final SnapStartPriming priming;

  public AlarmEventsHandler() {
    this(System.getenv());
  }

  public AlarmEventsHandler(Map<String, String> env) {
    this(AwsAdapters.fromEnvironment(env));
  }

  private AlarmEventsHandler(AwsAdapters aws) {
    this(wire(aws), SnapStartPriming.forAlarmEvents(aws));
  }

  public AlarmEventsHandler(AlarmResponder responder) {
    this(responder, null);
  }

  private AlarmEventsHandler(AlarmResponder responder, SnapStartPriming priming) {
    this.responder = responder;
    this.priming = priming;
  }

  @Override
  public AlarmResponder.Result handleRequest(ScheduledEvent event, Context context) {
    return Handlers.handleEvent(event, context,
        envelope -> responder.handle(AlarmStateChange.parse(envelope)));
  }

  private static AlarmResponder wire(AwsAdapters aws) {
    return new AlarmResponder(aws.rolloutStore(), aws.endpoints(), aws.trafficShifter(),
        aws.taskCallbacks());
  }

  /** The priming registered for SnapStart; null when built for tests. */
  SnapStartPriming priming() {
    return priming;
  }

}
