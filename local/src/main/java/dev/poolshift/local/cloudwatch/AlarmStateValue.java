package dev.poolshift.local.cloudwatch;

/** A metric alarm's state ({@code StateValue}). */
public enum AlarmState {
  OK, ALARM, INSUFFICIENT_DATA
}
