package dev.poolshift.rollout.plan;

import dev.poolshift.rollout.InvalidInputException;
import dev.poolshift.rollout.SageMakerNames;
import dev.poolshift.rollout.canary.AlarmSpec;
import dev.poolshift.rollout.endpoint.InstancePool;
import dev.poolshift.rollout.profile.DeploymentProfile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The alarms that guard a rollout's canary variant:
 * <ul>
 *   <li>its 5xx <em>rate</em> (metric math: 5xx errors / invocations) above the profile's
 *       {@code thresholds.max5xxRate};
 *   <li>the same rate per {@code InstanceType} for every pool type, because a broken fallback
 *       pool can hide in a healthy-looking aggregate;
 *   <li>its p99 {@code ModelLatency} above {@code thresholds.p99LatencyMs}, when set (the metric
 *       is in microseconds).
 * </ul>
 * With enhanced metrics the variant publishes every 10 s, so the alarms look at 10-second periods
 * and decide within a minute; otherwise at 1-minute periods, as in the AWS recipes.
 */
public final class CanaryAlarms {
  static final int STANDARD_PERIOD = 60;
  static final int ENHANCED_PERIOD = 10;
  private static final int MAX_NAME = 255;

  private CanaryAlarms() {}

  /**
   * @param prefix {@code MANAGED_ALARM_PREFIX}: the alarm rule listens to names starting with it
   */
  public static List<AlarmSpec> forRollout(String prefix, RolloutPlan plan) {
    requirePrefix(prefix);
    if (plan.blueGreenSwitch()) {
      // No canary variant ever serves: the promoted fleet's alarms guard the switch.
      return List.of();
    }
    String endpoint = plan.endpointName();
    String variant = plan.canaryVariantName();
    DeploymentProfile profile = plan.profile();
    boolean enhanced = profile.enhancedMetrics();
    int period = period(enhanced);
    int evaluation = evaluationPeriods(enhanced);
    int toAlarm = datapointsToAlarm(enhanced);
    String base = prefix + endpoint + "-" + variant;
    double rate = profile.thresholds().max5xxRate();
    String percent = String.format(Locale.ROOT, "%.3f%%", rate * 100);

    List<AlarmSpec> alarms = new ArrayList<>();
    alarms.add(rateAlarm(base + "-5xx-rate", "Poolshift canary " + endpoint + "/" + variant
        + ": 5xx rate above " + percent, dimensions(endpoint, variant, null), rate, period,
        evaluation, toAlarm));
    for (InstancePool pool : plan.requestedPools()) {
      alarms.add(rateAlarm(base + "-5xx-rate-" + SageMakerNames.instanceTypeLabel(
          pool.instanceType()), "Poolshift canary " + endpoint + "/" + variant + " on "
          + pool.instanceType() + ": 5xx rate above " + percent,
          dimensions(endpoint, variant, pool.instanceType()), rate, period, evaluation, toAlarm));
    }
    Integer p99 = profile.thresholds().p99LatencyMs();
    if (p99 != null) {
      alarms.add(latencyAlarm(base + "-p99-latency", "Poolshift canary " + endpoint + "/"
          + variant + ": p99 model latency above " + p99 + " ms",
          dimensions(endpoint, variant, null), p99, period, enhanced));
    }
    requireNameLengths(alarms);
    return alarms;
  }

