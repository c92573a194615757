package dev.poolshift.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.poolshift.aws.AwsAdapters;
import dev.poolshift.aws.Json;
import dev.poolshift.aws.SageMakerCallCount;
import dev.poolshift.rollout.port.RolloutMetrics;
import dev.poolshift.rollout.profile.AllowedInstanceTypes;
import dev.poolshift.rollout.usecase.RolloutSteps;
import dev.poolshift.rollout.usecase.steps.Ports;
import dev.poolshift.rollout.usecase.steps.Settings;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/**
 * The rollout workflow's steps ({@code RolloutStepsFunction}).
 *
 * <p>Trigger: every Task of {@code statemachine/rollout.asl.json} ({@code lambda:invoke}, some
 * {@code .waitForTaskToken}). Input: {@code {"step", "now", "plan", "execution", ...}}, read
 * as the named step's input record (see {@code StepInputs}). Output: the step's result, which the workflow reads as
 * {@code $states.result.Payload}. Errors the workflow matches by class name:
 * {@code dev.poolshift.rollout.TransientServiceException} and
 * {@code dev.poolshift.rollout.EndpointBusyException} (retried);
 * {@code InvalidInputException}, {@code ProfileNotFoundException},
 * {@code ModelPackageNotDeployableException}, {@code ModelPackageNotFoundException},
 * {@code EndpointNotFoundException}, {@code IncompatibleEndpointException},
 * {@code EndpointLockedException} (rejected); from the plan, {@code CanaryAlarmException} (an
 * alarm already in ALARM) and {@code ResourceLimitExceededException} (no quota headroom for the
 * canary fleet), both before anything is changed; {@code CanaryAlarmException},
 * {@code PackageRejectedException}, {@code DeploymentFailedException} and any other during a
 * canary (rolled back).
 */
public final class RolloutStepsHandler implements RequestStreamHandler {
  private final RolloutSteps steps;
  private final RolloutMetrics metrics;
  /** Kept here because CRaC holds registered resources weakly; null in tests. */
  private final SnapStartPriming priming;

  public RolloutStepsHandler() {
    this(System.getenv());
  }

  public RolloutStepsHandler(Map<String, String> env) {
    this(AwsAdapters.fromEnvironment(env));
  }

  private RolloutStepsHandler(AwsAdapters aws) {
    this(wire(aws), aws.rolloutMetrics(), SnapStartPriming.forRolloutSteps(aws));
  }

  public RolloutStepsHandler(RolloutSteps steps) {
    this(steps, RolloutMetrics.NONE, null);
  }

  private RolloutStepsHandler(RolloutSteps steps, RolloutMetrics metrics,
      SnapStartPriming priming) {
    this.steps = steps;
    this.metrics = metrics;
    this.priming = priming;
  }

  /**
   * Runs the step; the SageMaker calls it made are counted ({@code SageMakerCalls}, with
   * {@code SageMakerRetries} when some were retried) and their retries added to the rollout's (its
   * ledger record's {@code sageMakerRetries}).
   */
  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) {
    Handlers.handle(input, output, context, Handlers.EXECUTION_NAME, request -> {
      StepName name = Json.read(request, StepName.class);
      SageMakerCallCount.take();
      String endpoint = name.plan() == null ? null : name.plan().endpointName();
      String execution = name.execution() == null ? null : name.execution().name();
      try {
        return steps.run(name.step(), type -> Json.read(request, type));
      } finally {
        SageMakerCallCount.Tally tally = SageMakerCallCount.takeTally();
        if (tally.calls() > 0) {
          metrics.sageMakerCalls(endpoint, execution, name.step(), tally.calls(), tally.retries());
        }
        steps.sageMakerRetried(endpoint, execution, tally.retries());
      }
    });
  }

  private static RolloutSteps wire(AwsAdapters aws) {
    return new RolloutSteps(
        new Settings(aws.required("MANAGED_ALARM_PREFIX"),
            aws.optional("SAGEMAKER_EXECUTION_ROLE_ARN"), aws.optional("STATE_TABLE"),
            AllowedInstanceTypes.parse(aws.optional("ALLOWED_INSTANCE_TYPES"))),
        new Ports(aws.modelRegistry(), aws.profileStore(), aws.endpoints(),
            aws.trafficShifter(), aws.rolloutStore(), aws.ledger(), aws.alarms(), aws.metrics(),
            aws.notifier(), aws.taskCallbacks(), aws.scalingTargets(), aws.instanceQuotas(),
            aws.instanceUsage(), aws.rolloutMetrics(), aws.dashboards(),
            SageMakerCallCount::retriesSoFar, aws.inferenceComponents()));
  }

  /**
   * The payload's {@code step} (which step's input record the rest of the payload is), and whose
   * step it is.
   */
  private record StepName(String step, Named execution, Plan plan) {
  }

  private record Named(String name) {
  }

  private record Plan(String endpointName) {
  }

  /** The priming registered for SnapStart; null when built for tests. */
  SnapStartPriming priming() {
    return priming;
  }

}
