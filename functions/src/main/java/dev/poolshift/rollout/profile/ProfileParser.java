package dev.poolshift.rollout.profile;

import dev.poolshift.rollout.FieldErrors;
import dev.poolshift.rollout.InvalidInputException;
import dev.poolshift.rollout.JsonFields;
import dev.poolshift.rollout.SageMakerNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a deployment profile from parsed JSON (plain Maps and Lists, as Jackson produces them)
 * and validates it like {@code schemas/deployment-profile.schema.json}, plus the rules a schema
 * cannot say (unique priorities and types, strictly increasing steps). Unknown fields are
 * rejected, not ignored: a misspelt {@code "bakeSecond"} silently falling back to a default is
 * how a rollout skips a gate. Every error is collected before failing.
 */
public final class ProfileParser {
  private static final Set<String> FIELDS = Set.of("$schema", "description", "endpointName",
      "variantName", "executionRoleArn", "instancePools", "provisionTimeoutSeconds",
      "overrideExistingPools", "keepCurrentTypeFirst", "instanceCount", "canarySteps",
      "bakeSeconds", "minInvocationsPerStep", "maxWaitForInvocationsSeconds", "thresholds",
      "gateAlarmNames", "concurrencyPolicy", "queueWaitSeconds", "fallbackPolicy",
      "enhancedMetrics", "routingStrategy", WeightedAutoscaling.FIELD);
  private static final Set<String> THRESHOLD_FIELDS = Set.of("max5xxRate", "p99LatencyMs");

  private ProfileParser() {}

  /**
   * @param json the profile as parsed JSON
   * @param source where it came from, for the error message (e.g. the SSM parameter name)
   * @throws InvalidInputException naming every field that is wrong
   */
  public static DeploymentProfile parse(Object json, String source) {
    return parse(json, source, ProfileDefaults.STANDARD);
  }

  /**
   * As {@link #parse(Object, String)}, with the stack's defaults for fields the profile omits.
   */
  public static DeploymentProfile parse(Object json, String source, ProfileDefaults defaults) {
    String what = "deployment profile" + (source == null ? "" : " " + source);
    if (!(json instanceof Map<?, ?> root)) {
      throw new InvalidInputException(what, "(root)", "must be a JSON object (got "
          + JsonFields.typeName(json) + ")");
    }
    FieldErrors errors = new FieldErrors();
    JsonFields f = new JsonFields(root, "", errors);
    f.rejectUnknown(FIELDS);
    f.string("$schema", false);

    // Each field is read for its type first; its rules run only when it parsed, so a field
    // is never reported twice and every other field's errors are still collected.
    String description = f.string("description", false);
    if (description != null) {
      DeploymentProfile.checkDescription(errors, description);
    }
    String endpointName = f.string("endpointName", true);
    if (endpointName != null) {
      SageMakerNames.checkName(errors, "endpointName", endpointName);
    }
    String variantName = f.string("variantName", false);
    if (variantName != null) {
      SageMakerNames.checkName(errors, "variantName", variantName);
    }
    String role = f.string("executionRoleArn", true);
    if (role != null) {
      DeploymentProfile.checkRoleArn(errors, role);
    }
    List<PoolPreference> pools = pools(f, errors);
    if (pools != null) {
      DeploymentProfile.checkPools(errors, pools);
    }
    Long timeout = ranged(f, errors, "provisionTimeoutSeconds",
        DeploymentProfile.MIN_PROVISION_TIMEOUT, DeploymentProfile.MAX_PROVISION_TIMEOUT,
        DeploymentProfile.DEFAULT_PROVISION_TIMEOUT);
    Boolean override = f.bool("overrideExistingPools", false);
    Boolean keepFirst = f.bool("keepCurrentTypeFirst", false);
    Long instanceCount =
        f.has("instanceCount") ? ranged(f, errors, "instanceCount", 1, 1000, 0) : null;
    List<Integer> steps = steps(f, errors);
    if (steps != null) {
      DeploymentProfile.checkCanarySteps(errors, steps);
    }
    Long bake = ranged(f, errors, "bakeSeconds", DeploymentProfile.MIN_BAKE_SECONDS,
        DeploymentProfile.MAX_BAKE_SECONDS, defaults.bakeSeconds());
    Long minInvocations = ranged(f, errors, "minInvocationsPerStep", 1, 1_000_000_000,
        DeploymentProfile.DEFAULT_MIN_INVOCATIONS);
    Long maxWait = ranged(f, errors, "maxWaitForInvocationsSeconds", 0, 86_400,
        DeploymentProfile.DEFAULT_MAX_WAIT_FOR_INVOCATIONS);
    Thresholds thresholds = thresholds(f, errors, defaults);
    List<String> alarms = strings(f, "gateAlarmNames", errors);
    if (alarms != null) {
      DeploymentProfile.checkAlarmNames(errors, alarms);
    }
    ConcurrencyPolicy concurrency = null;
    String c = f.string("concurrencyPolicy", false);
    if (c != null && (concurrency = ConcurrencyPolicy.fromWire(c)) == null) {
      errors.add("concurrencyPolicy", "must be one of queue, reject, supersede (got "
          + SageMakerNames.quote(c) + ")");
    }
    Long queueWait = ranged(f, errors, "queueWaitSeconds",
        DeploymentProfile.MIN_QUEUE_WAIT_SECONDS, DeploymentProfile.MAX_QUEUE_WAIT_SECONDS,
        DeploymentProfile.DEFAULT_QUEUE_WAIT_SECONDS);
    FallbackPolicy fallback = null;
    String fb = f.string("fallbackPolicy", false);
    if (fb != null && (fallback = FallbackPolicy.fromWire(fb)) == null) {
      errors.add("fallbackPolicy", "must be one of proceed, pause, fail (got "
          + SageMakerNames.quote(fb) + ")");
    }
    Boolean enhanced = f.bool("enhancedMetrics", false);
    String routing = f.string("routingStrategy", false);
    if (routing != null) {
      DeploymentProfile.checkRoutingStrategy(errors, routing);
    }
    WeightedAutoscaling weighted = WeightedAutoscaling.parse(f, errors);
    WeightedAutoscaling.checkCoversPools(errors, weighted, pools);

    errors.throwIfAny(what);
    return new DeploymentProfile(description, endpointName, variantName, role, pools,
        timeout.intValue(), Boolean.TRUE.equals(override), keepFirst == null || keepFirst,
        instanceCount == null ? null : instanceCount.intValue(), steps, bake.intValue(),
        minInvocations, maxWait.intValue(), thresholds, alarms, concurrency,
        queueWait.intValue(), fallback, Boolean.TRUE.equals(enhanced), routing, weighted);
  }

