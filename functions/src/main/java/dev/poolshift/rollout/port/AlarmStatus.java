package dev.poolshift.rollout.port;

import dev.poolshift.rollout.canary.AlarmState;

/** An alarm's state as DescribeAlarms reports it, with CloudWatch's reason text. */
public record AlarmStatus(String name, AlarmState state, String reason) {
}
