package dev.poolshift.rollout.plan;

import dev.poolshift.rollout.endpoint.EndpointConfigSpec;
import dev.poolshift.rollout.endpoint.EndpointState;
import dev.poolshift.rollout.endpoint.InstancePool;
import dev.poolshift.rollout.endpoint.VariantSpec;
import dev.poolshift.rollout.endpoint.VariantState;
import dev.poolshift.rollout.profile.DeploymentProfile;
import dev.poolshift.rollout.profile.FallbackPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a person previewing a rollout ({@code "action": "plan"}) needs: the risks they accept by
 * running it, and how the endpoint config changes. Pure: computed from what the plan step read.
 */
public record PlanReview(List<String> risks, List<ConfigChange> configDiff) {
  public PlanReview {
    risks = List.copyOf(risks);
    configDiff = List.copyOf(configDiff);
  }

  /** One changed field, by path in the endpoint config ({@code ProductionVariants[AllTraffic].ModelName}). */
  public record ConfigChange(String path, Object before, Object after) {
  }

  /**
   * @param current the endpoint's config before the rollout
   * @param live DescribeEndpoint before the rollout
   * @param stackExecutionRoleArn the role this stack may pass to SageMaker, or null if unknown
   */
  public static PlanReview of(RolloutPlan plan, EndpointConfigSpec current, EndpointState live,
      String stackExecutionRoleArn) {
    DeploymentProfile profile = plan.profile();
    VariantSpec before = current.variant(plan.baselineVariantName());
    VariantSpec after = plan.finalConfig().variant(plan.baselineVariantName());
    List<ConfigChange> diff = new ArrayList<>();
    String v = "ProductionVariants[" + plan.baselineVariantName() + "].";
    change(diff, v + "ModelName", before.modelName(), after.modelName());
    change(diff, v + "InstanceType", before.instanceType(), after.instanceType());
    change(diff, v + "InstancePools", poolsText(before), poolsText(after));
    change(diff, v + "VariantInstanceProvisionTimeoutInSeconds", before.provisionTimeoutSeconds(),
        after.provisionTimeoutSeconds());
    change(diff, v + "InitialInstanceCount", before.initialInstanceCount(),
        after.initialInstanceCount());
    change(diff, v + "RoutingConfig.RoutingStrategy", before.routingStrategy(),
        after.routingStrategy());
    change(diff, EndpointConfigSpec.METRICS_CONFIG,
        current.carried().get(EndpointConfigSpec.METRICS_CONFIG),
        plan.finalConfig().carried().get(EndpointConfigSpec.METRICS_CONFIG));

    List<String> risks = new ArrayList<>();
    List<InstancePool> pools = plan.requestedPools();
    if (pools.size() > 1) {
      risks.add("fleets may land on fallback hardware " + pools.subList(1, pools.size()).stream()
          .map(InstancePool::instanceType).toList() + " when " + pools.getFirst().instanceType()
          + " capacity is short; fallbackPolicy " + profile.fallbackPolicy().wire()
          + (profile.fallbackPolicy() == FallbackPolicy.PROCEED
              ? " continues there, judged by per-instance-type 5xx alarms"
              : " rolls back when it happens"));
    }
    pools.stream().filter(p -> p.modelNameOverride() != null).forEach(p -> risks.add("pool "
        + p.instanceType() + " runs another build of the model (" + p.modelNameOverride() + ")"));
    if (!before.usesPools()) {
      risks.add("variant " + plan.baselineVariantName() + " moves from a single instance type to"
          + " instance pools; routing becomes " + VariantSpec.LEAST_OUTSTANDING_REQUESTS);
    }
    if (profile.enhancedMetrics() && !Objects.equals(
        current.carried().get(EndpointConfigSpec.METRICS_CONFIG),
        plan.finalConfig().carried().get(EndpointConfigSpec.METRICS_CONFIG))) {
      risks.add("enhanced metrics (10-second publishing) are switched on; CloudWatch bills the"
          + " extra metrics");
    }
    if (current.productionVariants().size() > 1) {
      risks.add("the endpoint has other variants " + current.variantNames() + "; the canary takes"
          + " its share of " + plan.baselineVariantName() + "'s traffic (weight "
          + plan.baselineWeight() + ") only");
    }
    if (profile.thresholds().p99LatencyMs() == null) {
      risks.add("latency is not gated (no thresholds.p99LatencyMs)");
    }
    if (!profile.gateAlarmNames().isEmpty()) {
      risks.add("gate alarms " + profile.gateAlarmNames() + " must exist: a missing one makes"
          + " every step inconclusive");
    }
    String baselinePackage = current.tags().get(EndpointConfigSpec.MODEL_PACKAGE_TAG);
    if (baselinePackage != null && baselinePackage.equalsIgnoreCase(plan.modelPackageArn())) {
      risks.add("the endpoint already serves " + plan.modelPackageArn()
          + "; the rollout only moves it onto the profile's pools");
    }
    if (stackExecutionRoleArn != null && !stackExecutionRoleArn.isBlank()
        && !stackExecutionRoleArn.equals(profile.executionRoleArn())) {
      risks.add("profile executionRoleArn " + profile.executionRoleArn() + " is not the stack's"
          + " SageMakerExecutionRoleArn " + stackExecutionRoleArn + "; iam:PassRole will deny"
          + " CreateModel");
    }
    VariantState running = live.variant(plan.baselineVariantName());
    Integer count = after.initialInstanceCount();
    if (running != null && running.currentInstanceCount() != null && count != null
        && !count.equals(running.currentInstanceCount())) {
      risks.add(String.format(Locale.ROOT, "the new fleet has %d instances; %d run now", count,
          running.currentInstanceCount()));
    }
    return new PlanReview(risks, diff);
  }

  private static void change(List<ConfigChange> diff, String path, Object before, Object after) {
    if (!Objects.equals(before, after)) {
      diff.add(new ConfigChange(path, before, after));
    }
  }

  private static List<String> poolsText(VariantSpec v) {
    if (!v.usesPools()) {
      return null;
    }
    return v.instancePools().stream().map(p -> p.priority() + ":" + p.instanceType()
        + (p.modelNameOverride() == null ? "" : " (" + p.modelNameOverride() + ")")).toList();
  }

  /** For tests and messages: the diff as {@code path: before -> after} lines. */
  public List<String> diffLines() {
    return configDiff.stream().map(c -> c.path() + ": " + c.before() + " -> " + c.after())
        .toList();
  }
}
