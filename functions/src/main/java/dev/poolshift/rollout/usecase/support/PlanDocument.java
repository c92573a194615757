package dev.poolshift.rollout.usecase.support;

import dev.poolshift.rollout.RolloutPhase;
import dev.poolshift.rollout.Trigger;
import dev.poolshift.rollout.component.ComponentPlan;
import dev.poolshift.rollout.plan.ExecutionRequest;
import dev.poolshift.rollout.pool.FleetForecast;
import dev.poolshift.rollout.plan.PlanReview;
import dev.poolshift.rollout.plan.RolloutPlan;
import java.util.ArrayList;
import java.util.List;

/**
 * The plan as the workflow carries it ({@code $plan}, the {@code plan} step's result, passed back
 * to every step). The top-level fields are the ones the state machine reads or an operator looks
 * for in the console; {@code rollout} is everything the steps need, computed once by the plan
 * step so no later step recomputes (or re-reads) anything. Kept small: it travels in every
 * payload (well under 32 KB).
 *
 * @param action the request's action: {@code deploy}, {@code migrate}, {@code plan} (a dry run),
 *     {@code rollback}, {@code promote} or {@code abort}
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
 * @param rollout the computed canary rollout; null for rollback, promote, abort and a plan that
 *     waits for the endpoint
 * @param reason why, as the person said it (ledger, notifications)
 * @param overridden the profile fields this request overrode
 * @param waitForEndpoint another rollout holds the endpoint and the profile's concurrency policy
 *     says wait for it ({@code contention} says who and how long); the workflow plans again
 *     once the endpoint is free
 * @param target promote and abort: the running rollout the action is for
 * @param restore rollback: the release the endpoint goes back to
 * @param watchSeconds promote and abort: how long the action waits to report the rollout's
 *     outcome
 * @param promotion a deploy or migrate: how its promoted fleet is guarded; null otherwise
 * @param fleets a deploy or migrate: per fleet (baseline copy, canary, promoted) the instances it
 *     needs and where it will likely land; empty otherwise
 * @param sageMakerRetries how many times planning's SageMaker calls were retried (throttling,
 *     transient errors); the ledger adds the rollout's
 * @param components an inference-component endpoint's rollout (then {@code rollout} is null:
 *     no canary variant); null otherwise
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
    Trigger trigger,
    List<String> risks,
    List<PlanReview.ConfigChange> configDiff,
    RolloutPlan rollout,
    String reason,
    List<String> overridden,
    boolean waitForEndpoint,
    Contention contention,
    Target target,
    Restore restore,
    int watchSeconds,
    Promotion promotion,
    List<FleetForecast.Fleet> fleets,
    int sageMakerRetries,
    ComponentPlan components) {

  /** A plan without inference components. */
  public PlanDocument(String action, String deploymentId, String endpointName,
      String modelPackageArn, String modelPackageGroup, int modelPackageVersion,
      Baseline baseline, String canaryConfigName, String canaryVariantName,
      String finalConfigName, List<String> models, List<Integer> steps, int bakeSeconds,
      int fleetWaitSeconds, int weightsWaitSeconds, int operatorWaitSeconds,
      List<String> alarms, List<String> managedAlarms, Trigger trigger, List<String> risks,
      List<PlanReview.ConfigChange> configDiff, RolloutPlan rollout, String reason,
      List<String> overridden, boolean waitForEndpoint, Contention contention, Target target,
      Restore restore, int watchSeconds, Promotion promotion, List<FleetForecast.Fleet> fleets,
      int sageMakerRetries) {
    this(action, deploymentId, endpointName, modelPackageArn, modelPackageGroup,
        modelPackageVersion, baseline, canaryConfigName, canaryVariantName, finalConfigName,
        models, steps, bakeSeconds, fleetWaitSeconds, weightsWaitSeconds, operatorWaitSeconds,
        alarms, managedAlarms, trigger, risks, configDiff, rollout, reason, overridden,
        waitForEndpoint, contention, target, restore, watchSeconds, promotion, fleets,
        sageMakerRetries, null);
  }

  public PlanDocument {
    models = models == null ? List.of() : List.copyOf(models);
    steps = steps == null ? List.of() : List.copyOf(steps);
    alarms = alarms == null ? List.of() : List.copyOf(alarms);
    managedAlarms = managedAlarms == null ? List.of() : List.copyOf(managedAlarms);
    risks = risks == null ? List.of() : List.copyOf(risks);
    configDiff = configDiff == null ? List.of() : List.copyOf(configDiff);
    overridden = overridden == null ? List.of() : List.copyOf(overridden);
    fleets = fleets == null ? List.of() : List.copyOf(fleets);
  }

  /** A plan that changes nothing and names no canary: rollback, promote, abort, waiting. */
  public static PlanDocument bare(String action, String deploymentId, String endpointName,
      String modelPackageArn, Trigger trigger, String reason) {
    return new PlanDocument(action, deploymentId, endpointName, modelPackageArn, null, 0, null,
        null, null, null, List.of(), List.of(), 0, 0, 0, 0, List.of(), List.of(), trigger,
        List.of(), List.of(), null, reason, List.of(), false, null, null, null, 0, null, null, 0);
  }

  /** This plan, saying its planning's SageMaker calls were retried {@code retries} times. */
  public PlanDocument withSageMakerRetries(int retries) {
    return new PlanDocument(action, deploymentId, endpointName, modelPackageArn,
        modelPackageGroup, modelPackageVersion, baseline, canaryConfigName, canaryVariantName,
        finalConfigName, models, steps, bakeSeconds, fleetWaitSeconds, weightsWaitSeconds,
        operatorWaitSeconds, alarms, managedAlarms, trigger, risks, configDiff, rollout, reason,
        overridden, waitForEndpoint, contention, target, restore, watchSeconds, promotion, fleets,
        retries, components);
  }

  public PlanDocument withRisks(List<String> more) {
    List<String> all = new java.util.ArrayList<>(risks);
    all.addAll(more);
    return new PlanDocument(action, deploymentId, endpointName, modelPackageArn,
        modelPackageGroup, modelPackageVersion, baseline, canaryConfigName, canaryVariantName,
        finalConfigName, models, steps, bakeSeconds, fleetWaitSeconds, weightsWaitSeconds,
        operatorWaitSeconds, alarms, managedAlarms, trigger, all, configDiff, rollout, reason,
        overridden, waitForEndpoint, contention, target, restore, watchSeconds, promotion, fleets, sageMakerRetries,
        components);
  }

  public PlanDocument waitingFor(Contention c) {
    return new PlanDocument(action, deploymentId, endpointName, modelPackageArn,
        modelPackageGroup, modelPackageVersion, baseline, canaryConfigName, canaryVariantName,
        finalConfigName, models, steps, bakeSeconds, fleetWaitSeconds, weightsWaitSeconds,
        operatorWaitSeconds, alarms, managedAlarms, trigger, risks, configDiff, rollout, reason,
        overridden, true, c, target, restore, watchSeconds, promotion, fleets, sageMakerRetries,
        components);
  }

  public PlanDocument forTarget(Target t, int watch) {
    return new PlanDocument(action, deploymentId, endpointName, t.modelPackageArn(),
        modelPackageGroup, modelPackageVersion, baseline, canaryConfigName, canaryVariantName,
        finalConfigName, models, steps, bakeSeconds, fleetWaitSeconds, weightsWaitSeconds,
        operatorWaitSeconds, alarms, managedAlarms, trigger, risks, configDiff, rollout, reason,
        overridden, waitForEndpoint, contention, t, restore, watch, promotion, fleets, sageMakerRetries,
        components);
  }

  /** A rollback to {@code r}: leaves {@code b}, waits up to {@code fleetWait} for the fleet. */
  public PlanDocument restoring(Restore r, Baseline b, int fleetWait, List<String> risks) {
    return new PlanDocument(action, deploymentId, endpointName, r.modelPackageArn(),
        modelPackageGroup, modelPackageVersion, b, canaryConfigName, canaryVariantName,
        finalConfigName, models, steps, bakeSeconds, fleetWait, weightsWaitSeconds,
        operatorWaitSeconds, alarms, managedAlarms, trigger, risks, configDiff, rollout, reason,
        overridden, waitForEndpoint, contention, target, r, watchSeconds, promotion, fleets, sageMakerRetries,
        components);
  }

  /** Every alarm mapped to the rollout: the canary's, the profile's and the promoted fleet's. */
  public List<String> allAlarms() {
    return promotion == null ? alarms : java.util.stream.Stream.concat(alarms.stream(),
        promotion.alarms().stream()).distinct().toList();
  }

  /** Every alarm the rollout creates and deletes: the canary's and the promoted fleet's. */
  public List<String> allManagedAlarms() {
    return promotion == null ? managedAlarms : java.util.stream.Stream.concat(
        managedAlarms.stream(), promotion.alarms().stream()).distinct().toList();
  }

  /**
   * A canary rollout whose way back could not re-provision the baseline config: the endpoint is
   * on the canary config with all traffic on the baseline variant. See {@link CleanupPending}.
   */
  public boolean heldOnBaselineVariant(dev.poolshift.rollout.endpoint.EndpointState s) {
    return rollout != null && baseline != null && CleanupPending.held(s, canaryConfigName,
        baseline.endpointConfigName(), rollout.baselineWeights());
  }

  /** {@link CleanupPending#reason} for this plan. */
  public String heldReason(dev.poolshift.rollout.endpoint.EndpointState s) {
    return CleanupPending.reason(s, baseline.variantName(), canaryVariantName, canaryConfigName,
        baseline.endpointConfigName());
  }

  public boolean isRollback() {
    return ExecutionRequest.ROLLBACK.equals(action);
  }

  /**
   * Another rollout holds the endpoint.
   *
   * @param holder its execution name
   * @param holderPhase where it is ({@code RolloutPhase} wire name)
   * @param policy {@code queue} or {@code supersede}
   * @param waitSeconds the profile's {@code queueWaitSeconds}: the bound on the whole wait
   */
  public record Contention(String holder, String holderPhase, String policy, int waitSeconds) {
  }

  /** The running rollout a promote or abort is for, as it was when the action was planned. */
  public record Target(String executionName, String phase, Integer stepIndex,
      String modelPackageArn) {
  }

  /**
   * The release a rollback returns to: the config the ledger's latest promotion replaced.
   *
   * @param modelPackageArn the package that release served, when the ledger knows it
   * @param undoesExecution the execution that promoted the release being rolled back
   * @param components when that execution rolled inference components out: the updates that
   *     put each back on the specifications it ran before (empty otherwise)
   */
  public record Restore(String endpointConfigName, String modelPackageArn,
      String undoesExecution, String promotedAt,
      java.util.List<dev.poolshift.rollout.component.ComponentUpdate> components) {
    public Restore {
      components = components == null ? java.util.List.of() : java.util.List.copyOf(components);
    }

    public Restore(String endpointConfigName, String modelPackageArn, String undoesExecution,
        String promotedAt) {
      this(endpointConfigName, modelPackageArn, undoesExecution, promotedAt, null);
    }
  }

  /**
   * @param modelPackageArn the package serving before the rollout, when a Poolshift config tag
   *     names it
   */
  public record Baseline(String endpointConfigName, String variantName, double weight,
      String modelPackageArn) {
  }

  /**
   * How the promoted fleet is guarded: blue/green with SageMaker holding the canary fleet for
   * {@code bakeSeconds} while {@code alarms} (and the profile's gate alarms) may roll it back at
   * once, then judged per instance type before the rollout is PROMOTED.
   *
   * @param alarms the promoted fleet's own alarms (created at promotion, deleted at the end)
   * @param bakeSeconds SageMaker's TerminationWaitInSeconds: the post-promotion bake
   * @param waitSeconds bound for the promotion's update, its bake included
   */
  public record Promotion(List<String> alarms, int bakeSeconds, int waitSeconds) {
    public Promotion {
      alarms = alarms == null ? List.of() : List.copyOf(alarms);
    }
  }
}
