package dev.poolshift.rollout.plan;

import dev.poolshift.rollout.canary.CanarySchedule;
import dev.poolshift.rollout.canary.CanaryStep;
import dev.poolshift.rollout.endpoint.EndpointConfigSpec;
import dev.poolshift.rollout.endpoint.EndpointUpdate;
import dev.poolshift.rollout.endpoint.InstancePool;
import dev.poolshift.rollout.endpoint.ModelToCreate;
import dev.poolshift.rollout.endpoint.Release;
import dev.poolshift.rollout.endpoint.VariantWeight;
import dev.poolshift.rollout.port.ScalingTargets.ScalingPolicySetup;
import dev.poolshift.rollout.profile.DeploymentProfile;
import java.util.ArrayList;
import java.util.List;

/**
 * A computed rollout: the models and the two endpoint configs to create, the canary schedule,
 * and the weights for every step and for rollback. Pure data (JSON-serialisable), so the
 * workflow can carry it between steps and every step recomputes nothing.
 *
 * @param baselineConfigName the endpoint's config before the rollout (what rollback restores)
 * @param baselineVariantName the variant being replaced; the final config keeps this name
 *     because auto scaling and deployment guardrails key on it
 * @param baselineWeight the baseline variant's weight before the rollout
 * @param canaryConfig baseline variant copied exactly + the canary variant (new model, on
 *     pools) at weight 0
 * @param finalConfig the baseline variant's name with the new model on pools
 * @param blueGreenSwitch an asynchronous endpoint: no weighted canary. SageMaker documents no
 *     traffic split by variant weight for asynchronous invocations (InvokeEndpointAsync takes no
 *     target variant, and the backlog metrics are published per endpoint only), so the endpoint
 *     is switched blue/green to the final config at once, baked under the promoted fleet's
 *     alarms and gated on its failure rate before it counts as promoted
 * @param scalingPolicy the weighted-utilization target-tracking policy the variant gets after
 *     promotion (the profile's {@code weightedAutoscaling}); null leaves its scaling as it was
 * @param modelPackageArn the package version that ships; null when a migrate moves a model that
 *     did not come from the registry
 * @param release what ships, as {@link Release#wire()} writes it: the package ARN or that model's
 *     name. A plan written before releases had names reads its package here
 */
public record RolloutPlan(
    String deploymentId,
    String endpointName,
    String modelPackageArn,
    String baselineConfigName,
    String baselineVariantName,
    double baselineWeight,
    String canaryVariantName,
    List<ModelToCreate> models,
    EndpointConfigSpec canaryConfig,
    EndpointConfigSpec finalConfig,
    CanarySchedule schedule,
    DeploymentProfile profile,
    boolean blueGreenSwitch,
    ScalingPolicySetup scalingPolicy,
    String release) {

  public RolloutPlan {
    models = List.copyOf(models);
    release = release == null ? modelPackageArn : release;
  }

  /** What ships: a package version, or a model outside the registry. */
  public Release shipped() {
    return Release.parse("plan.release", release);
  }

  /** The endpoint-config member that makes an endpoint asynchronous. */
  public static final String ASYNC_INFERENCE_CONFIG = "AsyncInferenceConfig";

  /** Weights to set for a step (idempotent: absolute values). */
  public List<VariantWeight> weightsAt(CanaryStep step) {
    return CanarySchedule.weights(step, baselineVariantName, canaryVariantName, baselineWeight);
  }

  /** All traffic back on the baseline: the first thing a rollback does. */
  public List<VariantWeight> baselineWeights() {
    return List.of(new VariantWeight(baselineVariantName, baselineWeight),
        new VariantWeight(canaryVariantName, 0.0));
  }

  /** The pools the canary (and later the final variant) were asked to run on. */
  public List<InstancePool> requestedPools() {
    return canaryConfig.variant(canaryVariantName).instancePools();
  }

  /**
   * Moves the endpoint onto the canary config. Retaining variant properties keeps the baseline's
   * live instance count and weight (auto scaling's, not the config's initial values); the new
   * canary variant starts from the config: full size, weight 0.
   */
  public EndpointUpdate canaryUpdate(List<String> autoRollbackAlarms) {
    return new EndpointUpdate(endpointName, canaryConfig.name(), true, List.of(),
        autoRollbackAlarms);
  }

  /**
   * Moves the endpoint onto the final config. The weight is taken from the config, not retained:
   * the retained baseline weight is 0 once the canary took all traffic.
   */
  public EndpointUpdate finalUpdate(List<String> autoRollbackAlarms) {
    return finalUpdate(autoRollbackAlarms, null);
  }

  /**
   * As {@link #finalUpdate(List)}, baked by SageMaker: the canary fleet is kept for
   * {@code terminationWaitSeconds} after the switch, under {@code autoRollbackAlarms}.
   */
  public EndpointUpdate finalUpdate(List<String> autoRollbackAlarms,
      Integer terminationWaitSeconds) {
    List<String> exclude = new ArrayList<>(List.of(EndpointUpdate.DESIRED_WEIGHT));
    if (profile.instanceCount() != null) {
      exclude.add(EndpointUpdate.DESIRED_INSTANCE_COUNT);
    }
    return new EndpointUpdate(endpointName, finalConfig.name(), true, exclude,
        autoRollbackAlarms, terminationWaitSeconds);
  }

  /** Back onto the config the endpoint ran before (after the weights are restored). */
  public EndpointUpdate restoreBaselineUpdate() {
    return new EndpointUpdate(endpointName, baselineConfigName, true, List.of(), List.of());
  }
}
