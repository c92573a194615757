package dev.poolshift.rollout;

/**
 * A canary alarm (one Poolshift created, or a profile gate alarm) is in ALARM during a canary
 * phase. The alarm handler sends it with SendTaskFailure; a bake that finds an alarm already in
 * ALARM throws it. The workflow rolls back.
 */
public final class CanaryAlarmException extends RolloutException {
  public CanaryAlarmException(String message) {
    super(message);
  }

  public CanaryAlarmException(String message, Throwable cause) {
    super(message, cause);
  }
}