  /** Reads an integer field and checks its range; absent → {@code fallback}. */
  private static Long ranged(JsonFields f, FieldErrors errors, String key, long min, long max,
      long fallback) {
    if (!f.has(key)) {
      return fallback;
    }
    Long v = f.integer(key, false);
    if (v != null) {
      DeploymentProfile.checkRange(errors, f.path(key), v, min, max);
    }
    return v;
  }

  private static List<PoolPreference> pools(JsonFields f, FieldErrors errors) {
    List<?> raw = f.list("instancePools", true);
    if (raw == null) {
      return null;
    }
    return PoolPreference.parseAll(raw, errors);
  }

  private static List<Integer> steps(JsonFields f, FieldErrors errors) {
    if (!f.has("canarySteps")) {
      return DeploymentProfile.DEFAULT_CANARY_STEPS;
    }
    List<?> raw = f.list("canarySteps", false);
    if (raw == null) {
      return null;
    }
    return JsonFields.clampedIntegers("canarySteps", raw, errors);
  }

  private static Thresholds thresholds(JsonFields f, FieldErrors errors,
      ProfileDefaults defaults) {
    JsonFields t = f.object("thresholds", false);
    if (t == null) {
      return new Thresholds(defaults.max5xxRate(), null);
    }
    t.rejectUnknown(THRESHOLD_FIELDS);
    Double rate = t.number("max5xxRate", false);
    Long p99 = t.integer("p99LatencyMs", false);
    Thresholds parsed = new Thresholds(rate == null ? defaults.max5xxRate() : rate,
        p99 == null ? null : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, p99)));
    DeploymentProfile.checkThresholds(errors, parsed);
    return parsed;
  }

  private static List<String> strings(JsonFields f, String key, FieldErrors errors) {
    List<?> raw = f.list(key, false);
    if (raw == null) {
      return f.has(key) ? null : List.of();
    }
    int before = errors.size();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      if (raw.get(i) instanceof String s) {
        out.add(s);
      } else {
        errors.add(key + "[" + i + "]",
            "must be a string (got " + JsonFields.typeName(raw.get(i)) + ")");
      }
    }
    return errors.size() == before ? out : null;
  }
}
