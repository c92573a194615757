package dev.poolshift.rollout.canary;

import dev.poolshift.rollout.InvalidInputException;

/** CloudWatch alarm states, as DescribeAlarms and "CloudWatch Alarm State Change" spell them. */
public enum AlarmState {
  OK, ALARM, INSUFFICIENT_DATA;

  public static AlarmState parse(String value) {
    for (AlarmState s : values()) {
      if (s.name().equals(value)) {
        return s;
      }
    }
    throw new InvalidInputException(null, "alarmState",
        "must be OK, ALARM or INSUFFICIENT_DATA (got " + value + ")");
  }
}