  /**
   * The alarms of an inference component's rolling update, on the component's own metrics
   * ({@code InferenceComponentName}, and per pool type {@code InferenceComponentName,
   * InstanceType}): its 5xx rate overall and per type, and its p99 latency when the profile sets
   * an SLA. SageMaker watches them as the update's auto-rollback alarms; old and new copies serve
   * under the one component name while it rolls, so they read both, which is what SageMaker's
   * auto-rollback sees too.
   */
  public static List<AlarmSpec> forComponent(String prefix, String endpoint, String component,
      List<String> poolTypes, DeploymentProfile profile) {
    requirePrefix(prefix);
    boolean enhanced = profile.enhancedMetrics();
    int period = period(enhanced);
    int evaluation = evaluationPeriods(enhanced);
    int toAlarm = datapointsToAlarm(enhanced);
    String base = prefix + endpoint + "-" + component;
    double rate = profile.thresholds().max5xxRate();
    String percent = String.format(Locale.ROOT, "%.3f%%", rate * 100);
    List<AlarmSpec> alarms = new ArrayList<>();
    alarms.add(rateAlarm(base + "-5xx-rate", "Poolshift inference component " + endpoint + "/"
        + component + ": 5xx rate above " + percent, componentDimensions(component, null), rate,
        period, evaluation, toAlarm));
    for (String type : poolTypes) {
      alarms.add(rateAlarm(base + "-5xx-rate-" + SageMakerNames.instanceTypeLabel(type),
          "Poolshift inference component " + endpoint + "/" + component + " on " + type
              + ": 5xx rate above " + percent, componentDimensions(component, type), rate,
          period, evaluation, toAlarm));
    }
    Integer p99 = profile.thresholds().p99LatencyMs();
    if (p99 != null) {
      alarms.add(latencyAlarm(base + "-p99-latency", "Poolshift inference component " + endpoint
          + "/" + component + ": p99 model latency above " + p99 + " ms",
          componentDimensions(component, null), p99, period, enhanced));
    }
    requireNameLengths(alarms);
    return alarms;
  }

  private static Map<String, String> componentDimensions(String component, String instanceType) {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("InferenceComponentName", component);
    if (instanceType != null) {
      d.put("InstanceType", instanceType);
    }
    return d;
  }

  /**
   * The alarms that guard the promoted fleet (the final variant, under the baseline's name): its
   * 5xx rate and p99 latency overall and per pool type. Created at promotion, watched by
   * SageMaker while it keeps the canary fleet (auto-rollback) and by the promoted fleet's gate.
   */
  public static List<AlarmSpec> forPromotion(String prefix, RolloutPlan plan) {
    requirePrefix(prefix);
    String endpoint = plan.endpointName();
    String variant = plan.baselineVariantName();
    DeploymentProfile profile = plan.profile();
    boolean enhanced = profile.enhancedMetrics();
    int period = period(enhanced);
    int evaluation = evaluationPeriods(enhanced);
    int toAlarm = datapointsToAlarm(enhanced);
    String base = prefix + endpoint + "-" + plan.canaryVariantName().replaceFirst("^canary-", "")
        + "-promoted";
    double rate = profile.thresholds().max5xxRate();
    String percent = String.format(Locale.ROOT, "%.3f%%", rate * 100);
    if (plan.blueGreenSwitch()) {
      return asyncPromotion(base, endpoint, variant, plan, rate, percent, period, evaluation,
          toAlarm);
    }
    Integer p99 = profile.thresholds().p99LatencyMs();
    List<AlarmSpec> alarms = new ArrayList<>();
    alarms.add(rateAlarm(base + "-5xx-rate", "Poolshift promoted " + endpoint + "/" + variant
        + ": 5xx rate above " + percent, dimensions(endpoint, variant, null), rate, period,
        evaluation, toAlarm));
    if (p99 != null) {
      alarms.add(latencyAlarm(base + "-p99-latency", "Poolshift promoted " + endpoint + "/"
          + variant + ": p99 model latency above " + p99 + " ms",
          dimensions(endpoint, variant, null), p99, period, enhanced));
    }
    for (InstancePool pool : plan.requestedPools()) {
      String label = SageMakerNames.instanceTypeLabel(pool.instanceType());
      alarms.add(rateAlarm(base + "-5xx-rate-" + label, "Poolshift promoted " + endpoint + "/"
          + variant + " on " + pool.instanceType() + ": 5xx rate above " + percent,
          dimensions(endpoint, variant, pool.instanceType()), rate, period, evaluation, toAlarm));
      if (p99 != null) {
        alarms.add(latencyAlarm(base + "-p99-latency-" + label, "Poolshift promoted " + endpoint
            + "/" + variant + " on " + pool.instanceType() + ": p99 model latency above " + p99
            + " ms", dimensions(endpoint, variant, pool.instanceType()), p99, period, enhanced));
      }
    }
    requireNameLengths(alarms);
    return alarms;
  }

