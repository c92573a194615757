package dev.poolshift.rollout.canary;

import java.util.Map;

/**
 * What was observed for the canary during a step: alarm states (absent = the alarm does not
 * exist), invocations and 5xx errors counted since the step's weights took effect, and the p99
 * model latency in milliseconds (null = no datapoint); the same per instance type the variant
 * runs on ({@code byType}, empty when not read).
 */
public record GateReadings(
    Map<String, AlarmState> alarms,
    long invocations,
    long errors5xx,
    Double p99LatencyMs,
    Map<String, TypeReading> byType) {

  public GateReadings {
    alarms = alarms == null ? Map.of() : Map.copyOf(alarms);
    byType = byType == null ? Map.of() : java.util.Collections.unmodifiableMap(
        new java.util.TreeMap<>(byType));
  }

  /** Without per-instance-type readings. */
  public GateReadings(Map<String, AlarmState> alarms, long invocations, long errors5xx,
      Double p99LatencyMs) {
    this(alarms, invocations, errors5xx, p99LatencyMs, Map.of());
  }

  /** One instance type's share of the readings. */
  public record TypeReading(long invocations, long errors5xx, Double p99LatencyMs) {
  }
}
