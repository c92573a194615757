package dev.poolshift.local.cloudwatch;

/** A metric alarm's state ({@code StateValue}). */
public enum AlarmStateValue {
  OK, ALARM, INSUFFICIENT_DATA
}
