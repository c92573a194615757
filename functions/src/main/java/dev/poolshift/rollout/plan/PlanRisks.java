package dev.poolshift.rollout.plan;

import dev.poolshift.rollout.canary.AlarmSpec;
import dev.poolshift.rollout.endpoint.InstancePool;
import dev.poolshift.rollout.endpoint.VariantSpec;
import dev.poolshift.rollout.port.ScalingTargets;
import dev.poolshift.rollout.profile.DeploymentProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Risks of running a rollout now that depend on time and on what is already wrong, beside the
 * config risks of {@link PlanReview}: gate alarms already in ALARM (no new event will come; the
 * first bake rolls back at once), waits that do not fit the execution's own timeout, and bakes
 * shorter than the canary alarms can judge. Pure: computed from what the plan step read.
 */
public final class PlanRisks {
  /** The rollout state machine's {@code TimeoutSeconds} (statemachine/rollout.asl.json). */
  public static final int EXECUTION_TIMEOUT_SECONDS = 86_400;

  private PlanRisks() {}

  /**
   * What the rollout keeps from the endpoint, one line each, for the dry run: the settings every
   * new model keeps from the baseline's model, the detailed-observability flag, the routing of
   * the variant on the pools, and the live weights of the endpoint's other variants.
   */
  public static List<String> carriedOver(RolloutPlan plan,
      dev.poolshift.rollout.endpoint.EndpointConfigSpec current,
      dev.poolshift.rollout.endpoint.EndpointState endpoint) {
    List<String> out = new ArrayList<>();
    plan.models().stream().findFirst().map(m -> m.carried()).ifPresent(settings -> out.add(
        "carried over: every new model keeps " + (settings.carriedNames().isEmpty()
            ? "no settings (model " + settings.modelName() + " sets no VpcConfig,"
                + " EnableNetworkIsolation or Environment)"
            : settings.carriedNames() + " of model " + settings.modelName())
        + ", the baseline's"));
    if (plan.finalConfig().carried().get(dev.poolshift.rollout.endpoint.EndpointConfigSpec
        .METRICS_CONFIG) instanceof Map<?, ?> metrics) {
      Object before = current.carried().get(dev.poolshift.rollout.endpoint.EndpointConfigSpec
          .METRICS_CONFIG) instanceof Map<?, ?> m ? m.get(dev.poolshift.rollout.endpoint
              .EndpointConfigSpec.DETAILED_OBSERVABILITY) : null;
      out.add("carried over: MetricsConfig.EnableDetailedObservability = " + metrics.get(
          dev.poolshift.rollout.endpoint.EndpointConfigSpec.DETAILED_OBSERVABILITY)
          + (before == null ? " (config " + current.name() + " predates the field: off, and a"
              + " new config that left it out would turn it on)" : " (as config "
              + current.name() + " has it)"));
    }
    VariantSpec before = current.variant(plan.baselineVariantName());
    VariantSpec after = plan.finalConfig().variant(plan.baselineVariantName());
    out.add("carried over: variant " + plan.baselineVariantName() + " routes "
        + after.carried().get(VariantSpec.ROUTING_CONFIG) + (before.routingStrategy() == null
            ? " (it set none: SageMaker's RANDOM ignores how busy an instance is)"
            : before.routingStrategy().equals(after.routingStrategy()) ? " (kept)"
                : " (the profile's routingStrategy; it was " + before.routingStrategy() + ")"));
    for (VariantSpec v : plan.finalConfig().productionVariants()) {
      if (!v.variantName().equals(plan.baselineVariantName())) {
        out.add("carried over: variant " + v.variantName() + " keeps its model " + v.modelName()
            + " and its live weight " + v.initialVariantWeight());
      }
    }
    return out;
  }

  /**
   * @param alarmsInAlarm gate alarms in ALARM now, name → CloudWatch's reason
   */
  public static List<String> alarmsInAlarm(Map<String, String> alarmsInAlarm) {
    List<String> risks = new ArrayList<>();
    alarmsInAlarm.forEach((name, reason) -> risks.add("gate alarm " + name + " is in ALARM now"
        + (reason == null || reason.isBlank() ? "" : " (" + reason + ")") + ": the first bake"
        + " would roll back at once; fix it or wait for OK before deploying"));
    return risks;
  }

