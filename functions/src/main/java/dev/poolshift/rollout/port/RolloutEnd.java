package dev.poolshift.rollout.port;

import dev.poolshift.rollout.Outcome;
import java.util.Map;

/**
 * What a rollout's end is measured by, read from its history.
 *
 * @param durationSeconds from the execution's start to its end
 * @param alarmToBaselineSeconds from the first canary alarm to the verified baseline, or null
 *     when no alarm fired or the rollout did not end back on its baseline
 * @param firstErrorToBaselineSeconds from the start of the earliest period the first canary
 *     alarm evaluated (when its errors can first have begun) to the verified baseline, or null
 *     when the alarm's event did not say or the rollout did not end back on its baseline
 * @param secondsOnInstanceType how long the rollout's fleets ran on each instance type (from
 *     each fleet check to the next, or to the end), empty when no fleet was checked
 * @param rollbackFailed the way back could not be verified (a person was paged)
 */
public record RolloutEnd(String endpointName, String executionName, Outcome outcome,
    long durationSeconds, Double alarmToBaselineSeconds, Double firstErrorToBaselineSeconds,
    Map<String, Long> secondsOnInstanceType, boolean rollbackFailed) {

  public RolloutEnd {
    secondsOnInstanceType = secondsOnInstanceType == null ? Map.of()
        : Map.copyOf(secondsOnInstanceType);
  }
}
