package dev.poolshift.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.poolshift.aws.AwsAdapters;
import dev.poolshift.rollout.event.ModelPackageStateChange;
import dev.poolshift.rollout.usecase.ApprovalIntake;
import java.util.Map;

/**
 * Model Registry approvals and rejections in ({@code ApprovalIntakeFunction}).
 *
 * <p>Trigger: EventBridge rules {@code PackageApproved} and {@code PackageRejected} ("SageMaker
 * Model Package State Change"), asynchronous. Input: the EventBridge event, as the events library's
 * {@code ScheduledEvent}. Output: {@link ApprovalIntake.Result} (STARTED, DUPLICATE, IGNORED or
 * ROLLBACK_REQUESTED, with the reason). Errors: {@code InvalidInputException} for a malformed event
 * (not worth retrying; the function's dead-letter queue keeps it), {@code
 * TransientServiceException} when AWS did not answer (Lambda retries the event).
 */
public final class ApprovalIntakeHandler
    implements RequestHandler<ScheduledEvent, ApprovalIntake.Result> {
  private final ApprovalIntake intake;
  /** Kept here because CRaC holds registered resources weakly; null in tests. */
  private final SnapStartPriming priming;

  public ApprovalIntakeHandler() {
    this(System.getenv());
  }

  public ApprovalIntakeHandler(Map<String, String> env) {
    this(AwsAdapters.fromEnvironment(env));
  }

  private ApprovalIntakeHandler(AwsAdapters aws) {
    this(wire(aws), SnapStartPriming.forApprovalIntake(aws));
  }

  public ApprovalIntakeHandler(ApprovalIntake intake) {
    this(intake, null);
  }

  private ApprovalIntakeHandler(ApprovalIntake intake, SnapStartPriming priming) {
    this.intake = intake;
    this.priming = priming;
  }

  @Override
  public ApprovalIntake.Result handleRequest(ScheduledEvent event, Context context) {
    return Handlers.handleEvent(event, context,
        envelope -> intake.handle(ModelPackageStateChange.parse(envelope)));
  }

  private static ApprovalIntake wire(AwsAdapters aws) {
    return new ApprovalIntake(
        ApprovalIntake.Settings.fromStateMachineArn(aws.required("STATE_MACHINE_ARN")),
        aws.profileStore(), aws.modelRegistry(), aws.executionStarter(), aws.rolloutStore(),
        aws.taskCallbacks(), aws.endpoints(), aws.ledger());
  }

  /** The priming registered for SnapStart; null when built for tests. */
  SnapStartPriming priming() {
    return priming;
  }

}
