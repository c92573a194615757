package dev.poolshift.rollout.canary;

import java.util.Map;

/**
 * What was observed for the canary during a step: alarm states (absent = the alarm does not
 * exist), invocations and 5xx errors counted since the step's weights took effect, and the p99
 * model latency in milliseconds (null = no datapoint).
 */
public record GateReadings(
    Map<String, AlarmState> alarms,
    long invocations,
    long errors5xx,
    Double p99LatencyMs) {

  public GateReadings {
    alarms = alarms == null ? Map.of() : Map.copyOf(alarms);
  }
}