  /**
   * What the schedule needs with no hold and no wait for invocations, its fleets at their bounds:
   * the canary fleet, every step's weight change and bake, the final fleet and the promoted
   * fleet's bake, and the way back (weights, then the baseline fleet) kept in reserve so a check
   * failing at the end can still put the endpoint back inside the execution.
   */
  public static long scheduleSeconds(DeploymentProfile profile, int fleetWaitSeconds,
      int weightsWaitSeconds, int promotionBakeSeconds) {
    int steps = profile.canarySteps().size();
    return 2L * fleetWaitSeconds + (long) steps * (weightsWaitSeconds + profile.bakeSeconds())
        + promotionBakeSeconds + weightsWaitSeconds + fleetWaitSeconds;
  }

  /**
   * The fields that make a schedule too long for the execution, or none when it fits. A rollout
   * that starts anyway times out part-way (at 100% perhaps) and the clean-up returns a healthy
   * version: refusing it at plan time, before anything changes, is the only safe answer.
   */
  public static List<dev.poolshift.rollout.FieldError> scheduleTooLong(DeploymentProfile profile,
      int fleetWaitSeconds, int weightsWaitSeconds, int promotionBakeSeconds) {
    long needed = scheduleSeconds(profile, fleetWaitSeconds, weightsWaitSeconds,
        promotionBakeSeconds);
    if (needed <= EXECUTION_TIMEOUT_SECONDS) {
      return List.of();
    }
    int steps = profile.canarySteps().size();
    long fixed = needed - (long) steps * profile.bakeSeconds();
    long maxBake = Math.max(0, (EXECUTION_TIMEOUT_SECONDS - fixed) / Math.max(1, steps));
    String why = String.format(Locale.ROOT, "the schedule needs %s (%d steps × (%d s bake + %d s"
        + " weight change), promoted-fleet bake %d s, canary, final and way-back fleets up to %d s"
        + " each) but a rollout execution ends after %s", hours(needed), steps,
        profile.bakeSeconds(), weightsWaitSeconds, promotionBakeSeconds, fleetWaitSeconds,
        hours(EXECUTION_TIMEOUT_SECONDS));
    List<dev.poolshift.rollout.FieldError> errors = new ArrayList<>();
    errors.add(new dev.poolshift.rollout.FieldError("bakeSeconds", why + "; with " + steps
        + " steps at most " + maxBake + " s fits"));
    errors.add(new dev.poolshift.rollout.FieldError("canarySteps", "has " + steps + " steps "
        + profile.canarySteps() + ": fewer steps, or a shorter bakeSeconds, must fit the"
        + " execution"));
    return errors;
  }

  /**
   * @param fleetWaitSeconds bound for one fleet (canary, final, or back to the baseline)
   * @param weightsWaitSeconds bound for one weight change
   * @param operatorWaitSeconds how long an inconclusive step holds for a person
   * @param managedAlarms the canary alarms the rollout will create
   */
  public static List<String> timing(DeploymentProfile profile, int fleetWaitSeconds,
      int weightsWaitSeconds, int operatorWaitSeconds, List<AlarmSpec> managedAlarms) {
    List<String> risks = new ArrayList<>();
    int steps = profile.canarySteps().size();
    long perStep = (long) weightsWaitSeconds + profile.bakeSeconds()
        + profile.maxWaitForInvocationsSeconds();
    // Canary fleet, every step at its longest, one hold for a person, the final fleet, and the
    // way back (weights, then the baseline fleet) should the last check fail.
    long worst = 2L * fleetWaitSeconds + steps * perStep + operatorWaitSeconds
        + weightsWaitSeconds + fleetWaitSeconds;
    if (worst > EXECUTION_TIMEOUT_SECONDS) {
      risks.add(String.format(Locale.ROOT, "at its slowest this rollout needs %s (%d steps of up"
          + " to %s each, fleets up to %s, a hold of %s) but the execution times out after %s;"
          + " the reconciler would then return the endpoint to its baseline",
          hours(worst), steps, hours(perStep), hours(fleetWaitSeconds),
          hours(operatorWaitSeconds), hours(EXECUTION_TIMEOUT_SECONDS)));
    }
    for (AlarmSpec alarm : managedAlarms) {
      int window = window(alarm);
      if (window > profile.bakeSeconds()) {
        risks.add(String.format(Locale.ROOT, "bakeSeconds %d is shorter than alarm %s's"
            + " evaluation window (%d s): it cannot go to ALARM within one bake; the gate's own"
            + " check at the end of the bake still applies", profile.bakeSeconds(), alarm.name(),
            window));
        break;
      }
    }
    return risks;
  }

