package dev.poolshift.rollout.usecase.steps;

import static dev.poolshift.rollout.usecase.steps.StepSupport.reason;
import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import dev.poolshift.rollout.FieldErrors;
import dev.poolshift.rollout.ResourceLimitExceededException;
import dev.poolshift.rollout.RolloutException;
import dev.poolshift.rollout.canary.AlarmState;
import dev.poolshift.rollout.endpoint.EndpointConfigSpec;
import dev.poolshift.rollout.endpoint.EndpointState;
import dev.poolshift.rollout.endpoint.InstancePool;
import dev.poolshift.rollout.endpoint.VariantSpec;
import dev.poolshift.rollout.endpoint.VariantState;
import dev.poolshift.rollout.plan.ExecutionRequest;
import dev.poolshift.rollout.plan.PlanRisks;
import dev.poolshift.rollout.plan.RolloutPlan;
import dev.poolshift.rollout.pool.QuotaHeadroom;
import dev.poolshift.rollout.port.Endpoints;
import dev.poolshift.rollout.port.InstanceUsage;
import dev.poolshift.rollout.port.ScalingTargets;
import dev.poolshift.rollout.profile.AllowedInstanceTypes;
import dev.poolshift.rollout.profile.PoolPreference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the plan checks beyond the request itself, each read failing soft where it can: allowed
 * instance types, Service Quotas headroom for the second fleet, the baseline's auto scaling, and
 * alarms already in ALARM. A check that could not read its service reports that as a risk.
 */
public final class PlanChecks {
  private static final Logger LOG = LoggerFactory.getLogger(PlanChecks.class);
  /** Endpoints a plan reads to count the instances in use: bounds the plan's SageMaker reads. */
  public static final int MAX_ENDPOINTS_COUNTED = 100;

  private final Settings settings;
  private final Ports ports;

  PlanChecks(Settings settings, Ports ports) {
    this.settings = settings;
    this.ports = ports;
  }

  /**
   * Every pool the rollout would create must be an allowed type (IAM denies the rest anyway):
   * named by its place in the input when the input gave the pools, else in the profile.
   */
  void requireAllowed(ExecutionRequest request, String profileName, RolloutPlan rollout) {
    requireAllowed(request, profileName, rollout.requestedPools().stream()
        .map(InstancePool::instanceType).toList());
  }

  /** The same for the instance types a rollout would request, in pool order. */
  void requireAllowed(ExecutionRequest request, String profileName, List<String> requested) {
    AllowedInstanceTypes allowed = settings.allowedInstanceTypes();
    if (requested.stream().allMatch(allowed::allows)) {
      return;
    }
    FieldErrors errors = new FieldErrors();
    if (request.overrides().instancePools() != null) {
      allowed.check(errors, "instancePools", request.overrides().instancePools().stream()
          .map(PoolPreference::instanceType).toList());
    }
    if (errors.isEmpty()) {
      allowed.check(errors, "instancePools", requested);
      errors.throwIfAny("deployment profile " + profileName + " (pools as the rollout would"
          + " request them, the endpoint's current type first when keepCurrentTypeFirst)");
    }
    errors.throwIfAny("rollout input");
  }

  /** The endpoint's instances now, by type: live pool counts, else the config's type. */
  static Map<String, Integer> serving(EndpointState endpoint, EndpointConfigSpec config) {
    Map<String, Integer> out = new java.util.TreeMap<>();
    for (VariantState v : endpoint.productionVariants()) {
      if (!v.instancePools().isEmpty()) {
        v.instancePools().forEach(p -> out.merge(p.instanceType(), p.currentInstanceCount(),
            Integer::sum));
      } else {
        VariantSpec spec = config.variant(v.variantName());
        if (spec != null && spec.preferredInstanceType() != null) {
          out.merge(spec.preferredInstanceType(), v.currentInstanceCount() == null ? 0
              : v.currentInstanceCount(), Integer::sum);
        }
      }
    }
    return out;
  }

