package dev.poolshift.local.cloudwatch;

import java.time.Instant;

/** An alarm as DescribeAlarms shows it: its definition and its current state. */
public record AlarmSnapshot(
    AlarmDefinition definition,
    String alarmArn,
    Instant configurationUpdated,
    AlarmStateValue state,
    String stateReason,
    String stateReasonData,
    Instant stateUpdated,
    Instant stateTransitioned,
    long evaluations) {

  public String alarmName() {
    return definition.alarmName();
  }
}