  /**
   * The replaced variant is registered with Application Auto Scaling. SageMaker refuses an
   * UpdateEndpoint that changes the instance type of a registered variant; whether moving it
   * from one type onto instance pools counts as a change is unconfirmed, so the harsher reading
   * is reported. Poolshift deregisters the target for the rollout and registers it again after,
   * with its policies and scheduled actions (deregistering deletes both).
   */
  public static String autoscaled(dev.poolshift.rollout.port.ScalingTargets.ScalingTarget target,
      VariantSpec before, VariantSpec after, String canaryVariant) {
    String what = "variant " + before.variantName() + " is autoscaled (" + target.resourceId()
        + ", min " + target.minCapacity() + ", max " + target.maxCapacity() + ", policies "
        + target.policyNames() + (target.scheduledActionNames().isEmpty() ? ""
            : ", scheduled actions " + target.scheduledActionNames()) + ")";
    boolean typeChanges = !java.util.Objects.equals(before.instanceType(), after.instanceType())
        || !java.util.Objects.equals(types(before), types(after));
    String why = typeChanges ? "its instance type changes (" + (before.usesPools() ? types(before)
        : before.instanceType()) + " -> " + types(after) + "), which SageMaker refuses for a"
        + " registered variant" : "SageMaker refuses to change a registered variant's instance"
        + " type, and autoscaling activity would block the rollout's updates";
    return what + ": " + why + ", so Poolshift deregisters the scalable target (deleting its"
        + " policies and scheduled actions) before the first endpoint update and registers it"
        + " again, with the same min, max, policies and scheduled actions, once the endpoint has"
        + " settled (promoted, rolled back or failed); a one-time scheduled action whose time"
        + " passes meanwhile is not re-created (on-call is told). If putting it back fails, a"
        + " person is paged with the commands to re-apply it. Meanwhile "
        + before.variantName() + " is not autoscaled: it keeps the instance count it has when the"
        + " rollout starts, and the canary " + canaryVariant + " is not autoscaled either";
  }

  private static List<String> types(VariantSpec v) {
    if (!v.usesPools()) {
      return v.instanceType() == null ? List.of() : List.of(v.instanceType());
    }
    return v.instancePools().stream().map(InstancePool::instanceType).toList();
  }

  /** The time an alarm needs to see enough periods: the longest period × evaluation periods. */
  static int window(AlarmSpec alarm) {
    int period = alarm.queries().stream().filter(q -> q.period() != null)
        .mapToInt(AlarmSpec.Query::period).max().orElse(60);
    return period * alarm.evaluationPeriods();
  }

  private static String hours(long seconds) {
    return seconds % 3600 == 0 ? seconds / 3600 + " h"
        : String.format(Locale.ROOT, "%.1f h", seconds / 3600.0);
  }

  /**
   * The weighted-utilization policy the plan will put on the promoted variant, spelled out:
   * which policies it replaces, on what expression, at which target.
   */
  public static String weighted(ScalingTargets.ScalingTarget target, RolloutPlan plan) {
    ScalingTargets.ScalingPolicySetup p = plan.scalingPolicy();
    Object configuration = p.settings().get(WeightedScalingPolicy.CONFIGURATION);
    Object targetValue = configuration instanceof java.util.Map<?, ?> c
        ? c.get("TargetValue") : null;
    return "after promotion variant " + plan.baselineVariantName() + " scales on policy "
        + p.policyName() + " (target tracking, weighted utilization "
        + WeightedScalingPolicy.expression(p) + " at " + targetValue + ") in place of the"
        + " target-tracking ones among its policies " + target.policyNames() + " (others stay);"
        + " a rollback puts them back unchanged";
  }

  /** The profile asks for weighted autoscaling of a variant that is not autoscaled. */
  public static String weightedNotRegistered(RolloutPlan plan) {
    return "weightedAutoscaling: variant " + plan.baselineVariantName() + " is not registered"
        + " with Application Auto Scaling, so policy " + plan.scalingPolicy().policyName()
        + " has no scalable target to go on; register it (min and max capacity) first";
  }
}