  /**
   * Autoscaling of the variant being replaced. A read that fails is itself the risk: the plan
   * still reports everything else.
   */
  List<String> autoscalingRisks(String ep, RolloutPlan rollout, EndpointConfigSpec current) {
    Optional<ScalingTargets.ScalingTarget> target;
    try {
      target = ports.scaling().variant(ep, rollout.baselineVariantName());
    } catch (RolloutException e) {
      LOG.warn("Application Auto Scaling not readable; reported as a risk",
          entry("errorType", e.getClass().getName()), entry("cause", e.getMessage()));
      return List.of("could not read Application Auto Scaling for variant "
          + rollout.baselineVariantName() + " (" + e.getMessage() + "): check by hand whether it is"
          + " autoscaled before deploying");
    }
    ScalingTargets.ScalingPolicySetup weighted = rollout.scalingPolicy();
    if (target.isEmpty()) {
      return weighted == null ? List.of() : List.of(PlanRisks.weightedNotRegistered(rollout));
    }
    VariantSpec before = current.variant(rollout.baselineVariantName());
    VariantSpec after = rollout.finalConfig().variant(rollout.baselineVariantName());
    String autoscaled = PlanRisks.autoscaled(target.get(), before, after,
        rollout.canaryVariantName());
    return weighted == null ? List.of(autoscaled)
        : List.of(autoscaled, PlanRisks.weighted(target.get(), rollout));
  }

  /**
   * Quota headroom for the second fleet. Reading the quotas or the usage never fails the plan:
   * what could not be read is itself the risk. A rollout (not a dry run) whose canary config
   * certainly cannot be provisioned is refused here, before anything is created.
   */
  /** The quota risks and each listed type's headroom (for the plan's fleet forecast). */
  record QuotaCheck(List<String> risks, Map<String, Integer> headroom) {
  }

  QuotaCheck quotaRisks(ExecutionRequest request, RolloutPlan rollout,
      Map<String, Integer> serving) {
    // A blue/green switch (an asynchronous endpoint) never provisions its canary config.
    EndpointConfigSpec canaryConfig = rollout.blueGreenSwitch() ? null : rollout.canaryConfig();
    Map<String, Integer> quotas;
    try {
      quotas = ports.quotas().endpointUsage(QuotaHeadroom.types(canaryConfig,
          rollout.finalConfig()));
    } catch (RolloutException e) {
      LOG.warn("Service Quotas not readable; reported as a risk",
          entry("errorType", e.getClass().getName()), entry("cause", e.getMessage()));
      return new QuotaCheck(List.of(QuotaHeadroom.unreadable(e.getMessage(), serving,
          canaryConfig, rollout.finalConfig())), Map.of());
    }
    InstanceUsage.Usage usage;
    if (quotas.isEmpty()) {
      usage = new InstanceUsage.Usage(serving, 1, true);
    } else {
      try {
        usage = ports.usage().endpointInstances(MAX_ENDPOINTS_COUNTED);
      } catch (RolloutException e) {
        // This endpoint's own fleet is known: counting only it understates the usage, which is
        // still enough to see a rollout that cannot fit.
        LOG.warn("endpoint usage not readable", entry("errorType", e.getClass().getName()),
            entry("cause", e.getMessage()));
        usage = new InstanceUsage.Usage(serving, 1, false);
      }
    }
    QuotaHeadroom headroom = new QuotaHeadroom(serving, canaryConfig,
        rollout.finalConfig(), quotas, usage.byType(), usage.endpointsRead(), usage.complete());
    Optional<String> refusal = headroom.refusal();
    LOG.info("quota headroom checked", entry("quotas", quotas), entry("inUse", usage.byType()),
        entry("endpointsCounted", usage.endpointsRead()), entry("usageComplete", usage.complete()),
        entry("refused", refusal.isPresent() && !request.dryRun()));
    if (refusal.isPresent() && !request.dryRun()) {
      throw new ResourceLimitExceededException(refusal.get() + "; the rollout of "
          + rollout.modelPackageArn() + " was not started and nothing was changed; raise the"
          + " quota in Service Quotas (or free instances) and start it again");
    }
    List<String> risks = new ArrayList<>(headroom.risks());
    refusal.ifPresent(r -> risks.add("a deploy now would be refused before touching the endpoint: "
        + r));
    return new QuotaCheck(risks, headroom.headroomByType());
  }

  /** The rollout's alarms (gate and canary) in ALARM now, with their reasons: a bake would roll back at once. */
  Map<String, String> alarmsInAlarm(List<String> alarmNames) {
    Map<String, String> out = new LinkedHashMap<>();
    if (alarmNames.isEmpty()) {
      return out;
    }
    ports.alarms().describe(alarmNames).forEach((name, status) -> {
      if (status.state() == AlarmState.ALARM) {
        out.put(name, status.reason());
      }
    });
    return out;
  }
}
