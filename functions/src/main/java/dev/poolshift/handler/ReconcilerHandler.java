package dev.poolshift.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.poolshift.aws.AwsAdapters;
import dev.poolshift.rollout.usecase.Reconciler;
import java.util.Map;

/**
 * Endpoints left off-baseline by a stopped, timed-out or lost execution put back
 * ({@code ReconcilerFunction}).
 *
 * <p>Trigger: EventBridge rule {@code ExecutionEnded} ("Step Functions Execution Status Change"
 * ABORTED / TIMED_OUT / FAILED) and the {@code Sweep} schedule (every 5 minutes; its input is an
 * envelope-shaped event whose {@code time} is the scheduled time). Input: that event, as the
 * events library's {@code ScheduledEvent}. Output: {@link Reconciler.Result}, one outcome per
 * locked endpoint. Errors:
 * {@code InvalidInputException} for a malformed event; trouble with one endpoint is reported in
 * its outcome and retried on the next pass.
 */
public final class ReconcilerHandler
    implements RequestHandler<ScheduledEvent, Reconciler.Result> {
  private final Reconciler reconciler;
  /** Kept here because CRaC holds registered resources weakly; null in tests. */
  private final SnapStartPriming priming;

  public ReconcilerHandler() {
    this(System.getenv());
  }

  public ReconcilerHandler(Map<String, String> env) {
    this(AwsAdapters.fromEnvironment(env));
  }

  private ReconcilerHandler(AwsAdapters aws) {
    this(wire(aws), SnapStartPriming.forReconciler(aws));
  }

  public ReconcilerHandler(Reconciler reconciler) {
    this(reconciler, null);
  }

  private ReconcilerHandler(Reconciler reconciler, SnapStartPriming priming) {
    this.reconciler = reconciler;
    this.priming = priming;
  }

  @Override
  public Reconciler.Result handleRequest(ScheduledEvent event, Context context) {
    return Handlers.handleEvent(event, context,
        envelope -> reconciler.handle(envelope));
  }

  private static Reconciler wire(AwsAdapters aws) {
    return new Reconciler(new Reconciler.Settings(aws.optional("STATE_TABLE")),
        aws.rolloutStore(), aws.executionStatus(), aws.endpoints(), aws.trafficShifter(),
        aws.ledger(), aws.notifier(), aws.alarms(), aws.modelRegistry(), aws.taskCallbacks(),
        aws.scalingTargets());
  }

  /** The priming registered for SnapStart; null when built for tests. */
  SnapStartPriming priming() {
    return priming;
  }

}