  /**
   * An asynchronous endpoint publishes neither {@code Invocations} nor per-variant backlog: its
   * promoted fleet is guarded by the failure rate ({@code InvocationFailures} over
   * {@code InvocationsProcessed + InvocationFailures}, per variant and per pool type, with the
   * same significance test as the 5xx rate) and by {@code HasBacklogWithoutCapacity} (endpoint
   * level): requests queued while the fleet has no instance for five minutes running. During
   * the rollout the fleet is held at its size (scaling is suspended), so a backlog without
   * capacity is the new fleet failing, not a scale-from-zero waiting for its first instance.
   */
  private static List<AlarmSpec> asyncPromotion(String base, String endpoint, String variant,
      RolloutPlan plan, double rate, String percent, int period, int evaluation, int toAlarm) {
    List<AlarmSpec> alarms = new ArrayList<>();
    alarms.add(failureRateAlarm(base + "-failure-rate", "Poolshift promoted " + endpoint + "/"
        + variant + ": asynchronous invocation failure rate above " + percent,
        dimensions(endpoint, variant, null), rate, period, evaluation, toAlarm));
    Map<String, String> endpointOnly = new LinkedHashMap<>();
    endpointOnly.put("EndpointName", endpoint);
    AlarmSpec.Query backlog = AlarmSpec.Query.metric("backlog", "HasBacklogWithoutCapacity",
        endpointOnly, "Maximum", STANDARD_PERIOD).returningData();
    alarms.add(new AlarmSpec(base + "-backlog-without-capacity", "Poolshift promoted "
        + endpoint + ": requests queued with no instance to process them", List.of(backlog),
        "GreaterThanOrEqualToThreshold", 1.0, 5, 5, "notBreaching"));
    for (InstancePool pool : plan.requestedPools()) {
      alarms.add(failureRateAlarm(base + "-failure-rate-" + SageMakerNames.instanceTypeLabel(
          pool.instanceType()), "Poolshift promoted " + endpoint + "/" + variant + " on "
          + pool.instanceType() + ": asynchronous invocation failure rate above " + percent,
          dimensions(endpoint, variant, pool.instanceType()), rate, period, evaluation, toAlarm));
    }
    requireNameLengths(alarms);
    return alarms;
  }

  public static List<String> promotionNames(String prefix, RolloutPlan plan) {
    return forPromotion(prefix, plan).stream().map(AlarmSpec::name).toList();
  }

  // The 5xx-rate recipe (AWS's): 1 min of 10-s periods with half breaching on enhanced metrics,
  // else 3 of 1-min periods with 2 breaching. One place, for every fleet's alarms.
  private static int period(boolean enhanced) {
    return enhanced ? ENHANCED_PERIOD : STANDARD_PERIOD;
  }

  private static int evaluationPeriods(boolean enhanced) {
    return enhanced ? 6 : 3;
  }

  private static int datapointsToAlarm(boolean enhanced) {
    return enhanced ? 3 : 2;
  }

  private static AlarmSpec latencyAlarm(String name, String description,
      Map<String, String> dimensions, int p99Ms, int period, boolean enhanced) {
    AlarmSpec.Query latency = AlarmSpec.Query.metric("latency", "ModelLatency", dimensions, "p99",
        period).returningData();
    return new AlarmSpec(name, description, List.of(latency), "GreaterThanThreshold",
        p99Ms * 1000.0, enhanced ? 6 : 5, 3, "notBreaching");
  }

  private static void requireNameLengths(List<AlarmSpec> alarms) {
    for (AlarmSpec a : alarms) {
      if (a.name().length() > MAX_NAME) {
        throw new InvalidInputException(null, "MANAGED_ALARM_PREFIX", "alarm name " + a.name()
            + " is longer than " + MAX_NAME + " characters; use a shorter prefix");
      }
    }
  }

  /**
   * One 5xx-rate alarm on an endpoint variant (and instance type, when not null), as
   * {@link #forRollout} makes them: for a look at its statistics on its own.
   */
  public static AlarmSpec rateAlarmFor(String endpoint, String variant, String instanceType,
      double threshold, boolean enhanced, String prefix) {
    return rateAlarm(prefix + endpoint + "-" + variant + "-5xx-rate", "5xx rate of " + endpoint
        + "/" + variant, dimensions(endpoint, variant, instanceType), threshold, period(enhanced),
        evaluationPeriods(enhanced), datapointsToAlarm(enhanced));
  }

