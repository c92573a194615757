package dev.poolshift.rollout.canary;

import dev.poolshift.rollout.profile.DeploymentProfile;
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
 */
public record GatePolicy(
    List<String> alarmNames,
    Duration bake,
    long minInvocations,
    Duration maxWaitForInvocations,
    double max5xxRate,
    Integer p99LatencyMs,
    Duration recheckInterval) {

  public static final Duration DEFAULT_RECHECK = Duration.ofSeconds(60);

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
        profile.thresholds().max5xxRate(), profile.thresholds().p99LatencyMs(), DEFAULT_RECHECK);
  }
}
