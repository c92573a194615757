package dev.poolshift.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.poolshift.aws.AwsAdapters;
import dev.poolshift.aws.Json;
import dev.poolshift.rollout.event.EventEnvelope;
import dev.poolshift.rollout.event.ModelPackageStateChange;
import dev.poolshift.rollout.usecase.ApprovalIntake;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/**
 * Model Registry approvals and rejections in ({@code ApprovalIntakeFunction}).
 *
 * <p>Trigger: EventBridge rules {@code PackageApproved} and {@code PackageRejected}
 * ("SageMaker Model Package State Change"), asynchronous. Input: the EventBridge event. Output:
 * {@link ApprovalIntake.Result} (STARTED, DUPLICATE, IGNORED or ROLLBACK_REQUESTED, with the
 * reason). Errors: {@code InvalidInputException} for a malformed event (not worth retrying; the
 * function's dead-letter queue keeps it), {@code TransientServiceException} when AWS did not
 * answer (Lambda retries the event).
 */
public final class ApprovalIntakeHandler implements RequestStreamHandler {
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
  public void handleRequest(InputStream input, OutputStream output, Context context) {
    Handlers.handle(input, output, context, Handlers.EVENT_ID, request -> intake.handle(
        ModelPackageStateChange.parse(EventEnvelope.parse(Json.readValue(request)))));
  }

  private static ApprovalIntake wire(AwsAdapters aws) {
    return new ApprovalIntake(
        ApprovalIntake.Settings.fromStateMachineArn(aws.required("STATE_MACHINE_ARN")),
        aws.profileStore(), aws.modelRegistry(), aws.executionStarter(), aws.rolloutStore(),
        aws.taskCallbacks(), aws.endpoints(), aws.ledger());
  }
}