  public static List<String> names(String prefix, RolloutPlan plan) {
    return forRollout(prefix, plan).stream().map(AlarmSpec::name).toList();
  }

  private static AlarmSpec rateAlarm(String name, String description,
      Map<String, String> dimensions, double threshold, int period, int evaluation, int toAlarm) {
    return significantRateAlarm(name, description, List.of(
        AlarmSpec.Query.metric("errors", "Invocation5XXErrors", dimensions, "Sum", period),
        AlarmSpec.Query.metric("invocations", "Invocations", dimensions, "Sum", period)),
        threshold, evaluation, toAlarm);
  }

  /** The asynchronous counterpart of {@link #rateAlarm}: failures over all finished requests. */
  private static AlarmSpec failureRateAlarm(String name, String description,
      Map<String, String> dimensions, double threshold, int period, int evaluation, int toAlarm) {
    return significantRateAlarm(name, description, List.of(
        AlarmSpec.Query.metric("errors", "InvocationFailures", dimensions, "Sum", period),
        AlarmSpec.Query.metric("processed", "InvocationsProcessed", dimensions, "Sum", period),
        AlarmSpec.Query.expression("invocations", "requests finished",
            "processed + errors").intermediate()),
        threshold, evaluation, toAlarm);
  }

  private static AlarmSpec significantRateAlarm(String name, String description,
      List<AlarmSpec.Query> reads, double threshold, int evaluation, int toAlarm) {
    String t = plain(threshold);
    List<AlarmSpec.Query> queries = new ArrayList<>(reads);
    queries.addAll(List.of(
        // The errors a model exactly at the threshold makes in this period, on average.
        AlarmSpec.Query.expression("expected", "5xx expected at the threshold",
            t + " * invocations").intermediate(),
        AlarmSpec.Query.expression("spread", "its standard deviation, bounded above",
            sqrtUpperBound("expected")).intermediate(),
        // A one-sided test per period: more errors than the threshold explains with ~3 standard
        // deviations to spare (Poisson, plus 1 for continuity) reads as the observed rate,
        // anything less as 0. A healthy model at 10% of the threshold (one stray 5xx at 10 s
        // periods) never trips it, a model at 1.5x the threshold on a busy endpoint trips it in
        // a few periods, and the gate judges marginal rates over the whole bake. Without SQRT in
        // metric math for certain, the root is bounded by tangents (within 6%).
        AlarmSpec.Query.expression("rate", "5xx rate",
            "IF(errors > expected + 3 * spread + 1, errors / invocations, 0)")));
    return new AlarmSpec(name, description, queries, "GreaterThanThreshold", threshold,
        evaluation, toAlarm, "notBreaching");
  }

  /**
   * An upper bound of {@code sqrt(x)} in metric math's certain operators (+ - * / and IF): the
   * tangent of the square root at {@code s²} is {@code (x + s²) / (2s)}, above the root
   * everywhere and within 6% of it for x in [s²/2, 2s²]; the ladder picks the tangent whose
   * range holds x (s = 1, 2, 4, ... 128).
   */
  static String sqrtUpperBound(String x) {
    StringBuilder b = new StringBuilder();
    int open = 0;
    for (int s = 1; s < 128; s *= 2) {
      b.append("IF(").append(x).append(" < ").append(2 * s * s).append(", (").append(x)
          .append(" + ").append(s * s).append(") / ").append(2 * s).append(", ");
      open++;
    }
    b.append("(").append(x).append(" + 16384) / 256");
    b.append(")".repeat(open));
    return b.toString();
  }

  private static Map<String, String> dimensions(String endpoint, String variant,
      String instanceType) {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("EndpointName", endpoint);
    d.put("VariantName", variant);
    if (instanceType != null) {
      d.put("InstanceType", instanceType);
    }
    return d;
  }

  private static void requirePrefix(String prefix) {
    if (prefix == null || prefix.isEmpty() || prefix.length() > 64
        || !prefix.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new InvalidInputException(null, "MANAGED_ALARM_PREFIX",
          "must be 1–64 printable ASCII characters without spaces (got "
              + (prefix == null ? "none" : SageMakerNames.quote(prefix)) + ")");
    }
  }

  /** A number as metric math reads it: plain decimal, never scientific notation. */
  static String plain(double value) {
    return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }
}
