package dev.poolshift.rollout.usecase;

import dev.poolshift.rollout.ExecutionRequest;
import dev.poolshift.rollout.PlanReview;
import dev.poolshift.rollout.RolloutPlan;
import java.util.List;

/**
 * The plan as the workflow carries it ({@code $plan}, the {@code plan} step's result, passed back
 * to every step). The top-level fields are the ones the state machine reads or an operator looks
 * for in the console; {@code rollout} is everything the steps need, computed once by the plan
 * step so no later step recomputes (or re-reads) anything. Kept small: it travels in every
 * payload (well under 32 KB).
 *
 * @param action {@code deploy}, or {@code plan} for a dry run
 * @param deploymentId the execution name: goes into resource names and tags
 * @param baseline what the endpoint ran before: what every rollback restores
 * @param steps canary percentages
 * @param fleetWaitSeconds bound for a fleet to come up (provision timeout + download + health)
 * @param weightsWaitSeconds bound for a weight change to settle
 * @param operatorWaitSeconds how long an inconclusive step holds for a person
 * @param alarms every alarm the gate reads: the rollout's own and the profile's
 * @param managedAlarms the rollout's own canary alarms (created at the first bake, deleted at
 *     the end)
 * @param risks what the person running it accepts
 * @param configDiff how the endpoint config changes
 */
public record PlanDocument(
    String action,
    String deploymentId,
    String endpointName,
    String modelPackageArn,
    String modelPackageGroup,
    int modelPackageVersion,
    Baseline baseline,
    String canaryConfigName,
    String canaryVariantName,
    String finalConfigName,
    List<String> models,
    List<Integer> steps,
    int bakeSeconds,
    int fleetWaitSeconds,
    int weightsWaitSeconds,
    int operatorWaitSeconds,
    List<String> alarms,
    List<String> managedAlarms,
    ExecutionRequest.Trigger trigger,
    List<String> risks,
    List<PlanReview.ConfigChange> configDiff,
    RolloutPlan rollout) {

  public PlanDocument {
    models = models == null ? List.of() : List.copyOf(models);
    steps = steps == null ? List.of() : List.copyOf(steps);
    alarms = alarms == null ? List.of() : List.copyOf(alarms);
    managedAlarms = managedAlarms == null ? List.of() : List.copyOf(managedAlarms);
    risks = risks == null ? List.of() : List.copyOf(risks);
    configDiff = configDiff == null ? List.of() : List.copyOf(configDiff);
  }

  /**
   * @param modelPackageArn the package serving before the rollout, when a Poolshift config tag
   *     names it
   */
  public record Baseline(String endpointConfigName, String variantName, double weight,
      String modelPackageArn) {
  }
}
