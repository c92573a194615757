package dev.poolshift.rollout.profile;

import dev.poolshift.rollout.FieldErrors;
import dev.poolshift.rollout.JsonFields;
import dev.poolshift.rollout.SageMakerNames;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Opt-in target tracking for a mixed fleet: after promotion onto pools the variant scales on a
 * weighted utilization, metric math over the per-{@code InstanceType} {@code
 * ConcurrentRequestsPerModel}: each type's concurrency divided by the most one instance of that
 * type serves (measured in load tests), averaged over the types. A g6 and a g5.4xlarge then
 * count as equally busy when each is at the same share of what it can carry, instead of at the
 * same number of requests.
 *
 * @param targetValue the weighted utilization to hold, on the same 0–1 scale (0.7 = each type
 *     at 70% of its measured maximum on average)
 * @param maxConcurrencyPerInstance per instance type, the concurrent requests one instance
 *     serves at its limit; every type the promoted variant runs on needs an entry
 * @param scaleOutCooldownSeconds {@code ScaleOutCooldown} of the policy
 * @param scaleInCooldownSeconds {@code ScaleInCooldown} of the policy
 */
public record WeightedAutoscaling(double targetValue, Map<String, Integer> maxConcurrencyPerInstance,
    int scaleOutCooldownSeconds, int scaleInCooldownSeconds) {

  public static final String FIELD = "weightedAutoscaling";
  public static final int DEFAULT_SCALE_OUT_COOLDOWN = 60;
  public static final int DEFAULT_SCALE_IN_COOLDOWN = 300;
  /**
   * Application Auto Scaling documents the cooldowns as seconds without stating a maximum for
   * SageMaker variants; an hour is taken as the bound (the harsher reading): a longer cooldown
   * leaves a mixed fleet unable to react for longer than any canary bake.
   */
  public static final int MAX_COOLDOWN = 3600;
  public static final int MAX_CONCURRENCY = 100_000;
  private static final Set<String> FIELDS = Set.of("targetValue", "maxConcurrencyPerInstance",
      "scaleOutCooldownSeconds", "scaleInCooldownSeconds");

  public WeightedAutoscaling {
    FieldErrors errors = new FieldErrors();
    check(errors, targetValue, maxConcurrencyPerInstance, scaleOutCooldownSeconds,
        scaleInCooldownSeconds);
    errors.throwIfAny("deployment profile");
    maxConcurrencyPerInstance = Collections.unmodifiableMap(
        new TreeMap<>(maxConcurrencyPerInstance));
  }

  /** A setting with the default cooldowns. */
  public WeightedAutoscaling(double targetValue, Map<String, Integer> maxConcurrencyPerInstance) {
    this(targetValue, maxConcurrencyPerInstance, DEFAULT_SCALE_OUT_COOLDOWN,
        DEFAULT_SCALE_IN_COOLDOWN);
  }

  static void check(FieldErrors errors, double targetValue, Map<String, Integer> capacities,
      long scaleOut, long scaleIn) {
    if (!(targetValue > 0 && targetValue <= 1)) {
      errors.add(FIELD + ".targetValue", "must be a utilization within (0,1], e.g. 0.7 (got "
          + targetValue + ")");
    }
    String path = FIELD + ".maxConcurrencyPerInstance";
    if (capacities == null || capacities.isEmpty()) {
      errors.add(path, "at least 1 entry, instance type → concurrent requests one instance"
          + " serves at its limit");
    } else {
      new TreeMap<>(capacities).forEach((type, max) -> {
        SageMakerNames.checkInstanceType(errors, path + "." + type, type);
        if (max == null || max < 1 || max > MAX_CONCURRENCY) {
          errors.add(path + "." + type, "must be 1–" + MAX_CONCURRENCY + " (got " + max + ")");
        }
      });
    }
    DeploymentProfile.checkRange(errors, FIELD + ".scaleOutCooldownSeconds", scaleOut, 0,
        MAX_COOLDOWN);
    DeploymentProfile.checkRange(errors, FIELD + ".scaleInCooldownSeconds", scaleIn, 0,
        MAX_COOLDOWN);
  }

  /**
   * Every pool type the profile names needs a measured maximum: without one its instances would
   * not count in the utilization at all.
   */
  static void checkCoversPools(FieldErrors errors, WeightedAutoscaling w,
      java.util.List<PoolPreference> pools) {
    if (w == null || pools == null) {
      return;
    }
    for (PoolPreference p : pools) {
      if (p != null && p.instanceType() != null
          && !w.maxConcurrencyPerInstance().containsKey(p.instanceType())) {
        errors.add(FIELD + ".maxConcurrencyPerInstance", "no entry for pool type "
            + p.instanceType());
      }
    }
  }

  /** Reads the field from a profile; null when absent or (errors added) invalid. */
  static WeightedAutoscaling parse(JsonFields profile, FieldErrors errors) {
    JsonFields w = profile.object(FIELD, false);
    if (w == null) {
      return null;
    }
    int before = errors.size();
    w.rejectUnknown(FIELDS);
    int typed = errors.size();
    Double target = w.number("targetValue", true);
    JsonFields raw = w.object("maxConcurrencyPerInstance", true);
    Map<String, Integer> capacities = new TreeMap<>();
    if (raw != null) {
      for (String type : raw.keys()) {
        Long max = raw.integer(type, true);
        if (max != null) {
          capacities.put(type, (int) Math.max(-1, Math.min(Integer.MAX_VALUE, max)));
        }
      }
    }
    Long out = w.has("scaleOutCooldownSeconds") ? w.integer("scaleOutCooldownSeconds", false)
        : Long.valueOf(DEFAULT_SCALE_OUT_COOLDOWN);
    Long in = w.has("scaleInCooldownSeconds") ? w.integer("scaleInCooldownSeconds", false)
        : Long.valueOf(DEFAULT_SCALE_IN_COOLDOWN);
    // Values are checked only when every one parsed as its type, so nothing is reported twice.
    if (errors.size() > typed || target == null || raw == null || out == null || in == null) {
      return null;
    }
    check(errors, target, capacities, out, in);
    if (errors.size() > before) {
      return null;
    }
    return new WeightedAutoscaling(target, capacities, out.intValue(), in.intValue());
  }
}
