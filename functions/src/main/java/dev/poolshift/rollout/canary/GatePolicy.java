package dev.poolshift.rollout.canary;

import dev.poolshift.rollout.profile.DeploymentProfile;
import dev.poolshift.rollout.profile.FallbackPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * How a canary step is judged.
 *
 * @param alarmNames alarms that must be OK (the workflow's canary alarms plus the profile's)
 * @param bake how long each step is watched before its verdict
 * @param minInvocations invocations the canary must serve before the step may pass
 * @param maxWaitForInvocations how long after the bake to wait for them before giving up
 * @param max5xxRate highest tolerated fraction of 5xx responses
 * @param p99LatencyMs latency SLA in milliseconds, or null for none
 * @param recheckInterval how often to look again while waiting for data
 * @param onTypeRegression the verdict when one instance type of the canary breaks the latency
 *     SLA while the variant as a whole keeps it: ROLL_BACK, or INCONCLUSIVE (a person decides)
 *     when the profile's fallbackPolicy is pause
 */
public record GatePolicy(
    List<String> alarmNames,
    Duration bake,
    long minInvocations,
    Duration maxWaitForInvocations,
    double max5xxRate,
    Integer p99LatencyMs,
    Duration recheckInterval,
    Verdict onTypeRegression) {

  public static final Duration DEFAULT_RECHECK = Duration.ofSeconds(60);

  /** A type's regression rolls back. */
  public GatePolicy(List<String> alarmNames, Duration bake, long minInvocations,
      Duration maxWaitForInvocations, double max5xxRate, Integer p99LatencyMs,
      Duration recheckInterval) {
    this(alarmNames, bake, minInvocations, maxWaitForInvocations, max5xxRate, p99LatencyMs,
        recheckInterval, Verdict.ROLL_BACK);
  }

  /**
   * Invocations an instance type that served must have served to be judged on its own: a tenth
   * of the step's minimum, so a fallback pool holding a quarter of the instances is judged in
   * the same step, while one that served a handful of requests is not passed on them.
   */
  public long minInvocationsPerType() {
    return Math.max(1, minInvocations / 10);
  }

  public GatePolicy {
    alarmNames = List.copyOf(new LinkedHashSet<>(alarmNames));
    if (minInvocations < 1) {
      // Zero would let a step pass on no traffic at all.
      throw new IllegalArgumentException(
          "minInvocations must be >= 1 (got " + minInvocations + ")");
    }
  }

  /** The profile's gates plus the alarms the workflow manages for this rollout. */
  public static GatePolicy of(DeploymentProfile profile, List<String> workflowAlarms) {
    List<String> alarms = new ArrayList<>(workflowAlarms);
    alarms.addAll(profile.gateAlarmNames());
    return new GatePolicy(alarms, Duration.ofSeconds(profile.bakeSeconds()),
        profile.minInvocationsPerStep(), Duration.ofSeconds(profile.maxWaitForInvocationsSeconds()),
        profile.thresholds().max5xxRate(), profile.thresholds().p99LatencyMs(), DEFAULT_RECHECK,
        profile.fallbackPolicy() == FallbackPolicy.PAUSE ? Verdict.INCONCLUSIVE
            : Verdict.ROLL_BACK);
  }
}
