package dev.poolshift.local.cloudwatch;

import java.time.Instant;

/** One state change of an alarm, for reports: when, from what, to what, and why. */
public record AlarmTransition(String alarmName, Instant at, AlarmStateValue from, AlarmStateValue to, String reason) {}
